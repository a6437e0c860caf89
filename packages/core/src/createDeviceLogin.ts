import { createActor, waitFor } from 'xstate';
import { installBrowserWake } from './browserWake.ts';
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
  let resolved: { coordinator: CrossTabCoordinator; owned: boolean } | undefined;
  const resolve = () => {
    resolved ??= resolveCoordinator(crossTabOption);
    return resolved.coordinator;
  };
  const coordinator: CrossTabCoordinator = {
    hold: (name, signal) => resolve().hold(name, signal),
    exclusive: (name, signal, fn) => resolve().exclusive(name, signal, fn),
    publish: (message) => resolve().publish(message),
    subscribe: (listener) => resolve().subscribe(listener),
    close: () => {
      if (resolved?.owned) resolved.coordinator.close();
    },
  };
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
    let failure: { error: unknown } | undefined;
    for (const listener of [...listeners]) {
      try {
        listener(view);
      } catch (error) {
        failure ??= { error };
      }
    }
    // One failing listener must not starve the others; its error still surfaces, as the browser reports errors of
    // event listeners.
    if (failure) {
      const { error } = failure;
      const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
      if (typeof report === 'function') report(error);
      else
        queueMicrotask(() => {
          throw error;
        });
    }
  };

  const onSnapshot = (snapshot: DeviceLoginSnapshot) => {
    const next = selectView(snapshot, viewOptions, view);
    if (next === view) return;
    view = next;
    notify();
  };

  const ensureStarted = () => {
    if (started || disposed) return;
    started = true;
    actor.subscribe({
      next: onSnapshot,
      error: (error) => {
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
    });
    actor.start();
    if (wakeOnVisibility) removeWake = installBrowserWake(() => login.wake());
  };

  const until = async (
    predicate: (snapshot: DeviceLoginSnapshot) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<DeviceLoginSnapshot> => {
    try {
      return await waitFor(actor, predicate, { timeout: Number.POSITIVE_INFINITY, signal });
    } catch (cause) {
      throw new DeviceLoginError(
        'aborted',
        disposed ? 'The device login was disposed.' : 'The operation was aborted.',
        { cause },
      );
    }
  };

  const settled = (signal: AbortSignal | undefined) =>
    until(
      (s) => !s.matches('restoring') && !s.matches('restored') && !s.matches({ authenticated: 'refreshing' }),
      signal,
    );

  const assertUsable = () => {
    if (disposed) throw new DeviceLoginError('aborted', 'The device login was disposed: create a new one.');
  };

  const login: DeviceLoginClient = {
    actor,
    start(startOptions?: StartOptions) {
      if (disposed) return;
      ensureStarted();
      actor.send({ type: 'START', force: startOptions?.force === true });
    },
    cancel() {
      if (started && !disposed) actor.send({ type: 'CANCEL' });
    },
    retry() {
      if (disposed) return;
      ensureStarted();
      actor.send({ type: 'RETRY' });
    },
    logout() {
      if (disposed) return Promise.resolve();
      ensureStarted();
      return new Promise<void>((resolve) => {
        const settle = () => {
          pendingLogouts.delete(settle);
          resolve();
        };
        pendingLogouts.add(settle);
        actor.send({ type: 'LOGOUT', settle });
      });
    },
    async refresh() {
      assertUsable();
      ensureStarted();
      let snapshot = await settled(undefined);
      if (!snapshot.matches('authenticated')) throw notSignedIn(snapshot);
      actor.send({ type: 'REFRESH', force: true });
      // Not refreshing now: throttled (one attempt per 30 s) or nothing to refresh with. The session is unchanged.
      if (!actor.getSnapshot().matches({ authenticated: 'refreshing' })) return;
      snapshot = await settled(undefined);
      if (!snapshot.matches('authenticated')) throw snapshot.context.error ?? notSignedIn(snapshot);
      if (snapshot.context.refreshFailures > 0 && snapshot.context.error) throw snapshot.context.error;
    },
    wake() {
      if (started && !disposed) actor.send({ type: 'WAKE' });
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
      assertUsable();
      ensureStarted();
      const signal = tokenOptions?.signal;
      let snapshot = await settled(signal);
      if (!snapshot.matches('authenticated')) throw notSignedIn(snapshot);
      // The machine decides: it refreshes only inside the refresh window (or when forced) and not more than once
      // per 30 s. N callers at once share the one refresh in flight.
      actor.send({ type: 'REFRESH', force: tokenOptions?.forceRefresh === true });
      snapshot = await settled(signal);
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

function notSignedIn(snapshot: DeviceLoginSnapshot): DeviceLoginError {
  const cause = snapshot.context.error;
  return new DeviceLoginError(
    'not_signed_in',
    'Not signed in: call start() and have the person approve the code first.',
    cause ? { cause } : undefined,
  );
}

function resolveCoordinator(option: CreateDeviceLoginOptions['crossTab']): {
  coordinator: CrossTabCoordinator;
  owned: boolean;
} {
  if (option === false) return { coordinator: localCoordinator(), owned: false };
  if (option === undefined) {
    // `typeof` touches nothing: safe at construction during server rendering.
    const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
    return inBrowser
      ? { coordinator: crossTab(), owned: true }
      : { coordinator: localCoordinator(), owned: false };
  }
  if (option === true) return { coordinator: crossTab(), owned: true };
  if (isCoordinator(option)) return { coordinator: option, owned: false };
  return { coordinator: crossTab(option), owned: true };
}

function isCoordinator(value: CrossTabOptions | CrossTabCoordinator): value is CrossTabCoordinator {
  return typeof (value as CrossTabCoordinator).hold === 'function';
}

function validateOptions(options: CreateDeviceLoginOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'pass an object with at least a `provider`.');
  }
  const { provider } = options;
  if (typeof provider !== 'object' || provider === null) {
    throw new InvalidArgumentError(
      'options.provider',
      'pass a provider, e.g. `awsSsoOidc({ region, startUrl, clientName })`.',
    );
  }
  for (const method of ['register', 'startDeviceAuthorization', 'pollToken', 'refresh'] as const) {
    if (typeof provider[method] !== 'function') {
      throw new InvalidArgumentError(
        `options.provider.${method}`,
        'must be a function (see DeviceFlowProvider).',
      );
    }
  }
  if (typeof provider.scope?.key !== 'string' || provider.scope.key === '') {
    throw new InvalidArgumentError('options.provider.scope.key', 'must be a non-empty string.');
  }
  for (const name of [
    'refreshWindowSeconds',
    'registrationWindowSeconds',
    'minRefreshIntervalSeconds',
    'requestTimeoutSeconds',
  ] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new InvalidArgumentError(`options.${name}`, 'must be a finite number of seconds, 0 or more.');
    }
  }
  const { retry } = options;
  if (retry !== undefined) {
    for (const name of ['retries', 'baseDelayMs', 'maxDelayMs'] as const) {
      const value = retry[name];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw new InvalidArgumentError(`options.retry.${name}`, 'must be a finite number, 0 or more.');
      }
    }
  }
  for (const name of ['now', 'random'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidArgumentError(`options.${name}`, 'must be a function.');
    }
  }
  const { storage } = options;
  if (storage !== undefined) {
    for (const method of [
      'getRegistration',
      'setRegistration',
      'removeRegistration',
      'getSession',
      'setSession',
      'removeSession',
    ] as const) {
      if (typeof storage?.[method] !== 'function') {
        throw new InvalidArgumentError(
          `options.storage.${method}`,
          'must be a function (see DeviceLoginStorage).',
        );
      }
    }
  }
}
