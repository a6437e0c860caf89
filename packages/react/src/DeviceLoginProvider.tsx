import type { DeviceLogin } from '@oidc-device-login/core';
import { createContext, type ReactNode } from 'react';
import { SsoPortalContext, type SsoPortalOptions } from './SsoPortalContext.ts';

/** @internal The login given to the nearest {@link DeviceLoginProvider}, if any. */
export const DeviceLoginContext = createContext<DeviceLogin | undefined>(undefined);

export interface DeviceLoginProviderProps {
  /** The login every hook and `<DeviceCodePrompt>` below uses, e.g. `createDeviceLogin({ provider, storage })`. */
  login: DeviceLogin;
  /**
   * The SSO portal API for `useSsoAccounts`, `useSsoAccountRoles` and `useSsoRoleCredentials`: a client, or its
   * config (`{ endpoint: '/aws/portal' }` behind a same-origin proxy in browsers). Defaults to none: the portal
   * hooks then need their own `portal` option.
   */
  portal?: SsoPortalOptions | undefined;
  children?: ReactNode;
}

/**
 * Makes `login` available to `useDeviceLogin`, `useOidcDeviceLogin`, `useAccessToken`, the portal hooks and
 * `<DeviceCodePrompt>` below it.
 *
 * The provider does not own the login: create it once, outside render (module scope or a `useState` initialiser),
 * and `dispose()` it yourself if it must stop. The login itself catches up when a tab becomes visible again
 * (`wakeOnVisibility`), so the provider adds no listeners of its own.
 */
export function DeviceLoginProvider({ login, portal, children }: DeviceLoginProviderProps): ReactNode {
  return (
    <DeviceLoginContext.Provider value={login}>
      <SsoPortalContext.Provider value={portal}>{children}</SsoPortalContext.Provider>
    </DeviceLoginContext.Provider>
  );
}
