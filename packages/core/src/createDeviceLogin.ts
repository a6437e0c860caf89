import { createActor, waitFor } from 'xstate';
import { inBrowser, installBrowserWake } from './browserWake.ts';
import { type CrossTabCoordinator, type CrossTabOptions, crossTab, localCoordinator } from './crossTab.ts';
import {
  type DeviceLoginActor,
  type DeviceLoginMachineInput,
  deviceLoginMachine,
} from './deviceLoginMachine.ts';
import { DeviceLoginError, InvalidArgumentError } from './errors.ts';
import { type DeviceLoginSnapshot, selectView } from './selectView.ts';
import type { DeviceLogin, DeviceLoginView, GetAccessTokenOptions, StartOptions } from './view.ts';

export interface CreateDeviceLoginOptions extends Omit<DeviceLoginMachineInput, 'coordinator'> {
  /**
   * Put the access token (and ID token) in `view.session`, for apps that read it from the view. Prefer
   * `getAccessToken()`, which also refreshes. Defaults to `false`.
   */
  exposeTokens?: boolean | undefined;
  /**
   * Coordination between the tabs of an origin that share the storage: one device flow and one refresh at a time
   * (Web Locks), results and logouts announced to the others (BroadcastChannel). `true` uses the browser's
   * `navigator.locks` and `BroadcastChannel`; an object picks them (`{ locks, channel, name }`) or is a ready
   * {@link CrossTabCoordinator}; `false` turns it off. Defaults to on in browsers (when `window` and `document`
   * exist), off elsewhere.
   */
  crossTab?: boolean | CrossTabOptions | CrossTabCoordinator | undefined;
  /**
   * Catch up at once when the tab becomes visible or the network comes back (browsers only; the listeners are added
   * on first use and removed by `dispose()`). Defaults to `true`.
   */
  wakeOnVisibility?: boolean | undefined;
}

/** The headless device login, plus the underlying xstate actor for advanced composition. */
export interface DeviceLoginClient extends DeviceLogin {
  /** The running machine. Read it (`actor.getSnapshot()`), but drive the login through the methods. */
  readonly actor: DeviceLoginActor;
}

/**
 * Creates a headless device login (model: TanStack Query's `QueryObserver`): a subscribable view model over the
 * {@link deviceLoginMachine}.
 *
 * Nothing runs at construction: storage is read, listeners installed and the machine started on first use
 * (`subscribe`, `start`, `retry`, `refresh`, `getAccessToken`, `logout`). Construction is therefore safe during
 * server rendering.
 *
 * @example
 * ```ts
 * const login = createDeviceLogin({ provider: awsSsoOidc({ region, startUrl, clientName: 'my-app' }) });
 * const unsubscribe = login.subscribe((view) => render(view));
 * login.start();
 * const token = await login.getAccessToken();
 * ```
 */
