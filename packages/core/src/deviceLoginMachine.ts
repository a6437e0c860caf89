import { type ActorRefFrom, assign, not, sendTo, setup, spawnChild } from 'xstate';
import { retryDelay } from './backoff.ts';
import {
  crossTabSync,
  flowLock,
  logoutRemotely,
  pollForToken,
  readStoredSession,
  readStoredState,
  refreshSession,
  register,
  startDeviceAuthorization,
} from './deviceLoginActors.ts';
import {
  type DeviceLoginContext,
  type DeviceLoginEvent,
  type DeviceLoginMachineInput,
  resolveDeps,
  type Saved,
  type StoredState,
} from './deviceLoginContext.ts';
import {
  DEFAULT_INTERVAL_S,
  dropsRegistration,
  endsSession,
  isErrorCode,
  isRefreshable,
  isRegistrationUsable,
  isSessionDead,
  POLL_GRACE_MS,
  refreshDueAt,
  sessionExpiredError,
  storageFailure,
  throttledUntil,
  timerDelay,
  toDeviceLoginError,
} from './deviceLoginPolicy.ts';
import { DeviceLoginError, isTransientError } from './errors.ts';
import { Secret } from './secret.ts';
import type { StoredSession } from './storage.ts';

export type {
  DeviceCodeState,
  DeviceLoginContext,
  DeviceLoginDeps,
  DeviceLoginEvent,
  DeviceLoginMachineInput,
  PollEvent,
} from './deviceLoginContext.ts';

/**
 * The device-login state machine (RFC 8628 with AWS IAM Identity Center specifics kept in the provider).
 *
 * Most apps use `createDeviceLogin`, which wraps this machine in a small subscribable API. Use the machine directly
 * to compose it with your own actors: `createActor(deviceLoginMachine, { input: { provider, storage } }).start()`,
 * then send `START`, `CANCEL`, `RETRY`, `LOGOUT`, `REFRESH` and `WAKE`.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 *
 * const actor = createActor(deviceLoginMachine, { input: { provider: awsSsoOidc({ region, startUrl, clientName }) } });
 * actor.start();
 * actor.send({ type: 'START' });
 * ```
 */
type EventOf<T extends DeviceLoginEvent['type']> = Extract<DeviceLoginEvent, { type: T }>;

/**
 * expired, denied and failed: the flow is over; start again, retry, or take a session another tab got. A function
 * called `@__PURE__`, not an object spread into the config: a spread counts as a side effect, and bundlers would
 * then keep the whole machine in apps that import only the clients.
 */
const flowEnded = <const Id extends string>(id: Id) =>
  ({
    id,
    entry: 'clearFlow',
    on: {
      START: {
        target: 'signingIn',
        actions: { type: 'beginFlow', params: ({ event }: { event: EventOf<'START'> }) => event },
      },
      RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
      'SYNC.SESSION': {
        target: 'authenticated',
        actions: {
          type: 'assignSyncedSession',
          params: ({ event }: { event: EventOf<'SYNC.SESSION'> }) => event,
        },
      },
    },
  }) as const;

/** The session's expiry passed with no way to refresh: end it here, in storage and in the other tabs. */
const sessionOver = {
  guard: 'sessionDead',
  target: '#idle',
  actions: [
    { type: 'clearStoredSession', params: { error: undefined } },
    { type: 'assignSessionEnded', params: { error: undefined } },
  ],
} as const;

