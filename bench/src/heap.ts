import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Heap in use after full collections, so what is measured is what is still referenced. */
export function settledHeapBytes(): number {
  if (!gc) {
    // Exposes gc() without a node flag on the bench script.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
