import type { LockManagerLike } from './crossTab.ts';
/**
 * A test double of the {@link DeviceLogin} interface, for stories, component tests and users' own tests.
 *
 * It makes no requests and keeps no timers: it holds a view that the test sets with `setView`, keeps the
 * {@link DeviceLogin} contract (`getView()` returns the same frozen object until something changes; listeners are
 * called only on a change) and records every call. To exercise the real flow, use `createDeviceLogin` on the
 * emulator's in-process `fetch` instead.
 */
import { DeviceLoginError } from './errors.ts';
import type { DeviceLogin, DeviceLoginView } from './view.ts';

/** Methods whose calls are recorded: all but `getView` and `subscribe`, which React calls on every render. */
export type RecordedDeviceLoginMethod = Exclude<keyof DeviceLogin, 'getView' | 'subscribe'>;

/** The arguments of every call made to a {@link TestDeviceLogin}, per method, in call order. */
export type TestDeviceLoginCalls = {
  readonly [K in RecordedDeviceLoginMethod]: Array<Parameters<DeviceLogin[K]>>;
};

/** A {@link DeviceLogin} whose view a test sets, and which records the calls made to it. */
export interface TestDeviceLogin extends DeviceLogin {
  /**
   * Merges `partial` into the view. When a member differs (`Object.is`), the view becomes a new frozen object and
   * subscribers are called once; otherwise nothing happens and `getView()` keeps returning the same object.
   */
  setView(partial: Partial<DeviceLoginView>): void;
  /** Arguments of each call, per method: `calls.start.length` is how often `start` was called. */
  readonly calls: TestDeviceLoginCalls;
  /** How many listeners are subscribed now (to check that a component unsubscribes). */
  readonly listenerCount: number;
  /** True once `dispose()` was called. */
  readonly disposed: boolean;
}

/** The view of a login that has never started: `idle`, nothing shown. */
export const initialDeviceLoginView: DeviceLoginView = Object.freeze({
  status: 'idle',
  userCode: undefined,
  verificationUri: undefined,
  verificationUriComplete: undefined,
  expiresAt: undefined,
  codeSource: undefined,
  interval: undefined,
  isSlowedDown: false,
  isRefreshing: false,
  isRestoring: false,
  session: undefined,
  error: undefined,
});

/**
 * Behaviour to give a {@link TestDeviceLogin}'s methods, e.g. `{ start: () => login.setView({ status:
 * 'registering' }) }` or a `getAccessToken` that returns a new token on `forceRefresh`. Calls are recorded either
 * way.
 */
export type TestDeviceLoginBehaviour = Partial<Pick<DeviceLogin, RecordedDeviceLoginMethod>>;

/**
 * Creates a {@link TestDeviceLogin} showing `view` (merged over {@link initialDeviceLoginView}).
 *
 * By default its methods only record their calls: `start()` does not change the status, so a test moves the view
 * itself with `setView`. `logout()` and `refresh()` resolve at once; `getAccessToken()` resolves with
 * `view.session.accessToken` and rejects with a `DeviceLoginError` coded `not_signed_in` when there is none.
 * `behaviour` replaces any of them.
 *
 * @example
 * ```tsx
 * import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
 * import { DeviceCodePrompt, DeviceLoginProvider } from '@oidc-device-login/react';
 * import { render } from '@testing-library/react';
 * import { expect } from 'vitest';
 *
 * const login = createTestDeviceLogin({ status: 'awaitingUser', userCode: 'ABCD-EFGH',
 *   verificationUri: 'https://device.sso.us-east-1.amazonaws.com/', expiresAt: Date.now() + 600_000 });
 * render(<DeviceLoginProvider login={login}><DeviceCodePrompt /></DeviceLoginProvider>);
 * expect(login.calls.start).toHaveLength(0);
 * login.setView({ status: 'authenticated', userCode: undefined, session: { expiresAt: Date.now() + 3_600_000,
 *   tokenType: 'Bearer', refreshable: true, accessToken: 'token' } });
 * ```
 */
