import type { DeviceLoginContext, DeviceLoginDeps } from './deviceLoginContext.ts';
import { DeviceLoginError } from './errors.ts';
import type { StoredRegistration, StoredSession } from './storage.ts';

/*
 * The timing and session rules of the device-login machine, as pure functions of its context and the clock.
 */

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
export const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 §3.5: slow_down increases the interval by 5 seconds for this and all subsequent requests. */
export const SLOW_DOWN_S = 5;
/** The last poll goes out at least this long before the device code expires, when the interval allows it. */
export const FINAL_POLL_MARGIN_MS = 1000;
/** A poll still in flight this long after the device code expired is abandoned. */
export const POLL_GRACE_MS = 10_000;
/**
 * The longest delay a timer can wait (2^31 - 1 ms, about 24.8 days). Longer ones fire after 1 ms in Node and
 * browsers alike, so a 60-day token would be refreshed in a tight loop: timers wait at most this, then look at the
 * clock again.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How long a tab that got the flow lock from another tab's flow waits for the end of that flow to be told, and then
 * for the session it announced to show in this tab's storage (the sync actor reads again for about 1.6 s), before it
 * runs a flow of its own.
 */
export const HANDOVER_WAIT_MS = 2000;

/** A timer delay for `ms` from now: never negative, never beyond what a timer can wait. */
export function timerDelay(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/**
 * When the next poll goes out: at `desired`, pulled in to just before the deadline when it would miss it, but never
 * sooner than one interval after `now` (RFC 8628 §3.5). `undefined` when no poll fits before the deadline.
 */
export function nextPollTime(
  now: number,
  desired: number,
  interval: number,
  expiresAt: number,
): number | undefined {
  const earliest = now + interval * 1000;
  const at = Math.max(earliest, Math.min(desired, expiresAt - FINAL_POLL_MARGIN_MS));
  return at < expiresAt ? at : undefined;
}

export function isRegistrationUsable(
  deps: DeviceLoginDeps,
  registration: StoredRegistration | undefined,
): boolean {
  if (!registration) return false;
  if (
    registration.expiresAt !== undefined &&
    registration.expiresAt - deps.registrationWindowMs <= deps.now()
  ) {
    return false;
  }
  return deps.provider.registrationMatches?.(registration) ?? true;
}

/** The registration a session's refresh token belongs to: the one stored with it, else the current one. */
export function refreshRegistration(
  session: StoredSession,
  registration: StoredRegistration | undefined,
): StoredRegistration | undefined {
  if (session.clientId) {
    return {
      tokenEndpointAuthMethod: session.tokenEndpointAuthMethod,
      clientId: session.clientId,
      clientSecret: session.clientSecret,
      expiresAt: session.registrationExpiresAt,
    };
  }
  return registration;
}

export function isRefreshable(context: DeviceLoginContext): boolean {
  const { session } = context;
  if (!session?.refreshToken) return false;
  const registration = refreshRegistration(session, context.registration);
  if (!registration) return false;
  // An expired registration cannot refresh (botocore skips the attempt too).
  return registration.expiresAt === undefined || registration.expiresAt > context.deps.now();
}

/**
 * When a session is due for refresh: `refreshWindow` before expiry, or half-way through the token's life when the
 * window is longer than that (so short-lived tokens are not refreshed in a loop).
 */
export function refreshDueTime(deps: DeviceLoginDeps, session: StoredSession): number {
  const lifetime =
    session.issuedAt !== undefined ? session.expiresAt - session.issuedAt : Number.POSITIVE_INFINITY;
  return session.expiresAt - Math.min(deps.refreshWindowMs, Math.max(0, lifetime / 2));
}

export function isRefreshDue(deps: DeviceLoginDeps, session: StoredSession): boolean {
  return deps.now() >= refreshDueTime(deps, session);
}

/** No attempt sooner than the minimum interval after the last one, nor before a failure's backoff ends. */
export function throttledUntil(context: DeviceLoginContext): number {
  const last = context.lastRefreshAttemptAt;
  return Math.max(
    last === undefined ? 0 : last + context.deps.minRefreshIntervalMs,
    context.refreshRetryAt ?? 0,
  );
}

/** A session whose access token has not expired yet. */
export function isLive(session: StoredSession | undefined, deps: DeviceLoginDeps): session is StoredSession {
  return session !== undefined && session.expiresAt > deps.now();
}

export function isSessionDead(context: DeviceLoginContext): boolean {
  const { session } = context;
  return session !== undefined && !isRefreshable(context) && context.deps.now() >= session.expiresAt;
}

/** invalid_client / unauthorized_client: the registration itself is rejected. */
export function dropsRegistration(error: unknown): boolean {
  return isErrorCode(error, 'invalid_client unauthorized_client');
}

/** True for a `DeviceLoginError` whose code is one of `codes` (space-separated). */
export function isErrorCode(error: unknown, codes: string): boolean {
  return error instanceof DeviceLoginError && codes.split(' ').includes(error.code);
}

export function refreshDueAt(context: DeviceLoginContext): number {
  if (!context.session) return Number.POSITIVE_INFINITY;
  return Math.max(refreshDueTime(context.deps, context.session), throttledUntil(context));
}

/** Refresh errors that mean "sign in again" rather than "try again later". */
export function endsSession(error: unknown): boolean {
  return isErrorCode(error, 'invalid_grant expired_token invalid_client unauthorized_client session_expired');
}

export function sessionExpiredError(cause: unknown): DeviceLoginError {
  return new DeviceLoginError(
    'session_expired',
    'The session expired and could not be refreshed: call start() to sign in again.',
    cause === undefined ? undefined : { cause },
  );
}

/** A request that got no answer within `requestTimeoutSeconds`. Transient: the machine retries. */
export function requestTimeoutError(deps: DeviceLoginDeps, cause?: unknown): DeviceLoginError {
  return new DeviceLoginError(
    'timeout',
    `No answer within ${Math.round(deps.requestTimeoutMs / 1000)} s: abandoned, to be retried.`,
    cause === undefined ? undefined : { cause },
  );
}

export function storageFailure(what: 'read' | 'write', cause: unknown): DeviceLoginError {
  return new DeviceLoginError(
    'storage_error',
    `The storage failed to ${what}: what was obtained is kept in memory; check the storage adapter.`,
    { cause },
  );
}

export function toDeviceLoginError(error: unknown): DeviceLoginError {
  if (error instanceof DeviceLoginError) return error;
  // A provider broke the contract (threw a non-DeviceLoginError). Keep only its class name: its message may hold
  // anything, including a secret.
  const name = error instanceof Error ? error.name : typeof error;
  return new DeviceLoginError('unknown_error', `The provider failed with ${name}.`);
}
