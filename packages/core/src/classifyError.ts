import { ServiceError, type ServiceErrorCode } from './errors.ts';

/** Response headers: a `Headers` object, or a plain record whose names are matched case-insensitively. */
export type HeadersLike = Headers | Readonly<Record<string, string | undefined>>;

export interface ClassifyErrorOptions {
  /**
   * Which API answered. It only changes the fallback for an untyped 401: `invalid_client` for SSO OIDC (a bad
   * or expired client secret), `unauthorized` for the portal API (a bad access token). Defaults to `'oidc'`.
   */
  service?: 'oidc' | 'portal' | undefined;
  /** Operation name put in the message (`CreateToken failed with …`). Defaults to none. */
  operation?: string | undefined;
  /** Epoch ms used to turn an HTTP-date `Retry-After` into seconds. Defaults to `Date.now()`. */
  now?: number | undefined;
  /**
   * Values to blank out of the server's text, in case it echoes them ("invalid device code XXXX"): the clients
   * pass the secrets of the request they sent. Defaults to none.
   */
  redact?: readonly string[] | undefined;
}

/**
 * The OAuth `error` values (RFC 6749 §5.2, RFC 8628 §3.5, RFC 7591 §3.2.2) that are also codes of ours, under the
 * same name, and whose AWS exception is the name in PascalCase plus `Exception` (`authorization_pending` ↔
 * `AuthorizationPendingException`). `server_error` is an OAuth value but not one of these exceptions.
 */
const OAUTH_ERRORS: readonly string[] = /* @__PURE__ */ (
  'authorization_pending slow_down expired_token access_denied invalid_grant invalid_client unauthorized_client ' +
  'invalid_request invalid_scope unsupported_grant_type invalid_client_metadata invalid_redirect_uri'
).split(' ');

let exceptionCodes: ReadonlyMap<string, ServiceErrorCode> | undefined;

/** An AWS exception name (SSO OIDC and portal models) to our code. */
function exceptionCode(name: string): ServiceErrorCode | undefined {
  // Built on first use (no work at import): `invalid_redirect_uri` → `InvalidRedirectUriException`, plus the
  // exceptions that are not OAuth errors.
  exceptionCodes ??= new Map<string, ServiceErrorCode>([
    ...OAUTH_ERRORS.map(
      (code) =>
        [
          `${code.replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase())}Exception`,
          code as ServiceErrorCode,
        ] as const,
    ),
    ['InvalidRequestRegionException', 'invalid_request'],
    ['InternalServerException', 'server_error'],
    ['UnauthorizedException', 'unauthorized'],
    ['ResourceNotFoundException', 'not_found'],
    ['TooManyRequestsException', 'throttled'],
    ['ThrottlingException', 'throttled'],
  ]);
  return exceptionCodes.get(name);
}

/** @internal An OAuth `error` value to our code. */
export function oauthCode(error: string | undefined): ServiceErrorCode | undefined {
  if (error === undefined) return undefined;
  // RFC 6749 §4.1.2.1: "temporarily unable to handle the request": the same retry-later meaning as a 503.
  if (error === 'server_error' || error === 'temporarily_unavailable') return 'server_error';
  return OAUTH_ERRORS.includes(error) ? (error as ServiceErrorCode) : undefined;
}

/** Exception names are identifiers; anything else (an HTML snippet, a sentence) is not one and is ignored. */
const EXCEPTION_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function headerOf(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return ownValue(headers as Readonly<Record<string, string | undefined>>, name) as string | undefined;
}

/** The value of the own key whose lower case is `lowerCaseName` (the first such key). */
function ownValue(record: Readonly<Record<string, unknown>>, lowerCaseName: string): unknown {
  for (const key in record) {
    if (Object.hasOwn(record, key) && key.toLowerCase() === lowerCaseName) return record[key];
  }
  return undefined;
}

/** @internal A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `text` contains `secret` (an empty secret is no secret). */
export function holdsSecret(text: string, secret: string): boolean {
  return secret !== '' && text.includes(secret);
}

/** A sanitised exception name, unless it holds a secret we sent: then it is an echo, not a name. */
function exceptionName(raw: unknown, redact: readonly string[]): string | undefined {
  const name = sanitizeExceptionName(raw);
  if (name === undefined) return undefined;
  for (const secret of redact) if (holdsSecret(name, secret)) return undefined;
  return name;
}

