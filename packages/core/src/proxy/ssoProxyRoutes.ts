/**
 * The fixed set of AWS operations the proxy forwards (PROTOCOL §2, §7). The upstream path always comes from this
 * table, never from the request: a request path only selects one of these entries.
 */

/** Which AWS service an operation belongs to. */
export type SsoProxyService = 'oidc' | 'portal';

/** One forwardable AWS operation. */
export interface SsoProxyRoute {
  readonly service: SsoProxyService;
  /** AWS operation name, for messages and `onError`. */
  readonly operation:
    | 'RegisterClient'
    | 'StartDeviceAuthorization'
    | 'CreateToken'
    | 'ListAccounts'
    | 'ListAccountRoles'
    | 'GetRoleCredentials'
    | 'Logout';
  /** Path below the service base URL, as AWS serves it. */
  readonly path: string;
  readonly method: 'GET' | 'POST';
  /** Query parameters forwarded to AWS; any other parameter is dropped. */
  readonly query: readonly string[];
}

export const ssoProxyRoutes: readonly SsoProxyRoute[] = [
  { service: 'oidc', operation: 'RegisterClient', path: '/client/register', method: 'POST', query: [] },
  {
    service: 'oidc',
    operation: 'StartDeviceAuthorization',
    path: '/device_authorization',
    method: 'POST',
    query: [],
  },
  { service: 'oidc', operation: 'CreateToken', path: '/token', method: 'POST', query: [] },
  {
    service: 'portal',
    operation: 'ListAccounts',
    path: '/assignment/accounts',
    method: 'GET',
    query: ['max_result', 'next_token'],
  },
  {
    service: 'portal',
    operation: 'ListAccountRoles',
    path: '/assignment/roles',
    method: 'GET',
    query: ['account_id', 'max_result', 'next_token'],
  },
  {
    service: 'portal',
    operation: 'GetRoleCredentials',
    path: '/federation/credentials',
    method: 'GET',
    query: ['account_id', 'role_name'],
  },
  { service: 'portal', operation: 'Logout', path: '/logout', method: 'POST', query: [] },
];

/** Where a request path points, before any allow-list is applied. */
export type SsoProxyPathMatch =
  | {
      readonly kind: 'route';
      readonly region: string;
      readonly dualStack: boolean;
      readonly route: SsoProxyRoute;
    }
  | { readonly kind: 'outside_base_path' }
  | { readonly kind: 'unknown' };

/** The path segment that asks for the dual-stack AWS hosts: `<basePath>/<region>/dualstack/oidc/token`. */
export const DUAL_STACK_SEGMENT = 'dualstack';

/**
 * Matches a URL pathname (already dot-segment-normalised by `URL`) against
 * `<basePath>/<region>[/dualstack]/{oidc|portal}/<operation path>`. Segments are compared exactly, so
 * percent-encoded slashes or dots, doubled slashes and anything else unexpected fall through to `unknown`.
 */
export function matchSsoProxyPath(pathname: string, basePath: string): SsoProxyPathMatch {
  if (basePath !== '' && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
    return { kind: 'outside_base_path' };
  }
  const segments = pathname.slice(basePath.length + 1).split('/');
  const region = segments.shift();
  if (region === undefined || region === '') return { kind: 'unknown' };
  const dualStack = segments[0] === DUAL_STACK_SEGMENT;
  if (dualStack) segments.shift();
  const service = segments.shift();
  const rest = `/${segments.join('/')}`;
  const route = ssoProxyRoutes.find((r) => r.service === service && r.path === rest);
  return route ? { kind: 'route', region, dualStack, route } : { kind: 'unknown' };
}
