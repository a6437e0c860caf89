import type { FetchLike } from './kit.ts';

/** SSO OIDC operations by path. */
export type Operation = 'register' | 'start' | 'token' | 'other';

export function operationOf(path: string): Operation {
  if (path.endsWith('/client/register')) return 'register';
  if (path.endsWith('/device_authorization')) return 'start';
  if (path.endsWith('/token')) return 'token';
  return 'other';
}

export interface CountingFetch {
  fetch: FetchLike;
  counts: Record<Operation, number>;
  total(): number;
  /** The polling interval (s) the server sent in the last StartDeviceAuthorization answer, read off the wire. */
  interval: number | undefined;
}

/**
 * Wraps a fetch and counts what goes through it, so request figures count what a client really sent,
 * independent of how the emulator logs requests.
 */
export function countingFetch(inner: FetchLike): CountingFetch {
  const counter: CountingFetch = {
    counts: { register: 0, start: 0, token: 0, other: 0 },
    total: () => Object.values(counter.counts).reduce((a, b) => a + b, 0),
    interval: undefined,
    async fetch(input, init) {
      const url = input instanceof Request ? input.url : String(input);
      const op = operationOf(new URL(url).pathname);
      counter.counts[op] += 1;
      const response = await inner(input, init);
      if (op === 'start' && response.ok) {
        const body = (await response.clone().json()) as { interval?: unknown };
        if (typeof body.interval === 'number') counter.interval = body.interval;
      }
      return response;
    },
  };
  return counter;
}
