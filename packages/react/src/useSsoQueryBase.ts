import type { DeviceLogin, SsoPortalClient } from '@oidc-device-login/core';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { SsoPortalOptions } from './SsoPortalContext.ts';
import type { SsoQueryKeyBase } from './ssoQueryKeys.ts';
import { idOf, ssoSessionTracker } from './ssoSession.ts';
import { useLogin } from './useLogin.ts';
import { useSsoPortalClient } from './useSsoPortalClient.ts';
import { useViewSelector } from './useViewSelector.ts';

/** Options every portal hook takes. */
export interface SsoQueryOptions {
  /** The login whose token is used. Defaults to the login of the nearest `<DeviceLoginProvider>`. */
  login?: DeviceLogin | undefined;
  /** The portal API. Defaults to the `portal` of the nearest `<DeviceLoginProvider>`. */
  portal?: SsoPortalOptions | undefined;
  /** Set `false` to hold the query even when signed in. Defaults to `true`. */
  enabled?: boolean | undefined;
  /** Defaults to the client of the nearest `<QueryClientProvider>`. */
  queryClient?: QueryClient | undefined;
}

export interface SsoQueryBase {
  login: DeviceLogin;
  client: SsoPortalClient;
  queryClient: QueryClient;
  keyBase: SsoQueryKeyBase;
  /** Signed in and not held by `enabled: false`. */
  enabled: boolean;
}

/** @internal What the portal hooks share: the login, the client, the sign-in key and the cache clean-up. */
export function useSsoQueryBase(options: SsoQueryOptions | undefined, hookName: string): SsoQueryBase {
  const login = useLogin(options?.login, hookName);
  const client = useSsoPortalClient(options?.portal, hookName);
  const queryClient = useQueryClient(options?.queryClient);
  const tracker = ssoSessionTracker(login);
  const session = useViewSelector(login, () => tracker.key, Object.is);
  useEffect(() => tracker.register(queryClient), [tracker, queryClient]);
  const keyBase = useMemo(
    () => ({ login: idOf(login), endpoint: client.endpoint, session }),
    [login, client.endpoint, session],
  );
  return {
    login,
    client,
    queryClient,
    keyBase,
    enabled: session !== undefined && options?.enabled !== false,
  };
}
