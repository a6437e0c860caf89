/**
 * One error module for the whole kit (model: oauth4webapi's `ResponseBodyError` / `OperationProcessingError`).
 *
 * Every error the kit throws is a {@link DeviceLoginError} with a string `code`. Subclasses add the fields that
 * belong to where the error came from. No error ever carries a secret (client secret, device code, access or
 * refresh token, role credentials) in its message or in its enumerable fields: server bodies are reduced to the
 * OAuth `error` / `error_description` members before they are stored.
 */

/** Codes for OAuth / AWS service errors, normalised to RFC 6749 / RFC 8628 names where one exists. */
export type ServiceErrorCode =
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'access_denied'
  | 'invalid_grant'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'invalid_request'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri'
  | 'server_error'
  | 'throttled'
  | 'unauthorized'
  | 'not_found'
  | 'unknown_error';

/** Every code a {@link DeviceLoginError} can carry. */
export type DeviceLoginErrorCode =
  | ServiceErrorCode
  /** The caller passed something invalid (an option, an input member). The message says what to fix. */
  | 'invalid_argument'
  /** `fetch` itself failed: offline, DNS, TLS, or a browser blocking a cross-origin call (CORS). */
  | 'network_error'
  /** A request took longer than its timeout. */
  | 'timeout'
  /** The caller aborted the operation through an `AbortSignal`, `cancel()` or `dispose()`. */
  | 'aborted'
  /** The server answered with something that is not what the protocol allows (non-JSON, missing members…). */
  | 'invalid_response'
  /** A URL from the server is not http(s) and was refused. */
  | 'unsafe_url'
  /** No session: sign in first. */
  | 'not_signed_in'
  /** The session ended (refresh token rejected, session expired on the server): sign in again. */
  | 'session_expired'
  /** The configured storage failed to read or write. */
  | 'storage_error';

/** Base class of every error thrown by the kit. */
export class DeviceLoginError extends Error {
  // Fields are `declare`d and set in the constructor: no class-field code in bundles.
  declare readonly code: DeviceLoginErrorCode;

  constructor(code: DeviceLoginErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // A literal, not `new.target.name`: minifiers rename classes, and `error.name` would read "l" in an app.
    this.name = 'DeviceLoginError';
    this.code = code;
  }
}

/** A caller mistake: a missing, mistyped or contradictory argument. Thrown before any request is made. */
export class InvalidArgumentError extends DeviceLoginError {
  /** Dotted path of the offending argument, e.g. `input.deviceCode`. */
  declare readonly argument: string;

  constructor(argument: string, message: string) {
    super('invalid_argument', `${argument}: ${message}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
  }
}

/** Fields that describe an HTTP exchange, shared by service and protocol errors. */
export interface ResponseInfo {
  /** HTTP status code. */
  readonly status: number;
  /** `x-amzn-RequestId` (AWS) or `x-request-id`, when the server sent one. Quote it to AWS support. */
  readonly requestId?: string | undefined;
}

/** The server answered with an error (a non-2xx status, or an OAuth error body). */
export class ServiceError extends DeviceLoginError implements ResponseInfo {
  declare readonly code: ServiceErrorCode;
  /** AWS exception name (`AuthorizationPendingException`…), when the server said one. */
  declare readonly exception: string | undefined;
  /** The OAuth `error` member, as sent. */
  declare readonly error: string | undefined;
  /** The OAuth `error_description` member (or AWS portal `message`), as sent. */
  declare readonly errorDescription: string | undefined;
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  /** Seconds the server asked us to wait (`Retry-After`), when it did. */
  declare readonly retryAfter: number | undefined;
  /** AWS `reason` member (e.g. `KMS_AccessDeniedException`), when present. */
  declare readonly reason: string | undefined;
  /** The operation that failed (`CreateToken`, `ListAccounts`…), when known. */
  declare readonly operation: string | undefined;

  constructor(init: {
    code: ServiceErrorCode;
    status: number;
    exception?: string | undefined;
    error?: string | undefined;
    errorDescription?: string | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    reason?: string | undefined;
    operation?: string | undefined;
  }) {
    const what = init.exception ?? init.error ?? init.code;
    const where = init.operation ? `${init.operation} failed` : 'Request failed';
    const detail = init.errorDescription ? `: ${init.errorDescription}` : '';
    super(init.code, `${where} with ${what} (HTTP ${init.status})${detail}`);
    this.name = 'ServiceError';
    // Only these members are copied: `init` is never spread onto the error.
    for (const key of SERVICE_ERROR_FIELDS) (this as Record<string, unknown>)[key] = init[key];
  }

  /** True for faults worth retrying with backoff: 5xx, 429 and AWS throttling. */
  get transient(): boolean {
    return this.code === 'server_error' || this.code === 'throttled';
  }
}

const SERVICE_ERROR_FIELDS = [
  'exception',
  'error',
  'errorDescription',
  'status',
  'requestId',
  'retryAfter',
  'reason',
  'operation',
] as const;

/** `fetch` rejected: the request never got an HTTP answer. */
export class NetworkError extends DeviceLoginError {
  /**
   * @param hint What to do about it. Defaults to the AWS advice (IAM Identity Center sends no CORS headers, so
   *   browsers need a same-origin proxy set as `endpoint`).
   */
  constructor(url: string, cause: unknown, hint?: string) {
    super(
      'network_error',
      `Could not reach ${safeOrigin(url)} (offline, DNS, TLS, or a browser blocking a cross-origin call). ${hint ?? AWS_NETWORK_HINT}`,
      { cause },
    );
    this.name = 'NetworkError';
  }
}

const AWS_NETWORK_HINT = 'AWS sends no CORS headers: in a browser, set `endpoint` to a same-origin proxy.';

/** The server's answer broke the protocol: not JSON, or a member missing or of the wrong type. */
export class ProtocolError extends DeviceLoginError implements ResponseInfo {
  declare readonly status: number;
  declare readonly requestId: string | undefined;

  constructor(
    message: string,
    info: { status: number; requestId?: string | undefined; code?: 'invalid_response' | 'unsafe_url' },
  ) {
    super(info.code ?? 'invalid_response', message);
    this.name = 'ProtocolError';
    this.status = info.status;
    this.requestId = info.requestId;
  }
}

/** Reduces a URL to its origin for messages, so no query string (which may hold a code) is ever printed. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the server';
  }
}

/** True for errors that a retry with backoff may fix: network failures, timeouts, 5xx and 429. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof ServiceError) return error.transient;
  if (error instanceof DeviceLoginError) return error.code === 'network_error' || error.code === 'timeout';
  return false;
}
