import {
  type CreateDeviceLoginOptions,
  createDeviceLogin,
  type DeviceLogin,
  type DeviceLoginView,
  type StartOptions,
} from '@oidc-device-login/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { shallowEqual } from './shallowEqual.ts';
import { useLogin } from './useLogin.ts';
import { useViewSelector } from './useViewSelector.ts';

/** The actions of a login, with identities that stay the same for the life of the login. */
export interface DeviceLoginActions {
  /** Starts a sign-in; does nothing while one runs. Pass `{ force: true }` to sign in again while signed in. */
  start: (options?: StartOptions) => void;
  /** Stops a running sign-in. */
  cancel: () => void;
  /** Starts again after `expired`, `denied` or `error`. */
  retry: () => void;
  /** Signs out: clears the tokens and tells the server. Never rejects for server errors. */
  logout: () => Promise<void>;
}

/**
 * Which login the hook reads: `{ login }`, or the options of `createDeviceLogin` (`{ provider, storage, … }`) to
 * have the hook create one for the component, once, and dispose it on unmount. Without either, the login of the
 * nearest `<DeviceLoginProvider>`.
 */
export type DeviceLoginSource =
  | { login?: DeviceLogin | undefined; provider?: never }
  | (CreateDeviceLoginOptions & { login?: never });

export type UseOidcDeviceLoginOptions<TSelected extends object = DeviceLoginView> = DeviceLoginSource &
  SelectOptions<TSelected>;

export interface SelectOptions<TSelected extends object> {
  /**
   * Picks what the component reads, so it re-renders only when that changes (compared with `isEqual`), e.g.
   * `select: (view) => ({ status: view.status })`. Defaults to the whole view.
   */
  select?: ((view: DeviceLoginView) => TSelected) | undefined;
  /** Compares two selections. Defaults to a shallow comparison of their members. */
  isEqual?: ((a: TSelected, b: TSelected) => boolean) | undefined;
}

/** The view (or the selected part of it) plus the actions. */
export type UseOidcDeviceLoginResult<TSelected extends object = DeviceLoginView> = TSelected &
  DeviceLoginActions;

/** @internal The whole view, as a selection. */
export const selectView = <TSelected>(view: DeviceLoginView) => view as TSelected;

/**
 * The state of a device login and its actions, for a sign-in UI of your own.
 *
 * Reads the login of the nearest `<DeviceLoginProvider>`, the one in `options.login`, or one it creates from
 * `createDeviceLogin` options (once, disposed on unmount; StrictMode's double mount keeps it, so one sign-in
 * runs). The hook only subscribes: every rule (polling, expiry, refresh) lives in the login.
 *
 * @example
 * ```tsx
 * const { status, userCode, verificationUriComplete, start, cancel } = useOidcDeviceLogin();
 * ```
 */
export function useOidcDeviceLogin<TSelected extends object = DeviceLoginView>(
  options?: UseOidcDeviceLoginOptions<TSelected>,
): UseOidcDeviceLoginResult<TSelected> {
  const { login: given, select, isEqual, ...createOptions } = options ?? {};
  const owned = useOwnedLogin(
    'provider' in createOptions ? (createOptions as CreateDeviceLoginOptions) : undefined,
  );
  const login = useLogin(given ?? owned, 'useOidcDeviceLogin');
  const selected = useViewSelector(login, select ?? selectView<TSelected>, isEqual ?? shallowEqual);
  const actions = useLoginActions(login);
  return useMemo(() => ({ ...selected, ...actions }), [selected, actions]);
}

/** @internal The login's actions as functions whose identities last as long as the login. */
export function useLoginActions(login: DeviceLogin): DeviceLoginActions {
  return useMemo(
    () => ({
      start: (options) => login.start(options),
      cancel: () => login.cancel(),
      retry: () => login.retry(),
      logout: () => login.logout(),
    }),
    [login],
  );
}

/**
 * A login created from `options` on first render and disposed when the component unmounts; `undefined`
 * without options. Later changes to `options` are ignored: the login is created once.
 *
 * StrictMode mounts, unmounts and mounts again: the dispose is deferred to a microtask and cancelled by the second
 * mount, so the login (and a sign-in it started) survives. Creating it does nothing observable (core starts
 * on first use), so the extra initialiser call StrictMode makes costs nothing either.
 */
function useOwnedLogin(options: CreateDeviceLoginOptions | undefined): DeviceLogin | undefined {
  const [owned] = useState(() => (options ? createDeviceLogin(options) : undefined));
  const pendingDispose = useRef<object | undefined>(undefined);
  useEffect(() => {
    if (!owned) return;
    pendingDispose.current = undefined;
    return () => {
      const token = {};
      pendingDispose.current = token;
      queueMicrotask(() => {
        if (pendingDispose.current === token) owned.dispose();
      });
    };
  }, [owned]);
  return owned;
}
