/** The SSO OIDC operations (service `com.amazonaws.ssooidc`), served under the emulator's base URL. */
export const OIDC_OPERATIONS = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'] as const;

/** The SSO portal operations (service `SWBPortalService`), served on the same origin as the OIDC ones. */
export const PORTAL_OPERATIONS = [
  'ListAccounts',
  'ListAccountRoles',
  'GetRoleCredentials',
  'Logout',
] as const;

export type OidcOperation = (typeof OIDC_OPERATIONS)[number];
export type PortalOperation = (typeof PORTAL_OPERATIONS)[number];

/** An AWS operation the emulator implements: what `fault({ operation })` and `requests()` name. */
export type Operation = OidcOperation | PortalOperation;

/** Route table: path (relative to the mount prefix) → HTTP method and operation. */
export const OPERATION_ROUTES: Readonly<Record<string, { method: 'GET' | 'POST'; operation: Operation }>> = {
  '/client/register': { method: 'POST', operation: 'RegisterClient' },
  '/device_authorization': { method: 'POST', operation: 'StartDeviceAuthorization' },
  '/token': { method: 'POST', operation: 'CreateToken' },
  '/assignment/accounts': { method: 'GET', operation: 'ListAccounts' },
  '/assignment/roles': { method: 'GET', operation: 'ListAccountRoles' },
  '/federation/credentials': { method: 'GET', operation: 'GetRoleCredentials' },
  '/logout': { method: 'POST', operation: 'Logout' },
};

export function isOperation(value: unknown): value is Operation {
  return (
    (OIDC_OPERATIONS as readonly unknown[]).includes(value) ||
    (PORTAL_OPERATIONS as readonly unknown[]).includes(value)
  );
}

export function isPortalOperation(operation: Operation): operation is PortalOperation {
  return (PORTAL_OPERATIONS as readonly string[]).includes(operation);
}
