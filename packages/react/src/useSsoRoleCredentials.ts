import type { DeviceLoginError, RoleCredentials } from '@oidc-device-login/core';
import { type Query, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { callWithToken, retryTransient } from './callWithToken.ts';
import { ssoQueryKeys } from './ssoQueryKeys.ts';
import { type SsoQueryOptions, useSsoQueryBase } from './useSsoQueryBase.ts';

export interface SsoRoleTarget {
  accountId: string;
  roleName: string;
}

export interface UseSsoRoleCredentialsOptions extends SsoQueryOptions {
  /**
   * How long before `expiration` the credentials count as stale and are fetched again while in use, in ms.
   * Defaults to `300000` (5 minutes, as the AWS SDKs refresh credentials).
   */
  refreshBeforeExpiryMs?: number | undefined;
}

const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Temporary AWS credentials for a role (GetRoleCredentials). They are secrets and expire, so they are never
 * kept past `expiration`: stale `refreshBeforeExpiryMs` before it and fetched again then while a component uses
 * them, dropped from the cache as soon as none does (`gcTime: 0`), and removed when the sign-in ends.
 */
export function useSsoRoleCredentials(
  target: SsoRoleTarget | undefined,
  options?: UseSsoRoleCredentialsOptions,
): UseQueryResult<RoleCredentials, DeviceLoginError> {
  const { login, client, queryClient, keyBase, enabled } = useSsoQueryBase(options, 'useSsoRoleCredentials');
  const margin = options?.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS;
  const accountId = target?.accountId ?? '';
  const roleName = target?.roleName ?? '';
  // Time left until the credentials should be replaced; 0 when there are none (yet).
  const freshFor = (query: Query<RoleCredentials, DeviceLoginError, RoleCredentials, readonly unknown[]>) => {
    const expiration = query.state.data?.expiration;
    return expiration === undefined ? 0 : Math.max(0, expiration - margin - Date.now());
  };
  return useQuery<RoleCredentials, DeviceLoginError>(
    {
      queryKey: ssoQueryKeys.roleCredentials(keyBase, accountId, roleName),
      queryFn: ({ signal }) =>
        callWithToken(login, signal, async (accessToken) => {
          const output = await client.getRoleCredentials({ accessToken, accountId, roleName }, { signal });
          return output.roleCredentials;
        }),
      enabled: enabled && accountId !== '' && roleName !== '',
      retry: retryTransient,
      staleTime: freshFor,
      // While in use, replace them before they expire; `false` (no timer) until there are some.
      refetchInterval: (query) => (query.state.data ? Math.max(1_000, freshFor(query)) : false),
      gcTime: 0,
    },
    queryClient,
  );
}
