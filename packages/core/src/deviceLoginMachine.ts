import { type ActorRefFrom, assign, fromCallback, fromPromise, setup, spawnChild } from 'xstate';
import {
  backoffDelay,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
  retryAfterMs,
} from './backoff.ts';
import {
  type CrossTabCoordinator,
  type CrossTabMessage,
  type DevicePrompt,
  localCoordinator,
} from './crossTab.ts';
import { DeviceLoginError, type DeviceLoginErrorCode, isTransientError } from './errors.ts';
import type { DeviceAuthorization, DeviceLoginProvider, TokenSet } from './provider.ts';
import { Secret } from './secret.ts';
import {
  type DeviceLoginStorage,
  isStoredSession,
  memoryStorage,
  type StoredRegistration,
  type StoredSession,
} from './storage.ts';

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 §3.5: slow_down increases the interval by 5 seconds for this and all subsequent requests. */
const SLOW_DOWN_S = 5;
/** The last poll goes out at least this long before the device code expires, when the interval allows it. */
const FINAL_POLL_MARGIN_MS = 1000;
/** A poll still in flight this long after the device code expired is abandoned. */
const POLL_GRACE_MS = 10_000;

/** What the machine is created with (`createActor(deviceLoginMachine, { input })`). */
export interface DeviceLoginMachineInput {
  /** The identity provider: `awsSsoOidc(…)`, or your own {@link DeviceLoginProvider}. */
  provider: DeviceLoginProvider;
  /** Where the registration and the session are kept. Defaults to `memoryStorage()`. */
  storage?: DeviceLoginStorage | undefined;
  /** Refresh the access token this many seconds before it expires. Defaults to `300`. */
  refreshWindowSeconds?: number | undefined;
  /** Register a new client this many seconds before the stored registration expires. Defaults to `900`. */
  registrationWindowSeconds?: number | undefined;
  /** At most one refresh attempt per this many seconds. Defaults to `30`. */
  minRefreshIntervalSeconds?: number | undefined;
  /** Retries of transient faults. Defaults to `{ retries: 4, baseDelayMs: 1000, maxDelayMs: 60000 }`. */
  retry?: RetryOptions | undefined;
  /** The wall clock, epoch ms. It must agree with `setTimeout`. Defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Source of jitter in [0, 1). Defaults to `Math.random`. */
  random?: (() => number) | undefined;
  /** Coordination with other tabs sharing the storage. Defaults to none (`localCoordinator()`). */
  coordinator?: CrossTabCoordinator | undefined;
}

/** The resolved dependencies, kept in context so every actor and delay reads the same ones. */
export interface DeviceLoginDeps {
  readonly provider: DeviceLoginProvider;
  readonly storage: DeviceLoginStorage;
  readonly coordinator: CrossTabCoordinator;
  readonly now: () => number;
  readonly random: () => number;
  readonly refreshWindowMs: number;
  readonly registrationWindowMs: number;
  readonly minRefreshIntervalMs: number;
  readonly retry: ResolvedRetryOptions;
}

/** The device authorization in progress. The device code never leaves the machine. */
export interface DeviceCodeState {
  readonly deviceCode: Secret;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string | undefined;
  /** Epoch ms when the device code expires (from the wall clock when the code arrived). */
  readonly expiresAt: number;
  /** Seconds between polls, slow_down increases included. */
  readonly interval: number;
  readonly slowedDown: boolean;
  /** Epoch ms of the next poll; `undefined` when no poll fits before the deadline. */
  readonly nextPollAt: number | undefined;
  /** Consecutive transient faults; 0 after any answer from the server. */
  readonly faults: number;
  /** The last transient fault, reported if the code expires while faults continue. */
  readonly lastFault: DeviceLoginError | undefined;
}

export interface DeviceLoginContext {
  readonly deps: DeviceLoginDeps;
  registration: StoredRegistration | undefined;
  /** Already re-registered once in this flow after invalid_client: never loop. */
  reRegistered: boolean;
  /** The running flow was started with `force` (ignores a stored session). */
  force: boolean;
  /** A START received while storage was being read. */
  pendingStart: { force: boolean } | undefined;
  device: DeviceCodeState | undefined;
  /** Another tab's prompt, shown while that tab runs the flow. */
  mirror: DevicePrompt | undefined;
  /** Present only in `authenticated`. */
  session: StoredSession | undefined;
  error: DeviceLoginError | undefined;
  /** Consecutive transient faults of registration or device authorization. */
  faults: number;
  /** Epoch ms of the next registration / authorization attempt after a fault. */
  retryAt: number | undefined;
  lastRefreshAttemptAt: number | undefined;
  refreshFailures: number;
  /** Epoch ms before which no refresh is attempted after a failure. */
  refreshRetryAt: number | undefined;
}

export type DeviceLoginEvent =
  | { type: 'START'; force?: boolean | undefined }
  | { type: 'CANCEL' }
  | { type: 'RETRY' }
  | { type: 'LOGOUT'; settle?: (() => void) | undefined }
  | { type: 'REFRESH'; force?: boolean | undefined }
  | { type: 'WAKE' }
  | { type: 'LOCK_ACQUIRED' }
  | { type: 'STORAGE_ERROR'; error: DeviceLoginError }
  | { type: 'SYNC.SESSION'; session: StoredSession }
  | { type: 'SYNC.LOGOUT'; reason: 'logout' | 'expired' }
  | { type: 'SYNC.PROMPT'; prompt: DevicePrompt }
  | { type: 'SYNC.PROMPT_REQUEST' }
  | { type: 'SYNC.FLOW_ENDED' };