export function createDeviceLogin(options: CreateDeviceLoginOptions): DeviceLoginClient {
  validateOptions(options);
  const { exposeTokens, crossTab: crossTabOption, wakeOnVisibility = true, ...input } = options;
  // Resolved on first use, not here: construction must not look at `window` (server rendering).
  let resolved: CrossTabCoordinator | undefined;
  let owned = false;
  const resolve = (): CrossTabCoordinator => {
    if (!resolved) {
      // `typeof` touches nothing: safe during server rendering. Default: on in browsers, off elsewhere.
      const option = crossTabOption ?? inBrowser();
      if (option === false) resolved = localCoordinator();
      else if (option !== true && typeof (option as CrossTabCoordinator).hold === 'function')
        resolved = option as CrossTabCoordinator;
      else {
        owned = true;
        resolved = crossTab(option === true ? undefined : (option as CrossTabOptions));
      }
    }
    return resolved;
  };
  // The machine gets this stand-in at construction and reaches the real coordinator through it on first use.
  const coordinator = {
    close() {
      if (owned) resolved?.close();
    },
  } as CrossTabCoordinator;
  for (const method of ['hold', 'exclusive', 'publish', 'subscribe'] as const) {
    (coordinator as unknown as Record<string, unknown>)[method] = (...args: never[]) =>
      (resolve()[method] as (...args: never[]) => unknown)(...args);
  }
  const now = input.now ?? Date.now;
  const actor: DeviceLoginActor = createActor(deviceLoginMachine, { input: { ...input, coordinator } });
  const viewOptions = { exposeTokens };
  const listeners = new Set<(view: DeviceLoginView) => void>();
  const pendingLogouts = new Set<() => void>();
  let view = selectView(actor.getSnapshot(), viewOptions);
  let started = false;
  let disposed = false;
  let removeWake: (() => void) | undefined;

  const notify = () => {
    for (const listener of [...listeners]) {
      try {
        listener(view);
      } catch (error) {
        // One failing listener must not starve the others; its error still surfaces, as the browser reports
        // errors of event listeners.
        const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
        if (typeof report === 'function') report(error);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  };

  const ensureStarted = () => {
    if (started || disposed) return;
    started = true;
    actor.subscribe(
      (snapshot) => {
        const next = selectView(snapshot, viewOptions, view);
        if (next !== view) {
          view = next;
          notify();
        }
      },
      (error) => {
        view = Object.freeze({
          ...view,
          status: 'error',
          isRefreshing: false,
          isRestoring: false,
          session: undefined,
          error: new DeviceLoginError('unknown_error', 'The device login stopped on an internal error.', {
            cause: error,
          }),
        });
        notify();
      },
    );
    actor.start();
    if (wakeOnVisibility) removeWake = installBrowserWake(() => send({ type: 'WAKE' }));
  };

  /** Sends an event to a running login; `start` starts it first. Nothing happens after `dispose()`. */
  const send = (event: Parameters<DeviceLoginActor['send']>[0], start?: boolean) => {
    if (start) ensureStarted();
    if (started && !disposed) actor.send(event);
  };

  /** Waits until no restore or refresh is in flight. */
  const settled = async (signal?: AbortSignal): Promise<DeviceLoginSnapshot> => {
    try {
      return await waitFor(
        actor,
        (s) =>
          !s.matches('restoring') && !s.matches('restored') && !s.matches({ authenticated: 'refreshing' }),
        { timeout: Infinity, signal },
      );
    } catch (cause) {
      throw new DeviceLoginError('aborted', disposed ? DISPOSED : 'The operation was aborted.', { cause });
    }
  };

  /** Once signed in (or throws `not_signed_in`), asks the machine for a refresh; it decides whether one is due. */
  const requestRefresh = async (force: boolean, signal?: AbortSignal) => {
    if (disposed) throw new DeviceLoginError('aborted', DISPOSED);
    ensureStarted();
    const snapshot = await settled(signal);
    if (!snapshot.matches('authenticated')) throw notSignedIn(snapshot);
    actor.send({ type: 'REFRESH', force });
  };

  const login: DeviceLoginClient = {
    actor,
    start: (startOptions?: StartOptions) =>
      send({ type: 'START', force: startOptions?.force === true }, true),
    cancel: () => send({ type: 'CANCEL' }),
    retry: () => send({ type: 'RETRY' }, true),
    wake: () => send({ type: 'WAKE' }),
    logout: () =>
      new Promise<void>((resolve) => {
        if (disposed) return resolve();
        const settle = () => {
          pendingLogouts.delete(settle);
          resolve();
        };
        pendingLogouts.add(settle);
        send({ type: 'LOGOUT', settle }, true);
      }),
    async refresh() {
      await requestRefresh(true);
      const requested = actor.getSnapshot();
      // The session turned out to be over (its expiry passed before its timer fired).
      if (!requested.matches('authenticated')) throw requested.context.error ?? notSignedIn(requested);
      // Not refreshing now: throttled (one attempt per 30 s) or nothing to refresh with. The session is unchanged.
      if (!requested.matches({ authenticated: 'refreshing' })) return;
      const snapshot = await settled();
      if (!snapshot.matches('authenticated')) throw snapshot.context.error ?? notSignedIn(snapshot);
      if (snapshot.context.refreshFailures > 0 && snapshot.context.error) throw snapshot.context.error;
    },
    getView: () => view,
    subscribe(listener) {
      if (disposed) return () => {};
      listeners.add(listener);
      ensureStarted();
      return () => {
        listeners.delete(listener);
      };
    },
    async getAccessToken(tokenOptions?: GetAccessTokenOptions) {
      const signal = tokenOptions?.signal;
      // The machine decides: it refreshes only inside the refresh window (or when forced) and not more than once
      // per 30 s. N callers at once share the one refresh in flight.
      await requestRefresh(tokenOptions?.forceRefresh === true, signal);
      const snapshot = await settled(signal);
      const session = snapshot.matches('authenticated') ? snapshot.context.session : undefined;
      if (!session) throw notSignedIn(snapshot);
      if (session.expiresAt > now()) return session.accessToken;
      throw (
        snapshot.context.error ??
        new DeviceLoginError('session_expired', 'The access token expired and could not be refreshed yet.')
      );
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      removeWake?.();
      actor.stop();
      coordinator.close();
      listeners.clear();
      for (const settle of [...pendingLogouts]) settle();
    },
  };
  return login;
}

const DISPOSED = 'The device login was disposed: create a new one.';

function notSignedIn(snapshot: DeviceLoginSnapshot): DeviceLoginError {
  const cause = snapshot.context.error;
  return new DeviceLoginError(
    'not_signed_in',
    'Not signed in: call start() and have the person approve the code first.',
    cause ? { cause } : undefined,
  );
}

/** Throws an InvalidArgumentError for the first of `names` in `object` that fails `ok`. */
function check(
  object: object,
  path: string,
  names: string,
  ok: (value: unknown) => boolean,
  message: string,
): void {
  for (const name of names.split(' ')) {
    if (!ok((object as Record<string, unknown>)[name])) throw new InvalidArgumentError(path + name, message);
  }
}

const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
// `>= 0` is false for NaN; `< Infinity` leaves Infinity out.
const isOptionalAmount = (value: unknown) =>
  value === undefined || (typeof value === 'number' && value >= 0 && value < Infinity);

function validateOptions(options: CreateDeviceLoginOptions): void {
  const { provider, retry, storage } = Object(options) as Partial<CreateDeviceLoginOptions>;
  // Also what a call without options (or with `null`) gets: the provider is what is missing.
  if (!isObject(provider)) {
    throw new InvalidArgumentError(
      'options.provider',
      'pass a provider, e.g. `createDeviceLogin({ provider: awsSsoOidc({ region, startUrl, clientName }) })`.',
    );
  }
  check(
    provider,
    'options.provider.',
    'register startDeviceAuthorization pollToken refresh',
    isFunction,
    'must be a function (see DeviceFlowProvider).',
  );
  check(
    Object(provider.scope),
    'options.provider.scope.',
    'key',
    (key) => typeof key === 'string' && key !== '',
    'must be a non-empty string.',
  );
  check(
    options,
    'options.',
    'refreshWindowSeconds registrationWindowSeconds minRefreshIntervalSeconds requestTimeoutSeconds',
    isOptionalAmount,
    'must be a finite number of seconds, 0 or more.',
  );
  // `Object(undefined)` is `{}`: absent retry options pass. `null` means unset too (see resolveRetryOptions).
  check(
    Object(retry),
    'options.retry.',
    'retries baseDelayMs maxDelayMs',
    isOptionalAmount,
    'must be a finite number, 0 or more.',
  );
  check(
    options,
    'options.',
    'now random',
    (value) => value === undefined || isFunction(value),
    'must be a function.',
  );
  if (storage !== undefined) {
    check(
      Object(storage),
      'options.storage.',
      'getRegistration setRegistration removeRegistration getSession setSession removeSession',
      isFunction,
      'must be a function (see DeviceLoginStorage).',
    );
  }
}
