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
} from './deviceLoginContext.ts';
import {
  DEFAULT_INTERVAL_S,
  dropsRegistration,
  endsSession,
  HANDOVER_WAIT_MS,
  isErrorCode,
  isLive,
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

/** What a START (or a REFRESH) asks: `force`. Other events have none. */
const forced = ({ event }: { event: object }) => (event as { force?: boolean }).force === true;

/**
 * The error of the event being handled: an invoked actor's failure, or POLL.FAILED's. Actions and guards read it
 * from the event, as xstate hands them every event (its `xstate.error.actor.*` ones too); `undefined` for the
 * events that end a session by the clock.
 */
const errorOf = (event: object) => (event as { error?: unknown }).error;

/** The input of the actors that need only the dependencies. */
const depsInput = ({ context }: { context: DeviceLoginContext }) => ({ deps: context.deps });

/* Context fields reset together. Spread only inside functions: a spread at the top level counts as a side effect. */
const noFlow = { device: undefined, mirror: undefined, pendingStart: undefined, peerSignedIn: false };
const noRetry = { faults: 0, retryAt: undefined };
const noRefreshFault = { refreshFailures: 0, refreshRetryAt: undefined };
/** Signed out: no session, no flow, no refresh history. */
const signedOut = () => ({
  ...noFlow,
  ...noRefreshFault,
  session: undefined,
  error: undefined,
  lastRefreshAttemptAt: undefined,
});
/** No flow started yet: what `beginFlow` starts from too. */
const blank = () => ({ ...signedOut(), ...noRetry, reRegistered: false, force: false });

const signIn = { target: '#signingIn', actions: 'beginFlow' } as const;
const syncSession = { target: '#authenticated', actions: 'assignSyncedSession' } as const;
const signOut = ['countSignOut', 'startLogout', 'clearAfterLogout'] as const;
const logout = { target: '#idle', actions: signOut } as const;
/** Where a stopped flow (idle, expired, denied, failed) goes: start again, retry, or take another tab's session. */
const restart = { START: signIn, RETRY: signIn, 'SYNC.SESSION': syncSession } as const;
/** The session is over: in storage and in the other tabs too. */
const endSession = ['clearStoredSession', 'assignSessionEnded'] as const;
/** The session's expiry passed with no way to refresh. */
const sessionOver = { guard: 'sessionDead', target: '#idle', actions: endSession } as const;
const flowFailed = { target: '#failed', actions: 'assignError' } as const;
/** invalid_client or unauthorized_client (once per flow): register again and get a new code. */
const reRegister = { guard: 'canReRegister', target: 'registering', actions: 'dropRegistration' } as const;
/** The device code's deadline passed: failed if the last poll faulted, else expired. */
const codeOver = [
  { guard: 'endedWithFault', target: '#failed', actions: 'assignLastFault' },
  { target: '#expired', actions: 'assignExpiredError' },
] as const;

/**
 * expired, denied and failed: the flow is over. A function called `@__PURE__`, not an object spread into the
 * config: a spread counts as a side effect, and bundlers would then keep the whole machine in apps that import
 * only the clients.
 */
const flowEnded = <const Id extends string>(id: Id) => ({ id, entry: 'clearFlow', on: restart }) as const;

/** Waits out a setup step's backoff; RETRY (a person) goes now, WAKE only catches up on a missed timer. */
const backoff = <const Step extends string>(step: Step) =>
  ({ after: { untilRetry: step }, on: { RETRY: step, WAKE: { guard: 'retryDue', target: step } } }) as const;

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
    canReRegister: ({ context, event }) => !context.reRegistered && dropsRegistration(errorOf(event)),
    canRetrySetup: ({ context, event }) =>
      isTransientError(errorOf(event)) && context.faults < context.deps.retry.retries,
    retryDue: ({ context }) => context.retryAt !== undefined && context.deps.now() >= context.retryAt,
    endedWithFault: ({ context }) => context.device?.lastFault !== undefined,
    canRefresh: ({ context }) => isRefreshable(context),
    /**
     * Due by the clock, or (REFRESH with `force`) only past the throttle. `refreshDueAt` is never before
     * `throttledUntil`, so the throttle holds either way.
     */
    refreshDue: ({ context, event }) =>
      isRefreshable(context) &&
      context.deps.now() >= (forced({ event }) ? throttledUntil(context) : refreshDueAt(context)),
    sessionDead: ({ context }) => isSessionDead(context),
  },
  delays: {
    handover: HANDOVER_WAIT_MS,
    untilRetry: ({ context }) => timerDelay((context.retryAt ?? 0) - context.deps.now()),
    untilPollAbandoned: ({ context }) =>
      timerDelay((context.device?.expiresAt ?? 0) + POLL_GRACE_MS - context.deps.now()),
    untilRefreshDue: ({ context }) => timerDelay(refreshDueAt(context) - context.deps.now()),
    untilSessionExpiry: ({ context }) => timerDelay((context.session?.expiresAt ?? 0) - context.deps.now()),
  },
  actions: {
    /** A START (or RETRY, unforced) received while storage is read. */
    rememberStart: assign(({ event }) => ({ pendingStart: { force: forced({ event }) } })),
    beginFlow: assign(({ context, event }) => ({
      ...blank(),
      force: forced({ event }) || context.pendingStart?.force === true,
    })),
    clearFlow: assign(() => ({ ...noFlow, ...noRetry })),
    dropRegistration: assign({ registration: undefined, reRegistered: true, device: undefined, faults: 0 }),
    scheduleSetupRetry: assign(({ context, event }) => {
      const { deps } = context;
      const error = errorOf(event);
      const faults = context.faults + 1;
      const wait = retryDelay(error, faults, 0, deps.retry.baseDelayMs, deps.retry.maxDelayMs, deps.random);
      return { faults, retryAt: deps.now() + wait, error: toDeviceLoginError(error) };
    }),
    assignError: assign(({ event }) => ({ error: toDeviceLoginError(errorOf(event)) })),
    assignLastFault: assign(({ context }) => ({ error: context.device?.lastFault })),
    assignExpiredError: assign({
      error: () =>
        new DeviceLoginError(
          'expired_token',
          'The code expired before it was approved: call start() for a new one.',
        ),
    }),
    assignSession: assign((_, params: Saved<StoredSession>) => ({
      ...noFlow,
      ...noRefreshFault,
      session: params.value,
      error: params.storageError,
    })),
    assignSyncedSession: assign(({ event }) => ({
      ...signedOut(),
      session: (event as EventOf<'SYNC.SESSION'>).session,
    })),
    clearStoredSession: ({ context, event }) => {
      const { deps } = context;
      const { scope } = deps.provider;
      const dropRegistration = dropsRegistration(errorOf(event));
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
    assignSessionEnded: assign(({ context, event }) => ({
      ...noRefreshFault,
      session: undefined,
      registration: dropsRegistration(errorOf(event)) ? undefined : context.registration,
      error: sessionExpiredError(errorOf(event)),
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
    clearAfterLogout: assign(signedOut),
    clearMirror: assign({ mirror: undefined }),
    assignPeerSignedIn: assign({ peerSignedIn: true }),
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
  context: ({ input }) => ({ ...blank(), deps: resolveDeps(input), registration: undefined }),
  invoke: { src: 'crossTabSync', input: depsInput },
  on: { LOGOUT: { actions: signOut } },
  initial: 'restoring',
  states: {
    restoring: {
      invoke: {
        src: 'readStoredSession',
        input: depsInput,
        onDone: {
          target: 'restored',
          actions: /* @__PURE__ */ assign(({ event }) => ({ session: event.output })),
        },
        onError: {
          target: 'restored',
          actions: /* @__PURE__ */ assign(({ event }) => ({ error: storageFailure('read', event.error) })),
        },
      },
      on: {
        START: { actions: 'rememberStart' },
        RETRY: { actions: 'rememberStart' },
        LOGOUT: logout,
        'SYNC.SESSION': syncSession,
      },
    },
    /** Decides where a restored session leads. */
    restored: {
      always: [
        {
          guard: ({ context }) => context.pendingStart?.force === true,
          target: 'signingIn',
          actions: 'beginFlow',
        },
        {
          guard: ({ context }) => isLive(context.session, context.deps),
          target: 'authenticated',
        },
        { guard: 'canRefresh', target: 'authenticated.refreshing' },
        {
          guard: ({ context }) => isSessionDead(context) && context.pendingStart !== undefined,
          target: 'signingIn',
          actions: ['clearStoredSession', 'beginFlow'],
        },
        sessionOver,
        {
          guard: ({ context }) => context.pendingStart !== undefined,
          target: 'signingIn',
          actions: 'beginFlow',
        },
        { target: 'idle' },
      ],
    },
    idle: { id: 'idle', on: restart },
    signingIn: {
      id: 'signingIn',
      invoke: { src: 'flowLock', input: depsInput },
      on: {
        CANCEL: { target: 'idle', actions: ['clearFlow', /* @__PURE__ */ assign({ error: undefined })] },
        LOGOUT: { target: 'idle', actions: ['clearFlow', 'countSignOut', 'startLogout', 'clearAfterLogout'] },
        'SYNC.SESSION': syncSession,
      },
      initial: 'waitingForLock',
      states: {
        waitingForLock: {
          entry: ({ context: { deps } }) =>
            deps.coordinator.publish({ type: 'prompt-request', key: deps.provider.scope.key }),
          on: {
            LOCK_ACQUIRED: [
              {
                guard: ({ context }) => context.mirror !== undefined || context.peerSignedIn,
                target: 'handingOver',
              },
              { target: 'loading' },
            ],
            'SYNC.PROMPT': { actions: /* @__PURE__ */ assign(({ event }) => ({ mirror: event.prompt })) },
            'SYNC.FLOW_ENDED': { actions: 'clearMirror' },
            'SYNC.SESSION_ANNOUNCED': { actions: 'assignPeerSignedIn' },
          },
        },
        /**
         * The lock came from another tab's flow, which may have signed in: the lock can arrive before that tab's
         * "flow ended" message, and its session before this tab's storage shows it. A session announced before the
         * flow ended (messages from one tab keep their order) means wait for it (SYNC.SESSION, handled above); a flow
         * that ended without one means run this tab's own flow now.
         */
        handingOver: {
          entry: 'clearMirror',
          after: { handover: 'loading' },
          on: {
            'SYNC.FLOW_ENDED': { guard: ({ context }) => !context.peerSignedIn, target: 'loading' },
            'SYNC.SESSION_ANNOUNCED': { actions: 'assignPeerSignedIn' },
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
                guard: ({ context, event }) => isLive(event.output.session, context.deps),
                target: '#authenticated',
                actions: {
                  type: 'assignSession',
                  params: ({ event }) => ({ value: event.output.session!, storageError: undefined }),
                },
              },
              {
                guard: ({ context, event }) => isRegistrationUsable(context.deps, event.output.registration),
                target: 'authorizing',
                actions: /* @__PURE__ */ assign(({ event: { output } }) => ({
                  registration: output.registration,
                  error: output.storageError,
                })),
              },
              {
                // No error is shown yet (`beginFlow` cleared it): a storage error replaces nothing.
                target: 'registering',
                actions: /* @__PURE__ */ assign(({ event }) => ({
                  registration: undefined,
                  error: event.output.storageError,
                })),
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
                ...noRetry,
                registration: event.output.value,
                error: event.output.storageError,
              })),
            },
            onError: [
              { guard: 'canRetrySetup', target: 'registerBackoff', actions: 'scheduleSetupRetry' },
              flowFailed,
            ],
          },
        },
        registerBackoff: /* @__PURE__ */ backoff('registering'),
        authorizing: {
          invoke: {
            src: 'startDeviceAuthorization',
            input: ({ context }) => ({ deps: context.deps, registration: context.registration! }),
            onDone: {
              target: 'awaitingUser',
              actions: [
                /* @__PURE__ */ assign(({ context, event: { output } }) => ({
                  ...noRetry,
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
                })),
                'publishPrompt',
              ],
            },
            onError: [
              reRegister,
              { guard: 'canRetrySetup', target: 'authorizeBackoff', actions: 'scheduleSetupRetry' },
              flowFailed,
            ],
          },
        },
        authorizeBackoff: /* @__PURE__ */ backoff('authorizing'),
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
          // The deadline with a poll still in flight (the actor reports it when idle): the poll is abandoned.
          after: { untilPollAbandoned: codeOver },
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
            'POLL.EXPIRED': codeOver,
            'POLL.FAILED': [
              {
                guard: ({ event }) => isErrorCode(event.error, 'expired_token'),
                target: '#expired',
                actions: 'assignError',
              },
              {
                guard: ({ event }) => isErrorCode(event.error, 'access_denied'),
                target: '#denied',
                actions: 'assignError',
              },
              // The device code belongs to the rejected client.
              reRegister,
              flowFailed,
            ],
          },
        },
      },
    },
    authenticated: {
      id: 'authenticated',
      on: {
        LOGOUT: logout,
        'SYNC.LOGOUT': {
          target: 'idle',
          actions: [
            'countSignOut',
            /* @__PURE__ */ assign(({ event }) => ({
              ...noRefreshFault,
              session: undefined,
              error: event.reason === 'expired' ? sessionExpiredError(undefined) : undefined,
              lastRefreshAttemptAt: undefined,
            })),
          ],
        },
        'SYNC.SESSION': {
          guard: ({ context, event }) => event.session.accessToken !== context.session?.accessToken,
          target: '.active',
          actions: 'assignSyncedSession',
        },
        START: { guard: forced, target: 'signingIn', actions: 'beginFlow' },
      },
      initial: 'active',
      states: {
        active: {
          after: {
            untilRefreshDue: [
              { guard: 'refreshDue', target: 'refreshing' },
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
            // WAKE: the clock jumped past the expiry before its timer fired (sleep, where no WAKE comes: Node).
            REFRESH: [{ guard: 'refreshDue', target: 'refreshing' }, sessionOver],
            WAKE: [{ guard: 'refreshDue', target: 'refreshing' }, sessionOver],
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
              { guard: ({ event }) => endsSession(event.error), target: '#idle', actions: endSession },
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