interface Saved<T> {
  value: T;
  storageError: DeviceLoginError | undefined;
}

interface StoredState {
  session: StoredSession | undefined;
  registration: StoredRegistration | undefined;
  storageError: DeviceLoginError | undefined;
}

/* -------------------------------------------------------------------------------------------------------------
 * Actors: every network or storage call is a fromPromise with `input` and the `signal` xstate aborts on exit.
 * -----------------------------------------------------------------------------------------------------------*/

const readStoredSession = fromPromise<StoredState, { deps: DeviceLoginDeps }>(async ({ input }) => {
  const { deps } = input;
  const stored = await deps.storage.getSession(deps.provider.scope);
  return {
    session: stored && isStoredSession(stored) ? stored : undefined,
    registration: undefined,
    storageError: undefined,
  };
});

const readStoredState = fromPromise<StoredState, { deps: DeviceLoginDeps; force: boolean }>(
  async ({ input }) => {
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
  },
);

const register = fromPromise<Saved<StoredRegistration>, { deps: DeviceLoginDeps; replace: boolean }>(
  async ({ input, signal }) => {
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
    const registration = await deps.provider.register({ signal });
    assertRegistration(registration);
    try {
      await deps.storage.setRegistration(scope, registration);
    } catch (cause) {
      storageError = storageFailure('write', cause);
    }
    return { value: registration, storageError };
  },
);

const startDeviceAuthorization = fromPromise<
  DeviceAuthorization,
  { deps: DeviceLoginDeps; registration: StoredRegistration }
>(async ({ input, signal }) => {
  const authorization = await input.deps.provider.startDeviceAuthorization(input.registration, { signal });
  assertDeviceAuthorization(authorization);
  return authorization;
});

const pollToken = fromPromise<
  Saved<StoredSession>,
  { deps: DeviceLoginDeps; registration: StoredRegistration; deviceCode: Secret }
>(async ({ input, signal }) => {
  const { deps, registration } = input;
  const tokens = await deps.provider.pollToken(registration, input.deviceCode.reveal(), { signal });
  assertTokenSet(tokens);
  const session = toSession(deps, tokens, registration, undefined);
  return { value: session, storageError: await saveSession(deps, session) };
});

const refreshSession = fromPromise<
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
      tokens = await deps.provider.refresh(registration, base, { signal });
      assertTokenSet(tokens);
    } catch (error) {
      if (endsSession(error)) {
        // A rotated refresh token is rejected if another tab (without locks) refreshed first.
        const again = await readSessionQuietly(deps);
        if (again && again.accessToken !== base.accessToken && again.expiresAt > deps.now()) {
          return { value: again, storageError: undefined };
        }
      }
      throw error;
    }
    const next = toSession(deps, tokens, registration, base);
    return { value: next, storageError: await saveSession(deps, next) };
  });
});

/** Local logout first (storage, other tabs), then the server; resolves in every case. */
const logoutRemotely = fromPromise<
  void,
  { deps: DeviceLoginDeps; session: StoredSession | undefined; settle: (() => void) | undefined }
>(async ({ input, signal }) => {
  const { deps, session } = input;
  try {
    await deps.storage.removeSession(deps.provider.scope);
  } catch {
    // Local logout must succeed: the in-memory session is already gone.
  }
  deps.coordinator.publish({ type: 'session-removed', key: deps.provider.scope.key, reason: 'logout' });
  try {
    if (session && deps.provider.logout) await deps.provider.logout(session, { signal });
  } catch {
    // The server may already have ended the session (401) or be unreachable; the local logout stands.
  } finally {
    input.settle?.();
  }
});

/** Holds the device-flow lock for as long as the `signingIn` state is active. */
const flowLock = fromCallback<DeviceLoginEvent, { deps: DeviceLoginDeps }>(({ input, sendBack }) => {
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
});

