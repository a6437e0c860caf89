import { fromCallback, fromPromise } from 'xstate';
import { retryDelay } from './backoff.ts';
import type { CrossTabMessage } from './crossTab.ts';
import type {
  DeviceCodeState,
  DeviceLoginDeps,
  DeviceLoginEvent,
  PollEvent,
  Saved,
  StoredState,
} from './deviceLoginContext.ts';
import {
  endsSession,
  isLive,
  isRefreshDue,
  nextPollTime,
  refreshRegistration,
  requestTimeoutError,
  SLOW_DOWN_S,
  sessionExpiredError,
  storageFailure,
  timerDelay,
  toDeviceLoginError,
} from './deviceLoginPolicy.ts';
import { DeviceLoginError, isTransientError } from './errors.ts';
import type { DeviceAuthorization, PollPending, ProviderRequestOptions, TokenSet } from './provider.ts';
import { isStoredSession, type StoredRegistration, type StoredSession } from './storage.ts';
import { webPageUrlProblem } from './webPageUrlProblem.ts';
import { withoutUndefined } from './withoutUndefined.ts';

/* -------------------------------------------------------------------------------------------------------------
 * Actors: every network or storage call is a fromPromise with `input` and the `signal` xstate aborts on exit, but
 * polling (`pollForToken`, a loop of requests in one callback actor: see there why).
 * -----------------------------------------------------------------------------------------------------------*/

/** The stored session, if usable as one. A storage failure rejects (the machine reports it). */
export const readStoredSession = /* @__PURE__ */ fromPromise<
  StoredSession | undefined,
  { deps: DeviceLoginDeps }
>(async ({ input: { deps } }) => {
  const stored = await deps.storage.getSession(deps.provider.scope);
  return stored && isStoredSession(stored) ? stored : undefined;
});

export const readStoredState = /* @__PURE__ */ fromPromise<
  StoredState,
  { deps: DeviceLoginDeps; force: boolean }
>(async ({ input }) => {
  const { deps } = input;
  let storageError: DeviceLoginError | undefined;
  const read = async <T>(get: () => T | undefined | Promise<T | undefined>) => {
    try {
      return await get();
    } catch (cause) {
      storageError = storageFailure('read', cause);
      return undefined;
    }
  };
  const session = input.force ? undefined : await read(() => deps.storage.getSession(deps.provider.scope));
  const registration = await read(() => deps.storage.getRegistration(deps.provider.scope));
  return { session: session && isStoredSession(session) ? session : undefined, registration, storageError };
});

export const register = /* @__PURE__ */ fromPromise<
  Saved<StoredRegistration>,
  { deps: DeviceLoginDeps; replace: boolean }
>(async ({ input, signal }) => {
  const { deps } = input;
  const { scope } = deps.provider;
  let storageError: DeviceLoginError | undefined;
  if (input.replace) {
    try {
      await deps.storage.removeRegistration(scope);
    } catch (cause) {
      storageError = storageFailure('write', cause);
    }
  }
  const registration = await timed(deps, signal, (options) => deps.provider.register(options));
  assertRegistration(registration);
  try {
    await deps.storage.setRegistration(scope, registration);
  } catch (cause) {
    storageError = storageFailure('write', cause);
  }
  return { value: registration, storageError };
});

export const startDeviceAuthorization = /* @__PURE__ */ fromPromise<
  DeviceAuthorization,
  { deps: DeviceLoginDeps; registration: StoredRegistration }
>(async ({ input, signal }) => {
  const authorization = await timed(input.deps, signal, (options) =>
    input.deps.provider.startDeviceAuthorization(input.registration, options),
  );
  assertDeviceAuthorization(authorization);
  return authorization;
});

