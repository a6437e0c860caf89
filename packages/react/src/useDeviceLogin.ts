import { type DeviceLogin, DeviceLoginError } from '@oidc-device-login/core';
import { useContext } from 'react';
import { DeviceLoginContext } from './DeviceLoginProvider.tsx';

/** The login of the nearest `<DeviceLoginProvider>`. Throws when there is none. */
export function useDeviceLogin(): DeviceLogin {
  const login = useContext(DeviceLoginContext);
  if (!login) {
    throw new DeviceLoginError(
      'invalid_argument',
      'useDeviceLogin must be used inside <DeviceLoginProvider login={…}>: wrap your app (or this component) in ' +
        '<DeviceLoginProvider login={createDeviceLogin({ provider, storage })}>. Outside a provider, use ' +
        'useOidcDeviceLogin({ login }) instead: useDeviceLogin takes no login.',
    );
  }
  return login;
}
