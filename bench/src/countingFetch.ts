import type { FetchLike } from './kit.ts';

/** SSO OIDC operations by path; `refresh` is CreateToken with the refresh_token grant. */
export type Operation = 'register' | 'start' | 'token' | 'refresh' | 'other';

export function operationOf(path: string, body?: string): Operation {
  if (path.endsWith('/client/register')) return 'register';
  if (path.endsWith('/device_authorization')) return 'start';
  if (path.endsWith('/token')) return grantOf(body) === 'refresh_token' ? 'refresh' : 'token';
  return 'other';
}

/** The grant type of a token request: JSON `grantType` (AWS) or form `grant_type` (RFC 6749). */
export function grantOf(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const json = JSON.parse(body) as { grantType?: unknown };
    if (typeof json.grantType === 'string') return json.grantType;
  } catch {
    // not JSON: a form body
  }
  return new URLSearchParams(body).get('grant_type') ?? undefined;
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
 * independent of how the emulator logs requests. A request counts when it is sent, whatever its answer.
 */
export function countingFetch(inner: FetchLike): CountingFetch {
  const counter: CountingFetch = {
    counts: { register: 0, start: 0, token: 0, refresh: 0, other: 0 },
    total: () => Object.values(counter.counts).reduce((a, b) => a + b, 0),
    interval: undefined,
    async fetch(input, init) {
      const url = input instanceof Request ? input.url : String(input);
      const body = typeof init?.body === 'string' ? init.body : undefined;
      const op = operationOf(new URL(url).pathname, body);
      counter.counts[op] += 1;
      const response = await inner(input, init);
      if (op === 'start' && response.ok) {
        const json = (await response.clone().json()) as { interval?: unknown };
        if (typeof json.interval === 'number') counter.interval = json.interval;
      }
      return response;
    },
  };
  return counter;
}