/**
 * The SDK's `sanitizeErrorCode`: cut at the first `,`, then at the first `:`, then keep what follows `#`.
 * `AuthorizationPendingException:http://internal.amazon.com/coral/…` → `AuthorizationPendingException`;
 * `com.amazonaws.switchboard.portal#UnauthorizedException` → `UnauthorizedException`.
 */
function sanitizeExceptionName(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  let value = String(raw);
  if (value.includes(',')) value = value.split(',')[0] ?? '';
  if (value.includes(':')) value = value.split(':')[0] ?? '';
  if (value.includes('#')) value = value.split('#')[1] ?? '';
  value = value.trim();
  return EXCEPTION_NAME.test(value) ? value : undefined;
}

/**
 * Server text for messages: secrets the server echoed replaced, control characters removed (no log injection),
 * length capped.
 */
function cleanText(value: unknown, max: number, redact: readonly string[] = []): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value;
  for (const secret of redact) if (holdsSecret(text, secret)) text = text.split(secret).join('[redacted]');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `Retry-After` as seconds: delta-seconds, or an HTTP-date turned into seconds from `now`. */
function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name; `Date.parse` alone would also
  // accept junk such as "-5" (the year -5).
  if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function codeFromStatus(status: number, service: 'oidc' | 'portal'): ServiceErrorCode {
  if (status === 401) return service === 'portal' ? 'unauthorized' : 'invalid_client';
  // A bare 403 is deliberately not `access_denied`: in the device flow that code means "the user declined", while
  // an untyped 403 almost always comes from a WAF, CDN or proxy in front of the service (PROTOCOL §3.3 case P).
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status >= 500 && status <= 599) return 'server_error';
  return 'unknown_error';
}

/**
 * Turns an error response (any status, or a 2xx whose body is an OAuth error) into a {@link ServiceError}.
 * Pure: no I/O, and the clock only through `options.now`.
 *
 * The exception name comes from the first of: header `x-amzn-ErrorType` (name matched case-insensitively), body
 * key `code` (matched case-insensitively), body `__type`, sanitised like the AWS SDK does. Unlike the SDK, the
 * code then falls back to the OAuth `error` member (so a bare `{"error":"authorization_pending"}` still polls)
 * and finally to the HTTP status: 401 → `invalid_client` (OIDC) / `unauthorized` (portal), 404 → `not_found`,
 * 429 → `throttled`, 5xx → `server_error`, anything else (including a bare 403) → `unknown_error`.
 *
 * Only the OAuth/AWS error members are kept (`error`, `error_description` or portal `message`, `reason`), never
 * the body itself, so nothing the server echoed back can leak through the error.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/CommonErrors.html
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export function classifyError(
  status: number,
  headers: HeadersLike,
  body: unknown,
  options: ClassifyErrorOptions = {},
): ServiceError {
  return classify(status, headers, body, options).error();
}

/**
 * @internal What {@link classifyError} reads from an answer, with the error built only on demand: a poll answered
 * `authorization_pending` needs only the `code`.
 */
export function classify(status: number, headers: HeadersLike, body: unknown, options: ClassifyErrorOptions) {
  const record: Readonly<Record<string, unknown>> = isRecord(body) ? body : {};
  // An unusable value at one place falls through to the next, where the SDK would give up with no name.
  const redact = options.redact ?? [];
  const exception =
    exceptionName(headerOf(headers, 'x-amzn-errortype'), redact) ??
    exceptionName(ownValue(record, 'code'), redact) ??
    exceptionName(record.__type, redact);
  const error = cleanText(record.error, 100, redact);
  // The OAuth `error` member counts only when the exception name says nothing we know.
  const code =
    (exception === undefined ? undefined : exceptionCode(exception)) ??
    oauthCode(error) ??
    codeFromStatus(status, options.service ?? 'oidc');
  return {
    code,
    error: () =>
      new ServiceError({
        code,
        status,
        exception,
        error,
        errorDescription:
          cleanText(record.error_description, 500, redact) ??
          cleanText(record.message, 500, redact) ??
          cleanText(record.Message, 500, redact),
        reason: cleanText(record.reason, 100, redact),
        requestId: cleanText(
          headerOf(headers, 'x-amzn-requestid') ?? headerOf(headers, 'x-request-id'),
          100,
          redact,
        ),
        retryAfter: parseRetryAfter(headerOf(headers, 'retry-after'), options.now ?? Date.now()),
        operation: options.operation,
      }),
  };
}
