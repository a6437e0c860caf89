/**
 * A copy of packages/core/src/__tests__/helpers/memoryLocks.ts (the bench does not import test helpers of a
 * package): the Web Locks API (`navigator.locks`), which Node 20 lacks, as the core's cross-tab tests play it.
 * Exclusive locks are granted in request order and released when the callback's promise settles; `signal` aborts
 * a queued request with an AbortError. Shared by several logins, it plays the browser that serialises their tabs.
 */
export interface MemoryLocks {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => T | Promise<T>,
  ): Promise<T>;
  /** Names of the locks held now. */
  held(): string[];
  /** Every lock name requested, in order. */
  requests: string[];
}

export function memoryLocks(): MemoryLocks {
  const queues = new Map<string, Array<() => void>>();
  const heldNames = new Set<string>();
  const requests: string[] = [];

  const grantNext = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next();
    else heldNames.delete(name);
  };

  return {
    requests,
    held: () => [...heldNames],
    request(name, options, callback) {
      requests.push(name);
      const { signal } = options;
      return new Promise((resolve, reject) => {
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
          if (queue && index >= 0) {
            queue.splice(index, 1);
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
