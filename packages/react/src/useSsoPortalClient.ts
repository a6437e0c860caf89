import {
  createSsoPortalClient,
  DeviceLoginError,
  type SsoClientConfig,
  type SsoPortalClient,
} from '@oidc-device-login/core';
import { useContext, useMemo } from 'react';
import { SsoPortalContext, type SsoPortalOptions } from './SsoPortalContext.ts';

function isPortalClient(options: SsoPortalOptions): options is SsoPortalClient {
  return typeof (options as SsoPortalClient).listAccounts === 'function';
}

/** @internal The portal client from `portal`, else the provider's; throws a message that says what to do. */
export function useSsoPortalClient(portal: SsoPortalOptions | undefined, hookName: string): SsoPortalClient {
  const provided = useContext(SsoPortalContext);
  const options = portal ?? provided;
  if (!options) {
    throw new DeviceLoginError(
      'invalid_argument',
      `${hookName} needs the SSO portal API: pass portal={{ endpoint, fetch }} (or { region }) to ` +
        '<DeviceLoginProvider>, or { portal } to the hook. In browsers, point endpoint at a same-origin proxy ' +
        'of https://portal.sso.{region}.amazonaws.com, which sends no CORS headers.',
    );
  }
  const client = isPortalClient(options) ? options : undefined;
  const { endpoint, region, fetch, fips, dualStack } = client ? {} : (options as SsoClientConfig);
  // Configs are usually inline objects: build the client again only when a member changes.
  return useMemo(
    () => client ?? createSsoPortalClient({ endpoint, region, fetch, fips, dualStack }),
    [client, endpoint, region, fetch, fips, dualStack],
  );
}
