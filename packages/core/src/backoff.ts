import { ServiceError } from './errors.ts';

/** How transient faults (network errors, timeouts, 5xx, 429) are retried. */
export interface RetryOptions {
  /**
   * Retries of a failed registration or device authorization before the login reports the error. Polls retry
   * until the device code expires instead. Defaults to `4`.
   */
  retries?: number | undefined;
  /** First backoff step, in ms, for registration and device authorization. Defaults to `1000`. */
  baseDelayMs?: number | undefined;
  /** Longest wait between two attempts, in ms. Defaults to `60000`. */
  maxDelayMs?: number | undefined;
}

export interface ResolvedRetryOptions {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** `null` (from plain-JS callers) means unset, like `undefined`. */
export function resolveRetryOptions(options?: RetryOptions | null): ResolvedRetryOptions {
  return {
    retries: options?.retries ?? 4,
    baseDelayMs: options?.baseDelayMs ?? 1000,
    maxDelayMs: options?.maxDelayMs ?? 60_000,
  };
}

/**
 * How long to wait before retry `attempt` (1-based) after `error`: exponential backoff with "equal jitter" (a
 * random time between half and all of `min(maxMs, baseMs × 2ⁿ)`, so the wait doubles per attempt while clients
 * that failed together spread out), but never less than the server's `Retry-After` nor `floorMs`. `random`
 * returns a number in [0, 1).
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  floorMs: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const half = Math.min(maxMs, baseMs * 2 ** Math.max(1, attempt)) / 2;
  // `> 0` is false for undefined and NaN.
  const retryAfterMs = error instanceof ServiceError && error.retryAfter! > 0 ? error.retryAfter! * 1000 : 0;
  return Math.max(floorMs, retryAfterMs, Math.ceil(half + half * Math.min(Math.max(random(), 0), 1)));
}
