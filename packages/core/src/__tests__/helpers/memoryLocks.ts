import type { LockManagerLike } from '../../crossTab.ts';

/**
 * A test double of the Web Locks API (`navigator.locks`), which Node 20 lacks: exclusive locks granted in request
 * order, released when the callback's promise settles, `signal` aborting a queued request with an AbortError.
 * Shared by two logins, it plays the browser that serialises their tabs.
 */
export function memoryLocks(): LockManagerLike & { held: () => string[]; requests: string[] } {
  const queues = new Map<string, Array<() => void>>();
  const heldNames = new Set<string>();
  const requests: string[] = [];

  const grantNext = (name: string) => {
    const queue = queues.get(name);
    const next = queue?.shift();
    if (next) next();
    else heldNames.delete(name);
  };

  return {
    requests,
    held: () => [...heldNames],
    request<T>(
      name: string,
      options: { signal?: AbortSignal },
      callback: (lock: unknown) => T | Promise<T>,
    ): Promise<T> {
      requests.push(name);
      const { signal } = options;
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) {
          reject(new DOMException('aborted', 'AbortError'));
          return;
        }
        const run = () => {
          signal?.removeEventListener('abort', onAbort);
          heldNames.add(name);
          Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .then(resolve, reject)
            .finally(() => grantNext(name));
        };
        const onAbort = () => {
          const queue = queues.get(name);
          const index = queue?.indexOf(run) ?? -1;
          if (index >= 0) {
            queue!.splice(index, 1);
            reject(new DOMException('aborted', 'AbortError'));
          }
        };
        signal?.addEventListener('abort', onAbort);
        if (heldNames.has(name)) {
          const queue = queues.get(name) ?? [];
          queue.push(run);
          queues.set(name, queue);
        } else {
          heldNames.add(name);
          run();
        }
      });
    },
  };
}
