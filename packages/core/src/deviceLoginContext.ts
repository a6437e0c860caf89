import type { ResolvedRetryOptions, RetryOptions } from './backoff.ts';
import { resolveRetryOptions } from './backoff.ts';
import type { CrossTabCoordinator, DevicePrompt } from './crossTab.ts';
import { localCoordinator } from './crossTab.ts';
import type { DeviceLoginError } from './errors.ts';
import type { DeviceFlowProvider } from './provider.ts';
import type { Secret } from './secret.ts';
import type { DeviceLoginStorage, StoredRegistration, StoredSession } from './storage.ts';
import { memoryStorage } from './storage.ts';

/*
 * The context and events of the device-login machine, and the dependencies it is created with.
 */

/** What the machine is created with (`createActor(deviceLoginMachine, { input })`). */
export interface DeviceLoginMachineInput {
  /** The identity provider: `awsSsoOidc(…)`, or your own {@link DeviceFlowProvider}. */
  provider: DeviceFlowProvider;
  /** Where the registration and the session are kept. Defaults to `memoryStorage()`. */
  storage?: DeviceLoginStorage | undefined;
  /** Refresh the access token this many seconds before it expires. Defaults to `300`. */
  refreshWindowSeconds?: number | undefined;
  /** Register a new client this many seconds before the stored registration expires. Defaults to `900`. */
  registrationWindowSeconds?: number | undefined;
  /** At most one refresh attempt per this many seconds. Defaults to `30`. */
  minRefreshIntervalSeconds?: number | undefined;
  /** Abandon a request (as a transient `timeout`) after this many seconds without an answer. Defaults to `30`. */
  requestTimeoutSeconds?: number | undefined;
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
  readonly provider: DeviceFlowProvider;
  readonly storage: DeviceLoginStorage;
  readonly coordinator: CrossTabCoordinator;
  readonly now: () => number;
  readonly random: () => number;
  readonly refreshWindowMs: number;
  readonly registrationWindowMs: number;
  readonly minRefreshIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  /**
   * How many times the session was signed out (a logout here or in another tab). A session write still in flight
   * when this changes is undone (see `saveSession`): a slow storage must not bring a signed-out session back.
   */
  readonly signOuts: { count: number };
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
  /**
   * The transient fault of the last poll (cleared by the next answer), reported if the code expires while faults
   * continue. When the next poll goes out is the polling actor's business (`pollForToken`).
   */
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
  /**
   * Another tab announced a session while this one waited for the flow lock: the flow it waited behind signed in,
   * and that session (SYNC.SESSION) follows as soon as this tab's storage shows it.
   */
  peerSignedIn: boolean;
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
  | { type: 'SYNC.SESSION'; session: StoredSession }
  | { type: 'SYNC.LOGOUT'; reason: 'logout' | 'expired' }
  | { type: 'SYNC.PROMPT'; prompt: DevicePrompt }
  | { type: 'SYNC.PROMPT_REQUEST' }
  | { type: 'SYNC.FLOW_ENDED' }
  | { type: 'SYNC.SESSION_ANNOUNCED' }
  | PollEvent;

/**
 * What the polling actor (`pollForToken`) tells the machine: only what changes the view or the flow. A poll
 * answered `authorization_pending` sends nothing.
 */
export type PollEvent =
  /** The person approved: the session, saved. */
  | { type: 'POLL.TOKEN'; output: Saved<StoredSession> }
  /**
   * What the view shows changed: `slow_down` (polls go out every `interval` seconds from now on), a transient
   * `fault` (network, 5xx, 429, timeout: polling goes on after a backoff), or the first answer after one (`fault`
   * cleared).
   */
  | { type: 'POLL.STATUS'; interval: number; fault: DeviceLoginError | undefined }
  /** A final error answer (expired_token, access_denied, invalid_client…). */
  | { type: 'POLL.FAILED'; error: unknown }
  /** The device code expired with no poll in flight. */
  | { type: 'POLL.EXPIRED' };

export interface Saved<T> {
  value: T;
  storageError: DeviceLoginError | undefined;
}

export interface StoredState {
  session: StoredSession | undefined;
  registration: StoredRegistration | undefined;
  storageError: DeviceLoginError | undefined;
}

export function resolveDeps(input: DeviceLoginMachineInput): DeviceLoginDeps {
  return {
    provider: input.provider,
    storage: input.storage ?? memoryStorage(),
    coordinator: input.coordinator ?? localCoordinator(),
    now: input.now ?? Date.now,
    random: input.random ?? Math.random,
    refreshWindowMs: (input.refreshWindowSeconds ?? 300) * 1000,
    registrationWindowMs: (input.registrationWindowSeconds ?? 900) * 1000,
    minRefreshIntervalMs: (input.minRefreshIntervalSeconds ?? 30) * 1000,
    requestTimeoutMs: (input.requestTimeoutSeconds ?? 30) * 1000,
    retry: resolveRetryOptions(input.retry),
    signOuts: { count: 0 },
  };
}
