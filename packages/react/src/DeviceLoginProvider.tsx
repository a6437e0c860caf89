import { type DeviceLogin, DeviceLoginError } from '@oidc-device-login/core';
import { createContext, type ReactNode, useContext, useEffect } from 'react';

/** @internal The login given to the nearest {@link DeviceLoginProvider}, if any. */
export const DeviceLoginContext = createContext<DeviceLogin | undefined>(undefined);

export interface DeviceLoginProviderProps {
  /** The login every hook and `<DeviceCodePrompt>` below uses, e.g. `createDeviceLogin({ provider, storage })`. */
  login: DeviceLogin;
  children?: ReactNode;
}

/**
 * Makes `login` available to {@link useDeviceLogin}, `useOidcDeviceLogin`, `useAccessToken`, the portal hooks and
 * `<DeviceCodePrompt>` below it.
 *
 * The provider does not own the login: create it once, outside render (module scope or a `useState` initialiser),
 * and `dispose()` it yourself if it must stop. While mounted in a browser, the provider calls `login.wake()` when
 * the tab becomes visible again or the network comes back, so a login whose timers were throttled catches up.
 */
export function DeviceLoginProvider({ login, children }: DeviceLoginProviderProps): ReactNode {
  useEffect(() => {
    // Browsers throttle timers in background tabs and suspended laptops; tell the login time may have jumped.
    const onVisibilityChange = () => {
      if (document.visibilityState === 'visible') login.wake();
    };
    const onOnline = () => login.wake();
    document.addEventListener('visibilitychange', onVisibilityChange);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onVisibilityChange);
      window.removeEventListener('online', onOnline);
    };
  }, [login]);

  return <DeviceLoginContext.Provider value={login}>{children}</DeviceLoginContext.Provider>;
}

/** The login of the nearest {@link DeviceLoginProvider}. Throws when there is none. */
export function useDeviceLogin(): DeviceLogin {
  const login = useContext(DeviceLoginContext);
  if (!login) {
    throw new DeviceLoginError(
      'invalid_argument',
      'useDeviceLogin must be used inside <DeviceLoginProvider login={…}>: wrap your app (or this component) in ' +
        '<DeviceLoginProvider login={createDeviceLogin({ provider, storage })}>, or pass { login } to the hook.',
    );
  }
  return login;
}