/**
 * Polls the token endpoint until the flow ends (RFC 8628 §3.4–3.5), for as long as `awaitingUser` is active.
 *
 * One actor runs the wait-and-request loop and tells the machine only what changes the view or the flow
 * ({@link PollEvent}): a poll answered `authorization_pending` costs one timer and one request, no transition.
 * This departs from the kit's habit of a state per step and a `fromPromise` per request: at a thousand flows a
 * `waiting` ⇄ `polling` pair cost two macrosteps, three timers, a child actor and an `AbortController` per poll,
 * over twice the CPU of a bare fetch loop. What the machine models is unchanged: the flow's states, the interval,
 * the fault shown, the deadline (the state's `after`). The loop keeps only the schedule: when the next poll is due
 * and how many faults in a row it has seen.
 *
 * Rules kept here: never poll before the interval by the clock (a timer may fire early: it then waits out the
 * rest); `slow_down` adds 5 s for good; a transient fault backs off (never sooner than the interval,
 * `Retry-After` honoured); a poll with no answer within `requestTimeoutSeconds` is aborted and counts as a
 * transient `timeout`; `WAKE` catches up at once on a poll or a deadline a throttled timer missed; stopping the
 * actor (cancel, dispose, any other state) aborts the poll in flight.
 */
export const pollForToken = /* @__PURE__ */ fromCallback<
  DeviceLoginEvent,
  { deps: DeviceLoginDeps; registration: StoredRegistration; device: DeviceCodeState }
>(({ input, sendBack, receive }) => {
  const { deps, registration } = input;
  const { deviceCode, expiresAt } = input.device;
  let { interval } = input.device;
  let faults = 0;
  let inFlight = false;
  // The poll whose answer counts: one abandoned (timed out, or the actor stopped) may still answer, and is ignored.
  let attempt = 0;
  // One controller for every poll until one is abandoned: one per poll was a measurable share of its cost.
  let controller = new AbortController();
  let options = { signal: controller.signal };
  // One timer at a time: the request timeout while a poll is in flight, else the next poll, else the deadline.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextPollAt: number | undefined;

  const wait = (ms: number) => {
    inFlight = false;
    const now = deps.now();
    nextPollAt = nextPollTime(now, now + ms, interval, expiresAt);
    clearTimeout(timer);
    timer = setTimeout(onTimer, timerDelay((nextPollAt ?? expiresAt) - now));
  };
  // Acts on the clock, not on the timer: timers fire early (Node's clock, throttled tabs) or late.
  const catchUp = () => {
    const now = deps.now();
    if (now >= expiresAt) sendBack({ type: 'POLL.EXPIRED' });
    else if (nextPollAt !== undefined && now >= nextPollAt) poll();
    else if (timer === undefined) timer = setTimeout(onTimer, timerDelay((nextPollAt ?? expiresAt) - now));
  };
  const onTimer = () => {
    timer = undefined;
    if (!inFlight) return catchUp();
    // No answer within requestTimeoutSeconds: abandoned (a late answer is ignored) as a transient timeout.
    attempt++;
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
    controller = new AbortController();
    options = { signal: controller.signal };
    fault(requestTimeoutError(deps));
  };
  const poll = () => {
    inFlight = true;
    const current = ++attempt;
    clearTimeout(timer);
    timer = setTimeout(onTimer, deps.requestTimeoutMs);
    let request: Promise<unknown>;
    try {
      // A provider is an extension point: a synchronous throw or a plain value is an answer too.
      request = Promise.resolve(deps.provider.pollToken(registration, deviceCode.reveal(), options));
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (result) => current === attempt && settle(true, result),
      (error: unknown) => current === attempt && settle(false, error),
    );
  };
  const settle = (resolved: boolean, value: unknown) => {
    // "Not yet", resolved, or rejected as providers written for the older contract do.
    const answer = resolved
      ? (value as Partial<PollPending> | null)?.pending
      : value instanceof DeviceLoginError && value.code;
    if (answer === 'authorization_pending' || answer === 'slow_down') {
      const changed = faults > 0 || answer === 'slow_down';
      faults = 0;
      if (answer === 'slow_down') interval += SLOW_DOWN_S;
      // Scheduled before the machine hears of it: the actor's state is settled whatever the machine does.
      wait(interval * 1000);
      if (changed) sendBack({ type: 'POLL.STATUS', interval, fault: undefined });
      return;
    }
    if (!resolved && isTransientError(value)) return fault(value);
    clearTimeout(timer);
    timer = undefined;
    if (!resolved) return sendBack({ type: 'POLL.FAILED', error: value });
    // Providers are an extension point: whatever is not "not yet" must pass as a token set.
    let session: StoredSession;
    try {
      assertTokenSet(value as TokenSet);
      session = toSession(deps, value as TokenSet, registration, undefined);
    } catch (error) {
      return sendBack({ type: 'POLL.FAILED', error });
    }
    void saveSession(deps, session).then((storageError) =>
      sendBack({ type: 'POLL.TOKEN', output: { value: session, storageError } }),
    );
  };
  const fault = (error: unknown) => {
    faults++;
    const intervalMs = interval * 1000;
    wait(
      retryDelay(
        error,
        faults,
        intervalMs,
        intervalMs,
        Math.max(deps.retry.maxDelayMs, intervalMs),
        deps.random,
      ),
    );
    sendBack({ type: 'POLL.STATUS', interval, fault: toDeviceLoginError(error) });
  };

  receive((event) => {
    // A throttled background tab catches up as soon as it is visible or online again.
    if (event.type === 'WAKE' && !inFlight) catchUp();
  });
  wait(interval * 1000);
  return () => {
    // What a stopped actor sends is dropped by xstate; a late answer must not schedule anything either.
    attempt++;
    clearTimeout(timer);
    controller.abort();
  };
});

