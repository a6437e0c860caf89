import { type DeviceLogin, DeviceLoginError, isTransientError } from '@oidc-device-login/core';

/** True for the portal's "invalid access token" answer: HTTP 401 (`UnauthorizedException`). */
export function isUnauthorized(error: unknown): boolean {
  return (
    error instanceof DeviceLoginError &&
    (error.code === 'unauthorized' || (error as { status?: unknown }).status === 401)
  );
}

/**
 * Calls `call` with a valid access token. On a 401 (the token was revoked or expired early) it refreshes the token
 * once and calls again once; a second 401 is the answer.
 */
export async function callWithToken<T>(
  login: DeviceLogin,
  signal: AbortSignal | undefined,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const accessToken = await login.getAccessToken({ signal });
  try {
    return await call(accessToken);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
    return call(await login.getAccessToken({ forceRefresh: true, signal }));
  }
}

/**
 * react-query `retry` for portal queries: transient failures (network, 5xx, 429) up to twice; never a 4xx, whose
 * answer would not change (a 401 has had its refresh and retry in {@link callWithToken}).
 */
export function retryTransient(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && isTransientError(error);
}
