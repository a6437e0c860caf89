/**
 * Errors the proxy produces itself, shaped like AWS's so every client reads them the way it reads AWS errors:
 * status, `x-amzn-ErrorType` (which the AWS SDK and our client use to name the error), and a JSON body with the
 * OAuth `error` / `error_description` pair (SSO OIDC) plus `message` (what the portal API and the AWS SDK show).
 * Descriptions never contain request bodies, tokens or the bearer header.
 */

/** Why the proxy answered by itself instead of forwarding. */
export type SsoProxyErrorReason =
  /** The path is not one of the proxy's routes (404). */
  | 'unknown_route'
  /** The region path segment is not in `regions` (403). */
  | 'region_not_allowed'
  /** The path asks for dual-stack hosts but `dualStack` is `false` (403). */
  | 'dual_stack_not_enabled'
  /** A cross-origin preflight from an origin not in `allowedOrigins` (403). */
  | 'origin_not_allowed'
  /** A browser request marked `Sec-Fetch-Site: cross-site` or `same-site` from an origin not in `allowedOrigins` (403). */
  | 'cross_site_request'
  /** The method does not match the route (405). */
  | 'method_not_allowed'
  /** The body is larger than `maxBodyBytes` (413). */
  | 'body_too_large'
  /** An SSO OIDC request whose `content-type` is not `application/json` (415). */
  | 'unsupported_media_type'
  /** An SSO OIDC request whose body is not a JSON object (400). */
  | 'invalid_json'
  /** The request body did not arrive within `timeoutMs` (408). */
  | 'client_timeout'
  /** A portal request without the `x-amz-sso_bearer_token` header (401). */
  | 'missing_bearer_token'
  /** `fetch` to AWS failed: DNS, TLS, connection refused (502). */
  | 'upstream_unreachable'
  /** The upstream answer is larger than `maxResponseBytes`; it is cut off, not passed on (502). */
  | 'upstream_too_large'
  /** AWS answered with a redirect, which the proxy never follows (502). */
  | 'upstream_redirect'
  /** The `upstream` option produced an unusable URL (500). */
  | 'upstream_misconfigured'
  /** AWS did not answer within `timeoutMs` (504). */
  | 'upstream_timeout'
  /** The caller went away before AWS answered (the response is never read). */
  | 'client_aborted';

interface ErrorShape {
  readonly status: number;
  /** Sent as `x-amzn-ErrorType`. */
  readonly exception: string;
  /** OAuth-style `error` code. */
  readonly error: 'invalid_request' | 'unauthorized' | 'server_error';
}

const shapes: Record<SsoProxyErrorReason, ErrorShape> = {
  // AWS's own answer to an unknown restJson route is a 404 UnknownOperationException.
  unknown_route: { status: 404, exception: 'UnknownOperationException', error: 'invalid_request' },
  region_not_allowed: { status: 403, exception: 'ForbiddenException', error: 'invalid_request' },
  dual_stack_not_enabled: { status: 403, exception: 'ForbiddenException', error: 'invalid_request' },
  origin_not_allowed: { status: 403, exception: 'ForbiddenException', error: 'invalid_request' },
  cross_site_request: { status: 403, exception: 'ForbiddenException', error: 'invalid_request' },
  method_not_allowed: { status: 405, exception: 'MethodNotAllowedException', error: 'invalid_request' },
  body_too_large: { status: 413, exception: 'RequestEntityTooLargeException', error: 'invalid_request' },
  unsupported_media_type: {
    status: 415,
    exception: 'UnsupportedMediaTypeException',
    error: 'invalid_request',
  },
  invalid_json: { status: 400, exception: 'InvalidRequestException', error: 'invalid_request' },
  client_timeout: { status: 408, exception: 'RequestTimeoutException', error: 'invalid_request' },
  missing_bearer_token: { status: 401, exception: 'UnauthorizedException', error: 'unauthorized' },
  upstream_unreachable: { status: 502, exception: 'BadGatewayException', error: 'server_error' },
  upstream_redirect: { status: 502, exception: 'BadGatewayException', error: 'server_error' },
  upstream_too_large: { status: 502, exception: 'BadGatewayException', error: 'server_error' },
  upstream_misconfigured: { status: 500, exception: 'InternalServerException', error: 'server_error' },
  upstream_timeout: { status: 504, exception: 'GatewayTimeoutException', error: 'server_error' },
  client_aborted: { status: 502, exception: 'BadGatewayException', error: 'server_error' },
};

/** Status and `x-amzn-ErrorType` for a reason. */
export function ssoProxyErrorShape(reason: SsoProxyErrorReason): ErrorShape {
  return shapes[reason];
}

/** Headers every proxy answer carries: nothing here may be cached by the browser or a CDN. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
};

/**
 * Headers every proxy answer with a body carries: it is served on the app's own origin, so whatever AWS (or a load
 * balancer in front of it) answers must stay data: never sniffed as HTML, never run as a page, never framed.
 */
export const INERT_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
};

/** Builds the AWS-shaped error response for `reason`. `description` must say what to fix and hold no secret. */
export function ssoProxyErrorResponse(
  reason: SsoProxyErrorReason,
  description: string,
  extraHeaders?: Readonly<Record<string, string>>,
): Response {
  const shape = shapes[reason];
  const text = `SSO proxy: ${description}`;
  return new Response(JSON.stringify({ error: shape.error, error_description: text, message: text }), {
    status: shape.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': shape.exception,
      ...INERT_HEADERS,
      ...NO_STORE_HEADERS,
      ...extraHeaders,
    },
  });
}