export function createTestDeviceLogin(
  view?: Partial<DeviceLoginView>,
  behaviour: TestDeviceLoginBehaviour = {},
): TestDeviceLogin {
  let current: DeviceLoginView = Object.freeze({ ...initialDeviceLoginView, ...view });
  let disposed = false;
  const listeners = new Set<(view: DeviceLoginView) => void>();
  const calls: TestDeviceLoginCalls = {
    start: [],
    cancel: [],
    retry: [],
    logout: [],
    refresh: [],
    wake: [],
    getAccessToken: [],
    dispose: [],
  };

  return {
    calls,
    get listenerCount() {
      return listeners.size;
    },
    get disposed() {
      return disposed;
    },
    setView(partial) {
      const changed = (Object.keys(partial) as Array<keyof DeviceLoginView>).some(
        (key) => !Object.is(partial[key], current[key]),
      );
      if (!changed) return;
      current = Object.freeze({ ...current, ...partial });
      // Copy first: a listener may unsubscribe (or subscribe) while we iterate.
      for (const listener of [...listeners]) listener(current);
    },
    start(...args) {
      calls.start.push(args);
      behaviour.start?.(...args);
    },
    cancel(...args) {
      calls.cancel.push(args);
      behaviour.cancel?.(...args);
    },
    retry(...args) {
      calls.retry.push(args);
      behaviour.retry?.(...args);
    },
    async logout(...args) {
      calls.logout.push(args);
      await behaviour.logout?.(...args);
    },
    async refresh(...args) {
      calls.refresh.push(args);
      await behaviour.refresh?.(...args);
    },
    wake(...args) {
      calls.wake.push(args);
      behaviour.wake?.(...args);
    },
    getView() {
      return current;
    },
    subscribe(listener) {
      if (disposed) return () => {};
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async getAccessToken(...args) {
      calls.getAccessToken.push(args);
      if (behaviour.getAccessToken) return behaviour.getAccessToken(...args);
      const token = current.session?.accessToken;
      if (token === undefined) {
        throw new DeviceLoginError(
          'not_signed_in',
          'There is no session: sign in first (in a TestDeviceLogin, set a view with session.accessToken).',
        );
      }
      return token;
    },
    dispose(...args) {
      calls.dispose.push(args);
      behaviour.dispose?.(...args);
      disposed = true;
      listeners.clear();
    },
  };
}

/** A {@link memoryLocks} lock manager, with what tests read back. */
export interface MemoryLocks extends LockManagerLike {
  /** Names of the locks held now. */
  held(): string[];
  /** Every lock name requested, in order. */
  readonly requests: string[];
}

/**
 * An in-memory stand-in for the Web Locks API (`navigator.locks`), which Node 20 lacks: exclusive locks granted in
 * request order, released when the callback's promise settles, `signal` aborting a queued request with an
 * AbortError. Pass one to several logins (`crossTab: { locks, channel }`) to test, in one process, tabs that share a
 * session: it plays the browser that serialises them.
 */
export function memoryLocks(): MemoryLocks {
  const queues = new Map<string, Array<() => void>>();
  const heldNames = new Set<string>();
  const requests: string[] = [];

  const grantNext = (name: string) => {
    const queue = queues.get(name);
    const next = queue?.shift();
    if (next) next();
    else heldNames.delete(name);
  };

  return {
    requests,
    held: () => [...heldNames],
    request<T>(
      name: string,
      options: { signal?: AbortSignal },
      callback: (lock: unknown) => T | Promise<T>,
    ): Promise<T> {
      requests.push(name);
      const { signal } = options;
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) {
          reject(new DOMException('aborted', 'AbortError'));
          return;
        }
        const run = () => {
          signal?.removeEventListener('abort', onAbort);
          heldNames.add(name);
          Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .then(resolve, reject)
            .finally(() => grantNext(name));
        };
        const onAbort = () => {
          const queue = queues.get(name);
          const index = queue?.indexOf(run) ?? -1;
          if (index >= 0) {
            queue!.splice(index, 1);
            reject(new DOMException('aborted', 'AbortError'));
          }
        };
        signal?.addEventListener('abort', onAbort);
        if (heldNames.has(name)) {
          const queue = queues.get(name) ?? [];
          queue.push(run);
          queues.set(name, queue);
        } else {
          heldNames.add(name);
          run();
        }
      });
    },
  };
}
