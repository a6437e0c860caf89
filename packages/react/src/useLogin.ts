import { type DeviceLogin, DeviceLoginError } from '@oidc-device-login/core';
import { useContext } from 'react';
import { DeviceLoginContext } from './DeviceLoginProvider.tsx';

/** @internal `login` when given, else the provider's; throws a message that says what to do when neither. */
export function useLogin(login: DeviceLogin | undefined, hookName: string): DeviceLogin {
  const provided = useContext(DeviceLoginContext);
  const resolved = login ?? provided;
  if (!resolved) {
    throw new DeviceLoginError(
      'invalid_argument',
      `${hookName} must be used inside <DeviceLoginProvider login={…}>, or be given { login }: wrap your app in ` +
        '<DeviceLoginProvider login={createDeviceLogin({ provider, storage })}>.',
    );
  }
  return resolved;
}