export const refreshSession = /* @__PURE__ */ fromPromise<
  Saved<StoredSession>,
  { deps: DeviceLoginDeps; session: StoredSession; registration: StoredRegistration | undefined }
>(async ({ input, signal }) => {
  const { deps, session } = input;
  const { scope } = deps.provider;
  return deps.coordinator.exclusive(`${scope.key}:refresh`, signal, async () => {
    // Another tab may have refreshed while this one waited for the lock: use its tokens, send no request.
    const latest = await readSessionQuietly(deps);
    const newer = latest && latest.accessToken !== session.accessToken ? latest : undefined;
    if (newer && !isRefreshDue(deps, newer)) return { value: newer, storageError: undefined };
    const base = newer ?? session;
    const registration = refreshRegistration(base, input.registration);
    if (!registration) throw sessionExpiredError(undefined);
    let tokens: TokenSet;
    try {
      tokens = await timed(deps, signal, (options) => deps.provider.refresh(registration, base, options));
      assertTokenSet(tokens);
    } catch (error) {
      if (endsSession(error)) {
        // A rotated refresh token is rejected if another tab (without locks) refreshed first.
        const again = await readSessionQuietly(deps);
        if (isLive(again, deps) && again.accessToken !== base.accessToken) {
          return { value: again, storageError: undefined };
        }
      }
      throw error;
    }
    const next = toSession(deps, tokens, registration, base);
    return { value: next, storageError: await saveSession(deps, next) };
  });
});

/**
 * Local logout first (storage, other tabs), then the server; resolves in every case. Without a session in memory
 * (logout while a slow storage is still read at start-up, or during a forced sign-in) the stored one is the one
 * to end: read before it is removed, so the server hears of it too.
 */
export const logoutRemotely = /* @__PURE__ */ fromPromise<
  void,
  { deps: DeviceLoginDeps; session: StoredSession | undefined; settle: (() => void) | undefined }
>(async ({ input, signal }) => {
  const { deps } = input;
  const session = input.session ?? (await readSessionQuietly(deps));
  try {
    await deps.storage.removeSession(deps.provider.scope);
  } catch {
    // Local logout must succeed: the in-memory session is already gone.
  }
  deps.coordinator.publish({ type: 'session-removed', key: deps.provider.scope.key, reason: 'logout' });
  try {
    const { logout } = deps.provider;
    if (session && logout)
      await timed(deps, signal, (options) => logout.call(deps.provider, session, options));
  } catch {
    // The server may already have ended the session (401) or be unreachable; the local logout stands.
  } finally {
    input.settle?.();
  }
});

