import type { AccountInfo, DeviceLoginError } from '@oidc-device-login/core';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { callWithToken, retryTransient } from './callWithToken.ts';
import { ssoQueryKeys } from './ssoQueryKeys.ts';
import { type SsoQueryOptions, useSsoQueryBase } from './useSsoQueryBase.ts';

/**
 * Every AWS account the signed-in person can reach (ListAccounts, all pages). Runs only while signed in; keyed by
 * the sign-in, and removed from the cache when it ends. A 401 refreshes the token once and asks again once.
 *
 * @example
 * ```tsx
 * const { data: accounts = [], isPending } = useSsoAccounts();
 * ```
 */
export function useSsoAccounts(options?: SsoQueryOptions): UseQueryResult<AccountInfo[], DeviceLoginError> {
  const { login, client, queryClient, keyBase, enabled } = useSsoQueryBase(options, 'useSsoAccounts');
  return useQuery<AccountInfo[], DeviceLoginError>(
    {
      queryKey: ssoQueryKeys.accounts(keyBase),
      queryFn: ({ signal }) =>
        callWithToken(login, signal, (accessToken) => client.listAllAccounts({ accessToken }, { signal })),
      enabled,
      retry: retryTransient,
    },
    queryClient,
  );
}
