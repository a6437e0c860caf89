import type { SsoClientConfig, SsoPortalClient } from '@oidc-device-login/core';
import { createContext } from 'react';

/**
 * Where the SSO portal API is: a ready client (`createSsoPortalClient(…)`), or its config (`{ endpoint, fetch }`,
 * or `{ region }` outside browsers). AWS's portal endpoint sends no CORS headers, so browsers call it through a
 * same-origin proxy: `{ endpoint: '/aws/portal' }`.
 */
export type SsoPortalOptions = SsoPortalClient | SsoClientConfig;

/** @internal The `portal` given to the nearest `<DeviceLoginProvider>`, if any. */
export const SsoPortalContext = createContext<SsoPortalOptions | undefined>(undefined);