/** Holds the device-flow lock for as long as the `signingIn` state is active. */
export const flowLock = /* @__PURE__ */ fromCallback<DeviceLoginEvent, { deps: DeviceLoginDeps }>(
  ({ input, sendBack }) => {
    const { coordinator, provider } = input.deps;
    const controller = new AbortController();
    let release: (() => void) | undefined;
    coordinator.hold(`${provider.scope.key}:flow`, controller.signal).then(
      (granted) => {
        if (controller.signal.aborted) return granted();
        release = granted;
        sendBack({ type: 'LOCK_ACQUIRED' });
      },
      () => {
        // Aborted: the state was left before the lock was granted.
      },
    );
    return () => {
      controller.abort();
      if (release) {
        release();
        coordinator.publish({ type: 'flow-ended', key: provider.scope.key });
      }
    };
  },
);

/**
 * How long to wait before each new read when another tab announced a session that this tab's storage does not show
 * yet. Browsers deliver localStorage writes to other tabs asynchronously, and a BroadcastChannel message can get
 * there first; about 1.6 s in all, far more than the propagation takes.
 */
const STORAGE_CATCH_UP_DELAYS_MS = [10, 25, 50, 100, 200, 400, 800] as const;

/** Turns messages from other tabs into events. Runs for the life of the actor. */
export const crossTabSync = /* @__PURE__ */ fromCallback<DeviceLoginEvent, { deps: DeviceLoginDeps }>(
  ({ input, sendBack }) => {
    const { deps } = input;
    const key = deps.provider.scope.key;
    let stopped = false;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    // Reads the announced session, again after a short wait while the storage still shows an older one (or none).
    const readAnnounced = (issuedAt: number | undefined, attempt: number) => {
      void readSessionQuietly(deps).then((session) => {
        if (stopped) return;
        const caughtUp =
          session !== undefined &&
          (issuedAt === undefined || session.issuedAt === undefined || session.issuedAt >= issuedAt);
        if (caughtUp) {
          if (isLive(session, deps)) sendBack({ type: 'SYNC.SESSION', session });
          return;
        }
        const delay = STORAGE_CATCH_UP_DELAYS_MS[attempt];
        if (delay === undefined) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          readAnnounced(issuedAt, attempt + 1);
        }, delay);
        timers.add(timer);
      });
    };
    const unsubscribe = deps.coordinator.subscribe((message: CrossTabMessage) => {
      if (message.key !== key) return;
      switch (message.type) {
        case 'session-updated':
          // Told at once, before the storage shows it: a tab waiting for the flow lock must not start a flow.
          sendBack({ type: 'SYNC.SESSION_ANNOUNCED' });
          readAnnounced(message.issuedAt, 0);
          return;
        case 'session-removed':
          sendBack({ type: 'SYNC.LOGOUT', reason: message.reason });
          return;
        case 'prompt':
          // Its shape was checked on arrival; the view copies only the prompt's members.
          sendBack({ type: 'SYNC.PROMPT', prompt: message.prompt });
          return;
        case 'prompt-request':
          sendBack({ type: 'SYNC.PROMPT_REQUEST' });
          return;
        case 'flow-ended':
          sendBack({ type: 'SYNC.FLOW_ENDED' });
          return;
        default:
          message satisfies never;
      }
    });
    return () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      unsubscribe();
    };
  },
);

export function toSession(
  deps: DeviceLoginDeps,
  tokens: TokenSet,
  registration: StoredRegistration,
  previous: StoredSession | undefined,
): StoredSession {
  const now = deps.now();
  const { scope } = deps.provider;
  return withoutUndefined<StoredSession>({
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    expiresAt: now + tokens.expiresIn * 1000,
    issuedAt: now,
    // A new sign-in when there is no previous session (the device flow); a refresh keeps the sign-in's.
    signedInAt: previous ? previous.signedInAt : now,
    // RFC 6749 §6: no new refresh token means the old one stays valid.
    refreshToken: tokens.refreshToken ?? previous?.refreshToken,
    idToken: tokens.idToken ?? previous?.idToken,
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: registration.expiresAt,
    tokenEndpointAuthMethod: registration.tokenEndpointAuthMethod,
    region: scope.region,
    startUrl: scope.startUrl,
    scopes: tokens.scopes ?? previous?.scopes ?? scope.scopes,
  });
}

