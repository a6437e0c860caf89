import type { DeviceLogin, DeviceLoginView, GetAccessTokenOptions } from '@oidc-device-login/core';
import { useCallback, useMemo } from 'react';
import { shallowEqual } from './shallowEqual.ts';
import { useLogin } from './useLogin.ts';
import { useViewSelector } from './useViewSelector.ts';

/**
 * Whether an access token can be had:
 * - `none`: not signed in (or the session is being restored);
 * - `valid`: a session is held; `getAccessToken()` returns its token, refreshing first when it is due;
 * - `refreshing`: a refresh is in flight; `getAccessToken()` waits for it.
 */
export type AccessTokenStatus = 'none' | 'valid' | 'refreshing';

export interface AccessTokenState {
  status: AccessTokenStatus;
  /** Epoch ms when the current access token expires; `undefined` without a session. */
  expiresAt: number | undefined;
  /**
   * A valid access token, refreshed first when needed. Rejects with a `DeviceLoginError` coded `not_signed_in`
   * without a session. Stable identity: safe in effect and query dependencies.
   */
  getAccessToken: (options?: GetAccessTokenOptions) => Promise<string>;
}

export interface UseAccessTokenOptions {
  /** The login to read. Defaults to the login of the nearest `<DeviceLoginProvider>`. */
  login?: DeviceLogin | undefined;
}

function tokenStatusOf(view: DeviceLoginView): AccessTokenStatus {
  if (view.session === undefined) return 'none';
  return view.isRefreshing ? 'refreshing' : 'valid';
}

const selectTokenState = (view: DeviceLoginView) => ({
  status: tokenStatusOf(view),
  expiresAt: view.session?.expiresAt,
});

/**
 * The current token state for your own requests. Re-renders only when `status` or `expiresAt` change, never for
 * sign-in progress. Call `getAccessToken()` just before each request rather than keeping the token.
 *
 * @example
 * ```tsx
 * const { status, getAccessToken } = useAccessToken();
 * const load = async () => fetch('/api/me', { headers: { authorization: `Bearer ${await getAccessToken()}` } });
 * ```
 */
export function useAccessToken(options?: UseAccessTokenOptions): AccessTokenState {
  const login = useLogin(options?.login, 'useAccessToken');
  const state = useViewSelector(login, selectTokenState, shallowEqual);
  const getAccessToken = useCallback(
    (tokenOptions?: GetAccessTokenOptions) => login.getAccessToken(tokenOptions),
    [login],
  );
  return useMemo(() => ({ ...state, getAccessToken }), [state, getAccessToken]);
}