export const deviceLoginMachine = /* @__PURE__ */ setup({
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
    pollForToken,
    refreshSession,
    logoutRemotely,
    flowLock,
    crossTabSync,
  },
  guards: {
    /** invalid_client / unauthorized_client, and no re-registration yet in this flow. */
    canReRegister: ({ context }, params: { error: unknown }) =>
      !context.reRegistered && dropsRegistration(params.error),
    canRetrySetup: ({ context }, params: { error: unknown }) =>
      isTransientError(params.error) && context.faults < context.deps.retry.retries,
    retryDue: ({ context }) => context.retryAt !== undefined && context.deps.now() >= context.retryAt,
    endedWithFault: ({ context }) => context.device?.lastFault !== undefined,
    canRefresh: ({ context }) => isRefreshable(context),
    sessionDead: ({ context }) => isSessionDead(context),
  },
  delays: {
    untilRetry: ({ context }) => timerDelay((context.retryAt ?? 0) - context.deps.now()),
    untilPollAbandoned: ({ context }) =>
      timerDelay((context.device?.expiresAt ?? 0) + POLL_GRACE_MS - context.deps.now()),
    untilRefreshDue: ({ context }) => timerDelay(refreshDueAt(context) - context.deps.now()),
    untilSessionExpiry: ({ context }) => timerDelay((context.session?.expiresAt ?? 0) - context.deps.now()),
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
    assignStoredRegistration: assign((_, params: { stored: StoredState }) => ({
      registration: params.stored.registration,
      ...(params.stored.storageError ? { error: params.stored.storageError } : {}),
    })),
    dropRegistration: assign({ registration: undefined, reRegistered: true, device: undefined, faults: 0 }),
    scheduleSetupRetry: assign(({ context }, params: { error: unknown }) => {
      const { deps } = context;
      const faults = context.faults + 1;
      const wait = retryDelay(
        params.error,
        faults,
        0,
        deps.retry.baseDelayMs,
        deps.retry.maxDelayMs,
        deps.random,
      );
      return { faults, retryAt: deps.now() + wait, error: toDeviceLoginError(params.error) };
    }),
    assignError: assign((_, params: { error: unknown }) => ({ error: toDeviceLoginError(params.error) })),
    assignLastFault: assign(({ context }) => ({ error: context.device?.lastFault })),
    assignExpiredError: assign({
      error: () =>
        new DeviceLoginError(
          'expired_token',
          'The code expired before it was approved: call start() for a new one.',
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
    /** Undoes a session write still in flight (see `saveSession`). */
    countSignOut: ({ context }) => {
      context.deps.signOuts.count++;
    },
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
  },
}).createMachine({
  // Action creators written inline below are marked pure, as `setup` is: unused, the machine is dropped from
  // bundles (the clients' entry of the built package), which a bare call in its config would prevent.
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
    LOGOUT: { actions: ['countSignOut', 'startLogout', 'clearAfterLogout'] },
  },
  initial: 'restoring',
  states: {
    restoring: {
      invoke: {
        src: 'readStoredSession',
        input: ({ context }) => ({ deps: context.deps }),
        onDone: {
          target: 'restored',
          actions: /* @__PURE__ */ assign(({ event }) => ({ session: event.output })),
        },
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
        LOGOUT: { target: 'idle', actions: ['countSignOut', 'startLogout', 'clearAfterLogout'] },
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
          guard: ({ context }) => context.pendingStart?.force === true,
          target: 'signingIn',
          actions: { type: 'beginFlow', params: () => ({ force: true }) },
        },
        {
          guard: ({ context }) =>
            context.session !== undefined && context.session.expiresAt > context.deps.now(),
          target: 'authenticated',
        },
        { guard: 'canRefresh', target: 'authenticated.refreshing' },
        {
          guard: ({ context }) => isSessionDead(context) && context.pendingStart !== undefined,
          target: 'signingIn',
          actions: [
            { type: 'clearStoredSession', params: { error: undefined } },
            { type: 'beginFlow', params: {} },
          ],
        },
        sessionOver,
        {
          guard: ({ context }) => context.pendingStart !== undefined,
          target: 'signingIn',
          actions: { type: 'beginFlow', params: () => ({}) },
        },
        { target: 'idle' },
      ],
    },
    idle: {
      id: 'idle',
      on: {
        START: { target: 'signingIn', actions: { type: 'beginFlow', params: ({ event }) => event } },
        RETRY: { target: 'signingIn', actions: { type: 'beginFlow', params: () => ({}) } },
        LOGOUT: { actions: ['countSignOut', 'startLogout', 'clearAfterLogout'] },
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
        CANCEL: { target: 'idle', actions: ['clearFlow', /* @__PURE__ */ assign({ error: undefined })] },
        LOGOUT: { target: 'idle', actions: ['clearFlow', 'countSignOut', 'startLogout', 'clearAfterLogout'] },
        'SYNC.SESSION': {
          target: 'authenticated',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
      },
      initial: 'waitingForLock',
      states: {
        waitingForLock: {
          entry: ({ context: { deps } }) =>
            deps.coordinator.publish({ type: 'prompt-request', key: deps.provider.scope.key }),
          on: {
            LOCK_ACQUIRED: 'loading',
            'SYNC.PROMPT': { actions: /* @__PURE__ */ assign(({ event }) => ({ mirror: event.prompt })) },
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
                guard: ({ context, event }) =>
                  event.output.session !== undefined && event.output.session.expiresAt > context.deps.now(),
                target: '#authenticated',
                actions: {
                  type: 'assignSession',
                  params: ({ event }) => ({ value: event.output.session!, storageError: undefined }),
                },
              },
              {
                guard: ({ context, event }) => isRegistrationUsable(context.deps, event.output.registration),
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
              actions: /* @__PURE__ */ assign(({ event }) => ({
                registration: event.output.value,
                error: event.output.storageError,
                faults: 0,
                retryAt: undefined,
              })),
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
          // RETRY is a person asking to try now; WAKE only catches up on a wait a throttled timer missed.
          on: { RETRY: 'registering', WAKE: { guard: 'retryDue', target: 'registering' } },
        },
        authorizing: {
          invoke: {
            src: 'startDeviceAuthorization',
            input: ({ context }) => ({ deps: context.deps, registration: context.registration! }),
            onDone: {
              target: 'awaitingUser',
              actions: [
                /* @__PURE__ */ assign(({ context, event: { output } }) => ({
                  device: {
                    deviceCode: new Secret(output.deviceCode),
                    userCode: output.userCode,
                    verificationUri: output.verificationUri,
                    verificationUriComplete: output.verificationUriComplete,
                    expiresAt: context.deps.now() + output.expiresIn * 1000,
                    interval: output.interval ?? DEFAULT_INTERVAL_S,
                    slowedDown: false,
                    lastFault: undefined,
                  },
                  mirror: undefined,
                  error: undefined,
                  faults: 0,
                  retryAt: undefined,
                })),
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
          // RETRY is a person asking to try now; WAKE only catches up on a wait a throttled timer missed.
          on: { RETRY: 'authorizing', WAKE: { guard: 'retryDue', target: 'authorizing' } },
        },
        awaitingUser: {
          // One actor polls (see `pollForToken` for why it is not a state per step) and sends an event only when
          // the view or the flow changes: a poll answered authorization_pending makes no transition.
          invoke: {
            id: 'poller',
            src: 'pollForToken',
            input: ({ context }) => ({
              deps: context.deps,
              registration: context.registration!,
              device: context.device!,
            }),
          },
          after: {
            // The deadline with a poll still in flight (the actor reports it when idle): the poll is abandoned.
            untilPollAbandoned: [
              { guard: 'endedWithFault', target: '#failed', actions: 'assignLastFault' },
              { target: '#expired', actions: 'assignExpiredError' },
            ],
          },
          on: {
            'SYNC.PROMPT_REQUEST': { actions: 'publishPrompt' },
            // A throttled background tab catches up as soon as it is visible or online again.
            WAKE: { actions: /* @__PURE__ */ sendTo('poller', { type: 'WAKE' }) },
            'POLL.STATUS': {
              actions: /* @__PURE__ */ assign(({ context, event }) => {
                const device = context.device!;
                return {
                  device: {
                    ...device,
                    interval: event.interval,
                    slowedDown: device.slowedDown || event.interval !== device.interval,
                    lastFault: event.fault,
                  },
                  error: event.fault,
                };
              }),
            },
            'POLL.TOKEN': {
              target: '#authenticated',
              actions: { type: 'assignSession', params: ({ event }) => event.output },
            },
            'POLL.EXPIRED': [
              { guard: 'endedWithFault', target: '#failed', actions: 'assignLastFault' },
              { target: '#expired', actions: 'assignExpiredError' },
            ],
            'POLL.FAILED': [
              {
                guard: ({ event }) => isErrorCode(event.error, 'expired_token'),
                target: '#expired',
                actions: { type: 'assignError', params: ({ event }) => event },
              },
              {
                guard: ({ event }) => isErrorCode(event.error, 'access_denied'),
                target: '#denied',
                actions: { type: 'assignError', params: ({ event }) => event },
              },
              {
                // The device code belongs to the rejected client: register again and get a new code.
                guard: { type: 'canReRegister', params: ({ event }) => event },
                target: 'registering',
                actions: 'dropRegistration',
              },
              { target: '#failed', actions: { type: 'assignError', params: ({ event }) => event } },
            ],
          },
        },
      },
    },
    authenticated: {
      id: 'authenticated',
      on: {
        LOGOUT: { target: 'idle', actions: ['countSignOut', 'startLogout', 'clearAfterLogout'] },
        'SYNC.LOGOUT': {
          target: 'idle',
          actions: [
            'countSignOut',
            /* @__PURE__ */ assign(({ event }) => ({
              session: undefined,
              error: event.reason === 'expired' ? sessionExpiredError(undefined) : undefined,
              lastRefreshAttemptAt: undefined,
              refreshFailures: 0,
              refreshRetryAt: undefined,
            })),
          ],
        },
        'SYNC.SESSION': {
          guard: ({ context, event }) => event.session.accessToken !== context.session?.accessToken,
          target: '.active',
          actions: { type: 'assignSyncedSession', params: ({ event }) => event },
        },
        START: {
          guard: ({ event }) => event.force === true,
          target: 'signingIn',
          actions: { type: 'beginFlow', params: () => ({ force: true }) },
        },
      },
      initial: 'active',
      states: {
        active: {
          after: {
            untilRefreshDue: [
              {
                guard: ({ context }) => isRefreshable(context) && context.deps.now() >= refreshDueAt(context),
                target: 'refreshing',
              },
              // Not due by the clock: the delay was capped (MAX_TIMER_MS) or the clock was set back. Wait again.
              { guard: 'canRefresh', target: 'active', reenter: true },
            ],
            untilSessionExpiry: [
              sessionOver,
              // The clock was set back: the timer fired before the clock reached the expiry. Wait for the clock.
              { guard: /* @__PURE__ */ not('canRefresh'), target: 'active', reenter: true },
            ],
          },
          on: {
            REFRESH: [
              {
                guard: ({ context, event }) =>
                  isRefreshable(context) &&
                  context.deps.now() >= throttledUntil(context) &&
                  (event.force === true || context.deps.now() >= refreshDueAt(context)),
                target: 'refreshing',
              },
              // The clock jumped past the expiry before its timer fired (sleep, where no WAKE comes: Node).
              sessionOver,
            ],
            WAKE: [
              {
                guard: ({ context }) => isRefreshable(context) && context.deps.now() >= refreshDueAt(context),
                target: 'refreshing',
              },
              sessionOver,
            ],
          },
        },
        refreshing: {
          entry: /* @__PURE__ */ assign(({ context }) => ({ lastRefreshAttemptAt: context.deps.now() })),
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
                guard: ({ event }) => endsSession(event.error),
                target: '#idle',
                actions: [
                  { type: 'clearStoredSession', params: ({ event }) => ({ error: event.error }) },
                  { type: 'assignSessionEnded', params: ({ event }) => ({ error: event.error }) },
                ],
              },
              {
                // Keep the current token (still valid or not) and try again later: a fault loses nothing.
                target: 'active',
                actions: /* @__PURE__ */ assign(({ context, event: { error } }) => {
                  const { deps } = context;
                  const refreshFailures = context.refreshFailures + 1;
                  const wait = retryDelay(
                    error,
                    refreshFailures,
                    deps.minRefreshIntervalMs,
                    deps.minRefreshIntervalMs,
                    5 * 60_000,
                    deps.random,
                  );
                  return {
                    refreshFailures,
                    refreshRetryAt: deps.now() + wait,
                    error: toDeviceLoginError(error),
                  };
                }),
              },
            ],
          },
        },
      },
    },
    expired: /* @__PURE__ */ flowEnded('expired'),
    denied: /* @__PURE__ */ flowEnded('denied'),
    failed: /* @__PURE__ */ flowEnded('failed'),
  },
});

export type DeviceLoginActor = ActorRefFrom<typeof deviceLoginMachine>;