/** Turns messages from other tabs into events. Runs for the life of the actor. */
const crossTabSync = fromCallback<DeviceLoginEvent, { deps: DeviceLoginDeps }>(({ input, sendBack }) => {
  const { deps } = input;
  const key = deps.provider.scope.key;
  let stopped = false;
  const unsubscribe = deps.coordinator.subscribe((message: CrossTabMessage) => {
    if (message.key !== key) return;
    switch (message.type) {
      case 'session-updated':
        void readSessionQuietly(deps).then((session) => {
          if (!stopped && session && session.expiresAt > deps.now())
            sendBack({ type: 'SYNC.SESSION', session });
        });
        return;
      case 'session-removed':
        sendBack({ type: 'SYNC.LOGOUT', reason: message.reason });
        return;
      case 'prompt': {
        const { userCode, verificationUri, verificationUriComplete, expiresAt, interval } = message.prompt;
        sendBack({
          type: 'SYNC.PROMPT',
          prompt: { userCode, verificationUri, verificationUriComplete, expiresAt, interval },
        });
        return;
      }
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
    unsubscribe();
  };
});

/* -------------------------------------------------------------------------------------------------------------
 * The machine
 * -----------------------------------------------------------------------------------------------------------*/

/**
 * The device-login state machine (RFC 8628 with AWS IAM Identity Center specifics kept in the provider).
 *
 * Most apps use `createDeviceLogin`, which wraps this machine in a small subscribable API. Use the machine directly
 * to compose it with your own actors: `createActor(deviceLoginMachine, { input: { provider, storage } }).start()`,
 * then send `START`, `CANCEL`, `RETRY`, `LOGOUT`, `REFRESH` and `WAKE`.
 *
 * @example
 * ```ts
 * const actor = createActor(deviceLoginMachine, { input: { provider: awsSsoOidc({ region, startUrl, clientName }) } });
 * actor.start();
 * actor.send({ type: 'START' });
 * ```
 */
export const deviceLoginMachine = setup({
  types: {
    context: {} as DeviceLoginContext,
    events: {} as DeviceLoginEvent,
    input: {} as DeviceLoginMachineInput,
  },
  actors: {
    readStoredSession,
    readStoredState,
    register,
    startDeviceAuthorization,
    pollToken,
    refreshSession,
    logoutRemotely,
    flowLock,
    crossTabSync,
  },
  guards: {
    isErrorCode: (_, params: { error: unknown; codes: readonly DeviceLoginErrorCode[] }) =>
      params.error instanceof DeviceLoginError && params.codes.includes(params.error.code),
    /** invalid_client / unauthorized_client, and no re-registration yet in this flow. */
    canReRegister: ({ context }, params: { error: unknown }) =>
      !context.reRegistered &&
      params.error instanceof DeviceLoginError &&
      (params.error.code === 'invalid_client' || params.error.code === 'unauthorized_client'),
    canRetrySetup: ({ context }, params: { error: unknown }) =>
      isTransientError(params.error) && context.faults < context.deps.retry.retries,
    isTransient: (_, params: { error: unknown }) => isTransientError(params.error),
    hasUsableSession: ({ context }) =>
      context.session !== undefined && context.session.expiresAt > context.deps.now(),
    hasRefreshableSession: ({ context }) => context.session !== undefined && isRefreshable(context),
    hasStoredSession: (_, params: { stored: StoredState }) => params.stored.session !== undefined,
    storedSessionUsable: ({ context }, params: { stored: StoredState }) =>
      params.stored.session !== undefined && params.stored.session.expiresAt > context.deps.now(),
    storedRegistrationUsable: ({ context }, params: { stored: StoredState }) =>
      isRegistrationUsable(context.deps, params.stored.registration),
    startPending: ({ context }) => context.pendingStart !== undefined,
    isForced: (_, params: { force?: boolean | undefined }) => params.force === true,
    isNewSession: ({ context }, params: { session: StoredSession }) =>
      params.session.accessToken !== context.session?.accessToken,
    pollDue: ({ context }) =>
      context.device?.nextPollAt !== undefined && context.deps.now() >= context.device.nextPollAt,
    canPoll: ({ context }) => context.device?.nextPollAt !== undefined,
    deviceExpired: ({ context }) =>
      context.device !== undefined && context.deps.now() >= context.device.expiresAt,
    endedWithFault: ({ context }) => context.device?.lastFault !== undefined,
    canRefresh: ({ context }) => isRefreshable(context),
    refreshDueNow: ({ context }) => isRefreshable(context) && context.deps.now() >= refreshDueAt(context),
    refreshAllowed: ({ context }, params: { force?: boolean | undefined }) =>
      isRefreshable(context) &&
      context.deps.now() >= throttledUntil(context) &&
      (params.force === true || context.deps.now() >= refreshDueAt(context)),
    sessionDead: ({ context }) => isSessionDead(context),
    sessionDeadAndStartPending: ({ context }) => isSessionDead(context) && context.pendingStart !== undefined,
    endsSession: (_, params: { error: unknown }) => endsSession(params.error),
    isLogoutReasonExpired: (_, params: { reason: 'logout' | 'expired' }) => params.reason === 'expired',
  },
  delays: {
    untilRetry: ({ context }) => Math.max(0, (context.retryAt ?? 0) - context.deps.now()),
    untilNextPoll: ({ context }) =>
      Math.max(0, (context.device?.nextPollAt ?? context.device?.expiresAt ?? 0) - context.deps.now()),
    untilDeviceExpiry: ({ context }) => Math.max(0, (context.device?.expiresAt ?? 0) - context.deps.now()),
    untilPollAbandoned: ({ context }) =>
      Math.max(0, (context.device?.expiresAt ?? 0) + POLL_GRACE_MS - context.deps.now()),
    untilRefreshDue: ({ context }) => Math.max(0, refreshDueAt(context) - context.deps.now()),
    untilSessionExpiry: ({ context }) => Math.max(0, (context.session?.expiresAt ?? 0) - context.deps.now()),
  },
  actions: {
    rememberStart: assign((_, params: { force?: boolean | undefined }) => ({
      pendingStart: { force: params.force === true },
    })),
    beginFlow: assign(({ context }, params: { force?: boolean | undefined }) => ({
      force: params.force === true || context.pendingStart?.force === true,
      pendingStart: undefined,
      reRegistered: false,
      device: undefined,
      mirror: undefined,
      session: undefined,
      error: undefined,
      faults: 0,
      retryAt: undefined,
      lastRefreshAttemptAt: undefined,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    clearFlow: assign({
      device: undefined,
      mirror: undefined,
      pendingStart: undefined,
      faults: 0,
      retryAt: undefined,
    }),
    assignStored: assign((_, params: { stored: StoredState }) => ({
      session: params.stored.session,
      ...(params.stored.storageError ? { error: params.stored.storageError } : {}),
    })),
    assignStoredRegistration: assign((_, params: { stored: StoredState }) => ({
      registration: params.stored.registration,
      ...(params.stored.storageError ? { error: params.stored.storageError } : {}),
    })),
    assignRegistration: assign((_, params: Saved<StoredRegistration>) => ({
      registration: params.value,
      error: params.storageError,
      faults: 0,
      retryAt: undefined,
    })),
    dropRegistration: assign({ registration: undefined, reRegistered: true, device: undefined, faults: 0 }),
    assignDevice: assign(({ context }, params: { authorization: DeviceAuthorization }) => {
      const now = context.deps.now();
      const { authorization } = params;
      const interval = authorization.interval ?? DEFAULT_INTERVAL_S;
      const expiresAt = now + authorization.expiresIn * 1000;
      return {
        device: {
          deviceCode: new Secret(authorization.deviceCode),
          userCode: authorization.userCode,
          verificationUri: authorization.verificationUri,
          verificationUriComplete: authorization.verificationUriComplete,
          expiresAt,
          interval,
          slowedDown: false,
          nextPollAt: nextPollTime(now, now + interval * 1000, interval, expiresAt),
          faults: 0,
          lastFault: undefined,
        },
        mirror: undefined,
        error: undefined,
        faults: 0,
        retryAt: undefined,
      };
    }),
    schedulePoll: assign(({ context }, params: { slowDown: boolean }) => {
      const device = context.device!;
      const now = context.deps.now();
      const interval = device.interval + (params.slowDown ? SLOW_DOWN_S : 0);
      return {
        device: {
          ...device,
          interval,
          slowedDown: device.slowedDown || params.slowDown,
          nextPollAt: nextPollTime(now, now + interval * 1000, interval, device.expiresAt),
          faults: 0,
          lastFault: undefined,
        },
        error: undefined,
      };
    }),
    schedulePollRetry: assign(({ context }, params: { error: unknown }) => {
      const device = context.device!;
      const { deps } = context;
      const now = deps.now();
      const faults = device.faults + 1;
      const intervalMs = device.interval * 1000;
      const wait = Math.max(
        intervalMs,
        retryAfterMs(params.error),
        backoffDelay(faults, intervalMs, Math.max(deps.retry.maxDelayMs, intervalMs), deps.random),
      );
      const error = toDeviceLoginError(params.error);
      return {
        device: {
          ...device,
          faults,
          lastFault: error,
          nextPollAt: nextPollTime(now, now + wait, device.interval, device.expiresAt),
        },
        error,
      };
    }),
    scheduleSetupRetry: assign(({ context }, params: { error: unknown }) => {
      const { deps } = context;
      const faults = context.faults + 1;
      const wait = Math.max(
        retryAfterMs(params.error),
        backoffDelay(faults, deps.retry.baseDelayMs, deps.retry.maxDelayMs, deps.random),
      );
      return { faults, retryAt: deps.now() + wait, error: toDeviceLoginError(params.error) };
    }),
    clearError: assign({ error: undefined }),
    assignError: assign((_, params: { error: unknown }) => ({ error: toDeviceLoginError(params.error) })),
    assignLastFault: assign(({ context }) => ({ error: context.device?.lastFault })),
    assignExpiredError: assign({
      error: () =>
        new DeviceLoginError(
          'expired_token',
          'The device code expired before the sign-in was approved: call start() for a new code.',
        ),
    }),
    assignSession: assign((_, params: Saved<StoredSession>) => ({
      session: params.value,
      error: params.storageError,
      device: undefined,
      mirror: undefined,
      pendingStart: undefined,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    assignSyncedSession: assign((_, params: { session: StoredSession }) => ({
      session: params.session,
      error: undefined,
      device: undefined,
      mirror: undefined,
      pendingStart: undefined,
      lastRefreshAttemptAt: undefined,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    markRefreshAttempt: assign(({ context }) => ({ lastRefreshAttemptAt: context.deps.now() })),
    refreshFailed: assign(({ context }, params: { error: unknown }) => {
      const { deps } = context;
      const refreshFailures = context.refreshFailures + 1;
      const wait = Math.max(
        deps.minRefreshIntervalMs,
        retryAfterMs(params.error),
        backoffDelay(refreshFailures, deps.minRefreshIntervalMs, 5 * 60_000, deps.random),
      );
      return { refreshFailures, refreshRetryAt: deps.now() + wait, error: toDeviceLoginError(params.error) };
    }),
    clearStoredSession: ({ context }, params: { error: unknown }) => {
      const { deps } = context;
      const { scope } = deps.provider;
      const dropRegistration = dropsRegistration(params.error);
      void Promise.resolve()
        .then(async () => {
          await deps.storage.removeSession(scope);
          if (dropRegistration) await deps.storage.removeRegistration(scope);
        })
        .catch(() => {
          // The session is over in memory; a stale stored one is rejected by the server next time.
        })
        .finally(() =>
          deps.coordinator.publish({ type: 'session-removed', key: scope.key, reason: 'expired' }),
        );
    },
    assignSessionEnded: assign(({ context }, params: { error: unknown }) => ({
      session: undefined,
      registration: dropsRegistration(params.error) ? undefined : context.registration,
      error: sessionExpiredError(params.error),
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    forgetSession: assign((_, params: { expired: boolean }) => ({
      session: undefined,
      error: params.expired ? sessionExpiredError(undefined) : undefined,
      lastRefreshAttemptAt: undefined,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    startLogout: spawnChild('logoutRemotely', {
      input: ({ context, event }) => ({
        deps: context.deps,
        session: context.session,
        settle: event.type === 'LOGOUT' ? event.settle : undefined,
      }),
    }),
    clearAfterLogout: assign({
      session: undefined,
      error: undefined,
      device: undefined,
      mirror: undefined,
      pendingStart: undefined,
      lastRefreshAttemptAt: undefined,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    }),
    assignMirror: assign((_, params: { prompt: DevicePrompt }) => ({ mirror: params.prompt })),
    clearMirror: assign({ mirror: undefined }),
    publishPrompt: ({ context }) => {
      const { device, deps } = context;
      if (!device) return;
      deps.coordinator.publish({
        type: 'prompt',
        key: deps.provider.scope.key,
        prompt: {
          userCode: device.userCode,
          verificationUri: device.verificationUri,
          verificationUriComplete: device.verificationUriComplete,
          expiresAt: device.expiresAt,
          interval: device.interval,
        },
      });
    },
    requestPrompt: ({ context }) =>
      context.deps.coordinator.publish({ type: 'prompt-request', key: context.deps.provider.scope.key }),
  },
}).createMachine({
  id: 'deviceLogin',
  context: ({ input }) => ({
    deps: resolveDeps(input),
    registration: undefined,
    reRegistered: false,
    force: false,
    pendingStart: undefined,
    device: undefined,
    mirror: undefined,
    session: undefined,
    error: undefined,
    faults: 0,
    retryAt: undefined,
    lastRefreshAttemptAt: undefined,
    refreshFailures: 0,
    refreshRetryAt: undefined,
  }),
  invoke: { src: 'crossTabSync', input: ({ context }) => ({ deps: context.deps }) },
  on: {
    STORAGE_ERROR: { actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) } },
    LOGOUT: { actions: ['startLogout', 'clearAfterLogout'] },
  },
  initial: 'restoring',
  states: {
    restoring: {
      invoke: {
        src: 'readStoredSession',
        input: ({ context }) => ({ deps: context.deps }),
        onDone: [
          {
            guard: { type: 'hasStoredSession', params: ({ event }) => ({ stored: event.output }) },
            target: 'restored',
            actions: { type: 'assignStored', params: ({ event }) => ({ stored: event.output }) },
          },
          { target: 'restored' },
        ],
        onError: {
          target: 'restored',
          actions: {
            type: 'assignError',
            params: ({ event }) => ({ error: storageFailure('read', event.error) }),
          },
        },
      },
      on: {
        START: { actions: { type: 'rememberStart', params: ({ event }) => event } },
        RETRY: { actions: { type: 'rememberStart', params: () => ({ force: false }) } },
        LOGOUT: { target: 'idle', actions: ['startLogout', 'clearAfterLogout'] },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
    },
    /** Decides where a restored session leads. */
    restored: {
      always: [
        {
          guard: { type: 'isForced', params: ({ context }) => ({ force: context.pendingStart?.force }) },
          target: 'signingIn',
          actions: { type: 'beginFlow', params: () => ({ force: true }) },
        },
        { guard: 'hasUsableSession', target: 'authenticated' },
        { guard: 'hasRefreshableSession', target: 'authenticated.refreshing' },
        {
          guard: 'sessionDeadAndStartPending',
          target: 'signingIn',
          actions: [
            { type: 'clearStoredSession', params: { error: undefined } },
            { type: 'beginFlow', params: {} },
          ],
        },
        {
          guard: 'sessionDead',
          target: 'idle',
          actions: [
            { type: 'clearStoredSession', params: { error: undefined } },
            { type: 'assignSessionEnded', params: { error: undefined } },
          ],
        },
        { guard: 'startPending', target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        { target: 'idle' },
      ],
    },
    idle: {
      id: 'idle',
      on: {
        START: { target: 'signingIn', actions: { type: 'beginFlow', params: ({ event }) => event } },
        RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        LOGOUT: { actions: ['startLogout', 'clearAfterLogout'] },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
    },
    signingIn: {
      id: 'signingIn',
      invoke: { src: 'flowLock', input: ({ context }) => ({ deps: context.deps }) },
      on: {
        CANCEL: { target: 'idle', actions: ['clearFlow', 'clearError'] },
        LOGOUT: { target: 'idle', actions: ['clearFlow', 'startLogout', 'clearAfterLogout'] },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
      initial: 'waitingForLock',
      states: {
        waitingForLock: {
          entry: 'requestPrompt',
          on: {
            LOCK_ACQUIRED: 'loading',
            'SYNC.PROMPT': { actions: { type: 'assignMirror', params: ({ event }) => event } },
            'SYNC.FLOW_ENDED': { actions: 'clearMirror' },
          },
        },
        loading: {
          entry: 'clearMirror',
          invoke: {
            src: 'readStoredState',
            input: ({ context }) => ({ deps: context.deps, force: context.force }),
            onDone: [
              {
                // Another tab signed in while this one waited for the lock.
                guard: { type: 'storedSessionUsable', params: ({ event }) => ({ stored: event.output }) },
                target: '#authenticated',
                actions: {
                  type: 'assignSession',
                  params: ({ event }) => ({ value: event.output.session!, storageError: undefined }),
                },
              },
              {
                guard: {
                  type: 'storedRegistrationUsable',
                  params: ({ event }) => ({ stored: event.output }),
                },
                target: 'authorizing',
                actions: {
                  type: 'assignStoredRegistration',
                  params: ({ event }) => ({ stored: event.output }),
                },
              },
              {
                target: 'registering',
                actions: {
                  type: 'assignStoredRegistration',
                  params: ({ event }) => ({ stored: { ...event.output, registration: undefined } }),
                },
              },
            ],
            onError: { target: 'registering' },
          },
        },
        registering: {
          invoke: {
            src: 'register',
            input: ({ context }) => ({ deps: context.deps, replace: context.reRegistered }),
            onDone: {
              target: 'authorizing',
              actions: { type: 'assignRegistration', params: ({ event }) => event.output },
            },
            onError: [
              {
                guard: { type: 'canRetrySetup', params: ({ event }) => ({ error: event.error }) },
                target: 'registerBackoff',
                actions: { type: 'scheduleSetupRetry', params: ({ event }) => ({ error: event.error }) },
              },
              {
                target: '#failed',
                actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
        registerBackoff: {
          after: { untilRetry: 'registering' },
          on: { RETRY: 'registering', WAKE: 'registering' },
        },
        authorizing: {
          invoke: {
            src: 'startDeviceAuthorization',
            input: ({ context }) => ({ deps: context.deps, registration: context.registration! }),
            onDone: {
              target: 'awaitingUser',
              actions: [
                { type: 'assignDevice', params: ({ event }) => ({ authorization: event.output }) },
                'publishPrompt',
              ],
            },
            onError: [
              {
                guard: { type: 'canReRegister', params: ({ event }) => ({ error: event.error }) },
                target: 'registering',
                actions: 'dropRegistration',
              },
              {
                guard: { type: 'canRetrySetup', params: ({ event }) => ({ error: event.error }) },
                target: 'authorizeBackoff',
                actions: { type: 'scheduleSetupRetry', params: ({ event }) => ({ error: event.error }) },
              },
              {
                target: '#failed',
                actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
        authorizeBackoff: {
          after: { untilRetry: 'authorizing' },
          on: { RETRY: 'authorizing', WAKE: 'authorizing' },
        },
        awaitingUser: {
          on: { 'SYNC.PROMPT_REQUEST': { actions: 'publishPrompt' } },
          initial: 'waiting',
          states: {
            waiting: {
              after: {
                untilNextPoll: { guard: 'canPoll', target: 'polling' },
                untilDeviceExpiry: [
                  { guard: 'endedWithFault', target: '#failed', actions: 'assignLastFault' },
                  { target: '#expired', actions: 'assignExpiredError' },
                ],
              },
              on: {
                // A throttled background tab catches up as soon as it is visible or online again.
                WAKE: [
                  { guard: 'deviceExpired', target: '#expired', actions: 'assignExpiredError' },
                  { guard: 'pollDue', target: 'polling' },
                ],
              },
            },
            polling: {
              after: {
                untilPollAbandoned: [
                  { guard: 'endedWithFault', target: '#failed', actions: 'assignLastFault' },
                  { target: '#expired', actions: 'assignExpiredError' },
                ],
              },
              invoke: {
                src: 'pollToken',
                input: ({ context }) => ({
                  deps: context.deps,
                  registration: context.registration!,
                  deviceCode: context.device!.deviceCode,
                }),
                onDone: {
                  target: '#authenticated',
                  actions: { type: 'assignSession', params: ({ event }) => event.output },
                },
                onError: [
                  {
                    guard: {
                      type: 'isErrorCode',
                      params: ({ event }) => ({ error: event.error, codes: ['authorization_pending'] }),
                    },
                    target: 'waiting',
                    actions: { type: 'schedulePoll', params: { slowDown: false } },
                  },
                  {
                    guard: {
                      type: 'isErrorCode',
                      params: ({ event }) => ({ error: event.error, codes: ['slow_down'] }),
                    },
                    target: 'waiting',
                    actions: { type: 'schedulePoll', params: { slowDown: true } },
                  },
                  {
                    guard: {
                      type: 'isErrorCode',
                      params: ({ event }) => ({ error: event.error, codes: ['expired_token'] }),
                    },
                    target: '#expired',
                    actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) },
                  },
                  {
                    guard: {
                      type: 'isErrorCode',
                      params: ({ event }) => ({ error: event.error, codes: ['access_denied'] }),
                    },
                    target: '#denied',
                    actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) },
                  },
                  {
                    // The device code belongs to the rejected client: register again and get a new code.
                    guard: { type: 'canReRegister', params: ({ event }) => ({ error: event.error }) },
                    target: '#signingIn.registering',
                    actions: 'dropRegistration',
                  },
                  {
                    guard: { type: 'isTransient', params: ({ event }) => ({ error: event.error }) },
                    target: 'waiting',
                    actions: { type: 'schedulePollRetry', params: ({ event }) => ({ error: event.error }) },
                  },
                  {
                    target: '#failed',
                    actions: { type: 'assignError', params: ({ event }) => ({ error: event.error }) },
                  },
                ],
              },
            },
          },
        },
      },
    },
    authenticated: {
      id: 'authenticated',
      on: {
        LOGOUT: { target: 'idle', actions: ['startLogout', 'clearAfterLogout'] },
        'SYNC.LOGOUT': {
          target: 'idle',
          actions: {
            type: 'forgetSession',
            params: ({ event }) => ({ expired: event.reason === 'expired' }),
          },
        },
        'SYNC.SESSION': {
          guard: { type: 'isNewSession', params: ({ event }) => event },
          target: '.active',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
        START: {
          guard: { type: 'isForced', params: ({ event }) => event },
          target: 'signingIn',
          actions: { type: 'beginFlow', params: () => ({ force: true }) },
        },
      },
      initial: 'active',
      states: {
        active: {
          after: {
            untilRefreshDue: { guard: 'canRefresh', target: 'refreshing' },
            untilSessionExpiry: {
              guard: 'sessionDead',
              target: '#idle',
              actions: [
                { type: 'clearStoredSession', params: { error: undefined } },
                { type: 'assignSessionEnded', params: { error: undefined } },
              ],
            },
          },
          on: {
            REFRESH: {
              guard: { type: 'refreshAllowed', params: ({ event }) => event },
              target: 'refreshing',
            },
            WAKE: [
              { guard: 'refreshDueNow', target: 'refreshing' },
              {
                guard: 'sessionDead',
                target: '#idle',
                actions: [
                  { type: 'clearStoredSession', params: { error: undefined } },
                  { type: 'assignSessionEnded', params: { error: undefined } },
                ],
              },
            ],
          },
        },
        refreshing: {
          entry: 'markRefreshAttempt',
          invoke: {
            src: 'refreshSession',
            input: ({ context }) => ({
              deps: context.deps,
              session: context.session!,
              registration: context.registration,
            }),
            onDone: {
              target: 'active',
              actions: { type: 'assignSession', params: ({ event }) => event.output },
            },
            onError: [
              {
                guard: { type: 'endsSession', params: ({ event }) => ({ error: event.error }) },
                target: '#idle',
                actions: [
                  { type: 'clearStoredSession', params: ({ event }) => ({ error: event.error }) },
                  { type: 'assignSessionEnded', params: ({ event }) => ({ error: event.error }) },
                ],
              },
              {
                // Keep the current token (still valid or not) and try again later: a fault loses nothing.
                target: 'active',
                actions: { type: 'refreshFailed', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
      },
    },
    expired: {
      id: 'expired',
      entry: 'clearFlow',
      on: {
        START: { target: 'signingIn', actions: { type: 'beginFlow', params: ({ event }) => event } },
        RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
    },
    denied: {
      id: 'denied',
      entry: 'clearFlow',
      on: {
        START: { target: 'signingIn', actions: { type: 'beginFlow', params: ({ event }) => event } },
        RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
    },
    failed: {
      id: 'failed',
      entry: 'clearFlow',
      on: {
        START: { target: 'signingIn', actions: { type: 'beginFlow', params: ({ event }) => event } },
        RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
    },
  },
});

export type DeviceLoginActor = ActorRefFrom<typeof deviceLoginMachine>;

/* -------------------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------------------*/

function resolveDeps(input: DeviceLoginMachineInput): DeviceLoginDeps {
  return {
    provider: input.provider,
    storage: input.storage ?? memoryStorage(),
    coordinator: input.coordinator ?? localCoordinator(),
    now: input.now ?? Date.now,
    random: input.random ?? Math.random,
    refreshWindowMs: (input.refreshWindowSeconds ?? 300) * 1000,
    registrationWindowMs: (input.registrationWindowSeconds ?? 900) * 1000,
    minRefreshIntervalMs: (input.minRefreshIntervalSeconds ?? 30) * 1000,
    retry: resolveRetryOptions(input.retry),
  };
}

/**
 * When the next poll goes out: at `desired`, pulled in to just before the deadline when it would miss it, but never
 * sooner than one interval after `now` (RFC 8628 §3.5). `undefined` when no poll fits before the deadline.
 */
function nextPollTime(now: number, desired: number, interval: number, expiresAt: number): number | undefined {
  const earliest = now + interval * 1000;
  const at = Math.max(earliest, Math.min(desired, expiresAt - FINAL_POLL_MARGIN_MS));
  return at < expiresAt ? at : undefined;
}

function isRegistrationUsable(deps: DeviceLoginDeps, registration: StoredRegistration | undefined): boolean {
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
function refreshRegistration(
  session: StoredSession,
  registration: StoredRegistration | undefined,
): StoredRegistration | undefined {
  if (session.clientId) {
    return {
      clientId: session.clientId,
      clientSecret: session.clientSecret,
      expiresAt: session.registrationExpiresAt,
    };
  }
  return registration;
}

function isRefreshable(context: DeviceLoginContext): boolean {
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
function refreshDueTime(deps: DeviceLoginDeps, session: StoredSession): number {
  const lifetime =
    session.issuedAt !== undefined ? session.expiresAt - session.issuedAt : Number.POSITIVE_INFINITY;
  return session.expiresAt - Math.min(deps.refreshWindowMs, Math.max(0, lifetime / 2));
}

function isRefreshDue(deps: DeviceLoginDeps, session: StoredSession): boolean {
  return deps.now() >= refreshDueTime(deps, session);
}

/** No attempt sooner than the minimum interval after the last one, nor before a failure's backoff ends. */
function throttledUntil(context: DeviceLoginContext): number {
  const last = context.lastRefreshAttemptAt;
  return Math.max(
    last === undefined ? 0 : last + context.deps.minRefreshIntervalMs,
    context.refreshRetryAt ?? 0,
  );
}

function isSessionDead(context: DeviceLoginContext): boolean {
  const { session } = context;
  return session !== undefined && !isRefreshable(context) && context.deps.now() >= session.expiresAt;
}

/** invalid_client / unauthorized_client: the registration itself is rejected. */
function dropsRegistration(error: unknown): boolean {
  return (
    error instanceof DeviceLoginError &&
    (error.code === 'invalid_client' || error.code === 'unauthorized_client')
  );
}

function refreshDueAt(context: DeviceLoginContext): number {
  if (!context.session) return Number.POSITIVE_INFINITY;
  return Math.max(refreshDueTime(context.deps, context.session), throttledUntil(context));
}

function toSession(
  deps: DeviceLoginDeps,
  tokens: TokenSet,
  registration: StoredRegistration,
  previous: StoredSession | undefined,
): StoredSession {
  const now = deps.now();
  const { scope } = deps.provider;
  const session: StoredSession = {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    expiresAt: now + tokens.expiresIn * 1000,
    issuedAt: now,
    // RFC 6749 §6: no new refresh token means the old one stays valid.
    refreshToken: tokens.refreshToken ?? previous?.refreshToken,
    idToken: tokens.idToken ?? previous?.idToken,
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: registration.expiresAt,
    region: scope.region,
    startUrl: scope.startUrl,
    scopes: tokens.scopes ?? previous?.scopes ?? scope.scopes,
  };
  for (const key of Object.keys(session) as (keyof StoredSession)[]) {
    if (session[key] === undefined) delete session[key];
  }
  return session;
}

async function saveSession(
  deps: DeviceLoginDeps,
  session: StoredSession,
): Promise<DeviceLoginError | undefined> {
  const { scope } = deps.provider;
  try {
    await deps.storage.setSession(scope, session);
  } catch (cause) {
    return storageFailure('write', cause);
  }
  deps.coordinator.publish({ type: 'session-updated', key: scope.key });
  return undefined;
}

async function readSessionQuietly(deps: DeviceLoginDeps): Promise<StoredSession | undefined> {
  try {
    const session = await deps.storage.getSession(deps.provider.scope);
    return session && isStoredSession(session) ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh errors that mean "sign in again" rather than "try again later". */
function endsSession(error: unknown): boolean {
  if (!(error instanceof DeviceLoginError)) return false;
  switch (error.code) {
    case 'invalid_grant':
    case 'expired_token':
    case 'invalid_client':
    case 'unauthorized_client':
    case 'session_expired':
      return true;
    default:
      return false;
  }
}

function sessionExpiredError(cause: unknown): DeviceLoginError {
  return new DeviceLoginError(
    'session_expired',
    'The session ended (the access token expired and could not be refreshed): call start() to sign in again.',
    cause === undefined ? undefined : { cause },
  );
}

function storageFailure(what: 'read' | 'write', cause: unknown): DeviceLoginError {
  return new DeviceLoginError(
    'storage_error',
    `The storage failed to ${what}: what was obtained is kept in memory; check the storage adapter.`,
    { cause },
  );
}

function toDeviceLoginError(error: unknown): DeviceLoginError {
  if (error instanceof DeviceLoginError) return error;
  // A provider broke the contract (threw a non-DeviceLoginError). Keep only its class name: its message may hold
  // anything, including a secret.
  const name = error instanceof Error ? error.name : typeof error;
  return new DeviceLoginError('unknown_error', `The provider failed with ${name}.`);
}

/* Providers are an extension point: check what they return before trusting it. */

function invalid(message: string): DeviceLoginError {
  return new DeviceLoginError('invalid_response', message);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function assertRegistration(value: StoredRegistration): void {
  if (!value || !isNonEmptyString(value.clientId))
    throw invalid('The provider returned a registration without a clientId.');
  if (value.expiresAt !== undefined && !Number.isFinite(value.expiresAt)) {
    throw invalid('The provider returned a registration whose expiresAt is not a number of epoch ms.');
  }
}

function assertDeviceAuthorization(value: DeviceAuthorization): void {
  if (!value || !isNonEmptyString(value.deviceCode))
    throw invalid('The device authorization has no device code.');
  if (!isNonEmptyString(value.userCode)) throw invalid('The device authorization has no user code.');
  if (!isNonEmptyString(value.verificationUri) || !isHttpUrl(value.verificationUri)) {
    throw new DeviceLoginError('unsafe_url', 'The device authorization has no http(s) verification URI.');
  }
  if (value.verificationUriComplete !== undefined && !isHttpUrl(value.verificationUriComplete)) {
    throw new DeviceLoginError(
      'unsafe_url',
      'The device authorization has a verificationUriComplete that is not http(s).',
    );
  }
  if (typeof value.expiresIn !== 'number' || !(value.expiresIn > 0)) {
    throw invalid('The device authorization has no positive expiresIn.');
  }
  if (value.interval !== undefined && (typeof value.interval !== 'number' || !(value.interval >= 0))) {
    throw invalid('The device authorization has an interval that is not a non-negative number.');
  }
}

function assertTokenSet(value: TokenSet): void {
  if (!value || !isNonEmptyString(value.accessToken))
    throw invalid('The token response has no access token.');
  if (!isNonEmptyString(value.tokenType)) throw invalid('The token response has no token type.');
  if (typeof value.expiresIn !== 'number' || !Number.isFinite(value.expiresIn) || value.expiresIn < 0) {
    throw invalid('The token response has no valid expiresIn.');
  }
}