export async function saveSession(
  deps: DeviceLoginDeps,
  session: StoredSession,
): Promise<DeviceLoginError | undefined> {
  const { scope } = deps.provider;
  const signOuts = deps.signOuts.count;
  try {
    await deps.storage.setSession(scope, session);
  } catch (cause) {
    return storageFailure('write', cause);
  }
  if (deps.signOuts.count !== signOuts) {
    // Signed out while the write was in flight: the logout's removal may have gone first, and a slow write (an
    // encrypting or remote adapter) would bring the session back on the next load. Undo it; tell no tab.
    try {
      await deps.storage.removeSession(scope);
    } catch {
      // As in a logout: the session is over in memory; a stale stored one is rejected by the server next time.
    }
    return undefined;
  }
  deps.coordinator.publish({ type: 'session-updated', key: scope.key, issuedAt: session.issuedAt });
  return undefined;
}

export async function readSessionQuietly(deps: DeviceLoginDeps): Promise<StoredSession | undefined> {
  try {
    const session = await deps.storage.getSession(deps.provider.scope);
    return session && isStoredSession(session) ? session : undefined;
  } catch {
    return undefined;
  }
}

/* Providers are an extension point: check what they return before trusting it. */

/**
 * Throws unless `ok`: "The provider returned a <what> without a valid <member>", coded `invalid_response` (or
 * `unsafe_url` for a link that is not http(s)). Names the member, never its value.
 */
function check(
  ok: unknown,
  what: string,
  member: string,
  code: 'invalid_response' | 'unsafe_url' = 'invalid_response',
): void {
  if (!ok) {
    throw new DeviceLoginError(
      code,
      `The provider returned a ${what} without a valid ${member} (see DeviceFlowProvider).`,
    );
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** An absolute http(s) URL: anything else (`javascript:`, a relative path) must not become a link. */
const isHttpUrl = (value: unknown): boolean => webPageUrlProblem(value) === undefined;

/** A finite number of seconds: more than 0 when `positive`, else 0 or more. */
const isSeconds = (value: unknown, positive?: boolean) =>
  typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0);

export function assertRegistration(value: StoredRegistration): void {
  check(isNonEmptyString(value?.clientId), 'registration', 'clientId');
  check(
    value.expiresAt === undefined || Number.isFinite(value.expiresAt),
    'registration',
    'expiresAt (epoch ms)',
  );
}

export function assertDeviceAuthorization(value: DeviceAuthorization): void {
  const what = 'device authorization';
  check(isNonEmptyString(value?.deviceCode), what, 'deviceCode');
  check(isNonEmptyString(value.userCode), what, 'userCode');
  check(isHttpUrl(value.verificationUri), what, 'http(s) verificationUri', 'unsafe_url');
  check(
    value.verificationUriComplete === undefined || isHttpUrl(value.verificationUriComplete),
    what,
    'http(s) verificationUriComplete',
    'unsafe_url',
  );
  check(isSeconds(value.expiresIn, true), what, 'expiresIn (seconds, more than 0)');
  check(value.interval === undefined || isSeconds(value.interval), what, 'interval (seconds, 0 or more)');
}

export function assertTokenSet(value: TokenSet): void {
  check(isNonEmptyString(value?.accessToken), 'token set', 'accessToken');
  check(isNonEmptyString(value.tokenType), 'token set', 'tokenType');
  check(isSeconds(value.expiresIn), 'token set', 'expiresIn (seconds, 0 or more)');
}

/**
 * Runs one provider call with the state's signal plus a timeout: a request that hangs would otherwise keep the
 * machine in one state forever. The timeout is a plain `setTimeout` (fake timers drive it) and becomes a
 * `timeout` error, which is transient, whatever the provider does with the abort.
 */
export async function timed<T>(
  deps: DeviceLoginDeps,
  signal: AbortSignal,
  call: (options: ProviderRequestOptions) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
  }, deps.requestTimeoutMs);
  try {
    return await call({ signal: controller.signal });
  } catch (error) {
    if (timedOut && !signal.aborted) throw requestTimeoutError(deps, error);
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
