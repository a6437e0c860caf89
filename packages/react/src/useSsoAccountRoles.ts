import type { DeviceLoginError, RoleInfo } from '@oidc-device-login/core';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { callWithToken, retryTransient } from './callWithToken.ts';
import { ssoQueryKeys } from './ssoQueryKeys.ts';
import { type SsoQueryOptions, useSsoQueryBase } from './useSsoQueryBase.ts';

/**
 * The roles the signed-in person may assume in `accountId` (ListAccountRoles, all pages). Held while `accountId`
 * is `undefined` or signed out. A 401 refreshes the token once and asks again once; a 404 is not retried.
 */
export function useSsoAccountRoles(
  accountId: string | undefined,
  options?: SsoQueryOptions,
): UseQueryResult<RoleInfo[], DeviceLoginError> {
  const { login, client, queryClient, keyBase, enabled } = useSsoQueryBase(options, 'useSsoAccountRoles');
  return useQuery<RoleInfo[], DeviceLoginError>(
    {
      queryKey: ssoQueryKeys.accountRoles(keyBase, accountId ?? ''),
      queryFn: ({ signal }) =>
        callWithToken(login, signal, (accessToken) =>
          client.listAllAccountRoles({ accessToken, accountId: accountId ?? '' }, { signal }),
        ),
      enabled: enabled && accountId !== undefined && accountId !== '',
      retry: retryTransient,
    },
    queryClient,
  );
}
