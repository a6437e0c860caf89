import type { DeviceLogin, FetchLike } from '@oidc-device-login/core';
import { useCallback } from 'react';
import { useLogin } from './useLogin.ts';

export interface UseAuthenticatedFetchOptions {
  /** The login whose token is sent. Defaults to the login of the nearest `<DeviceLoginProvider>`. */
  login?: DeviceLogin | undefined;
  /** The `fetch` to call. Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
  /** Puts the token on a request. Defaults to `Authorization: Bearer <token>`. */
  authorize?: ((headers: Headers, accessToken: string) => void) | undefined;
}

const bearer = (headers: Headers, accessToken: string) =>
  headers.set('authorization', `Bearer ${accessToken}`);

/**
 * A `fetch` for your own APIs that sends the access token, and on a 401 refreshes it once and sends the request
 * once more. The function keeps its identity while the login and options do.
 *
 * @example
 * ```tsx
 * import { useQuery } from '@tanstack/react-query';
 *
 * const authenticatedFetch = useAuthenticatedFetch();
 * const me = useQuery({ queryKey: ['me'], queryFn: () => authenticatedFetch('/api/me').then((r) => r.json()) });
 * ```
 */
export function useAuthenticatedFetch(
  options?: UseAuthenticatedFetchOptions,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const login = useLogin(options?.login, 'useAuthenticatedFetch');
  const fetchOption = options?.fetch;
  const authorize = options?.authorize ?? bearer;
  return useCallback(
    async (input, init) => {
      const doFetch = fetchOption ?? globalThis.fetch;
      const request = new Request(input, init);
      // Keep an unread copy for the retry: a body can be read once.
      const retry = request.clone();
      const signal = init?.signal ?? request.signal;
      const send = async (target: Request, forceRefresh: boolean) => {
        const accessToken = await login.getAccessToken({ forceRefresh, signal });
        const headers = new Headers(target.headers);
        authorize(headers, accessToken);
        return doFetch(new Request(target, { headers }));
      };
      const response = await send(request, false);
      if (response.status !== 401) return response;
      // Drain the refused answer so the connection can be reused, then try once with a fresh token.
      await response.body?.cancel().catch(() => {});
      return send(retry, true);
    },
    [login, fetchOption, authorize],
  );
}
