/**
 * Error responses shaped exactly as AWS sends them (PROTOCOL.md §3.1–3.3):
 *
 * - SSO OIDC: `x-amzn-ErrorType: <Name>:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/` and a body
 *   `{"error","error_description"}` with no `message` member (so the JS SDK reports `message: "UnknownError"`).
 * - SSO portal: no `x-amzn-ErrorType` header; body `{"message","__type":"com.amazonaws.switchboard.portal#<Name>"}`.
 */

const OIDC_ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';
const PORTAL_TYPE_PREFIX = 'com.amazonaws.switchboard.portal#';

/** The modeled SSO OIDC exceptions: HTTP status and the OAuth `error` value AWS puts in the body. */
export const OIDC_EXCEPTIONS = {
  AuthorizationPendingException: { status: 400, error: 'authorization_pending' },
  SlowDownException: { status: 400, error: 'slow_down' },
  ExpiredTokenException: { status: 400, error: 'expired_token' },
  AccessDeniedException: { status: 400, error: 'access_denied' },
  InvalidGrantException: { status: 400, error: 'invalid_grant' },
  InvalidClientException: { status: 401, error: 'invalid_client' },
  UnauthorizedClientException: { status: 400, error: 'unauthorized_client' },
  InvalidRequestException: { status: 400, error: 'invalid_request' },
  InvalidScopeException: { status: 400, error: 'invalid_scope' },
  UnsupportedGrantTypeException: { status: 400, error: 'unsupported_grant_type' },
  InvalidClientMetadataException: { status: 400, error: 'invalid_client_metadata' },
  InvalidRedirectUriException: { status: 400, error: 'invalid_redirect_uri' },
  InternalServerException: { status: 500, error: 'server_error' },
} as const satisfies Record<string, { status: number; error: string }>;

export type OidcExceptionName = keyof typeof OIDC_EXCEPTIONS;

/** The modeled SSO portal exceptions and their HTTP status. */
export const PORTAL_EXCEPTIONS = {
  InvalidRequestException: 400,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  TooManyRequestsException: 429,
} as const satisfies Record<string, number>;

export type PortalExceptionName = keyof typeof PORTAL_EXCEPTIONS;

/** A JSON response (`Content-Type: application/json`, never cached: these carry secrets). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** `FooBarException` → `foo_bar`, the OAuth-style `error` value for exception names AWS does not model. */
function oauthErrorFor(name: string): string {
  const known = (OIDC_EXCEPTIONS as Record<string, { error: string } | undefined>)[name];
  if (known) return known.error;
  return name
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Default HTTP status of an exception name: the modeled one; 500 for `InternalServerException`, AWS's server
 * fault in every service even where a model omits it (the portal's does); else 400 (a client fault).
 */
export function defaultStatusFor(name: string, family: 'oidc' | 'portal'): number {
  const modeled =
    family === 'oidc'
      ? (OIDC_EXCEPTIONS as Record<string, { status: number } | undefined>)[name]?.status
      : (PORTAL_EXCEPTIONS as Record<string, number | undefined>)[name];
  return modeled ?? (name === 'InternalServerException' ? 500 : 400);
}

/** An SSO OIDC error, e.g. `oidcErrorResponse('AuthorizationPendingException', 'Authorization is still pending')`. */
export function oidcErrorResponse(
  name: OidcExceptionName | (string & {}),
  description: string,
  status: number = defaultStatusFor(name, 'oidc'),
): Response {
  return jsonResponse(
    status,
    { error: oauthErrorFor(name), error_description: description },
    { 'x-amzn-errortype': `${name}:${OIDC_ERROR_NAMESPACE}` },
  );
}

/** An SSO portal error, e.g. `portalErrorResponse('UnauthorizedException', 'Session token not found or invalid')`. */
export function portalErrorResponse(
  name: PortalExceptionName | (string & {}),
  message: string,
  status: number = defaultStatusFor(name, 'portal'),
): Response {
  return jsonResponse(status, { message, __type: `${PORTAL_TYPE_PREFIX}${name}` });
}

/** What Coral answers for a path it has no operation for. */
export function unknownOperationResponse(message: string): Response {
  return jsonResponse(
    404,
    { message, __type: 'com.amazon.coral.service#UnknownOperationException' },
    {
      'x-amzn-errortype':
        'UnknownOperationException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    },
  );
}
