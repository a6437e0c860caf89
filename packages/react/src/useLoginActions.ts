import type { DeviceLogin } from '@oidc-device-login/core';
import { useMemo } from 'react';
import type { DeviceLoginActions } from './useOidcDeviceLogin.ts';

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
