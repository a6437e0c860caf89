/**
 * Turns what can go wrong in an OAuth exchange made with oauth4webapi into the kit's errors
 * (`ServiceError`, `ProtocolError`, `NetworkError`, `aborted` / `timeout`).
 *
 * oauth4webapi's errors keep the parsed response body as `cause` (token responses included), so they are never
 * passed on as a cause: only the OAuth `error` / `error_description` members and the HTTP facts are kept.
 */
import {
  HTTP_REQUEST_FORBIDDEN,
  OperationProcessingError,
  REQUEST_PROTOCOL_FORBIDDEN,
  RESPONSE_IS_NOT_CONFORM,
  RESPONSE_IS_NOT_JSON,
  ResponseBodyError,
  UnsupportedOperationError,
  WWWAuthenticateChallengeError,
} from 'oauth4webapi';
import { isRecord, oauthCode } from './classifyError.ts';
import {
  DeviceLoginError,
  NetworkError,
  ProtocolError,
  ServiceError,
  type ServiceErrorCode,
} from './errors.ts';
import type { FetchLike } from './types.ts';

/** What to tell people when `fetch` to an OpenID provider fails outright. */
const OIDC_NETWORK_HINT =
  'Check the issuer URL and the connection; in a browser, the provider must allow this origin (CORS), or set ' +
  '`endpoints` to a same-origin proxy.';

/**
 * Wraps `fetch` so that a rejected request becomes a kit error right away: `aborted` or `timeout` when the
 * signal fired, {@link NetworkError} otherwise. oauth4webapi then passes it through untouched.
 */
export function guardedFetch(getFetch: () => FetchLike): FetchLike {
  return async (input, init) => {
    try {
      return await getFetch()(input, init);
    } catch (cause) {
      const abort = abortError(init?.signal ?? undefined);
      if (abort) throw abort;
      throw new NetworkError(
        // A Request has its URL in `url`; a string or a URL object is its own.
        (input as Partial<Request>).url ?? String(input),
        cause,
        OIDC_NETWORK_HINT,
      );
    }
  };
}

/** The kit error for a fired signal, or undefined when it has not fired. */
export function abortError(signal: AbortSignal | undefined): DeviceLoginError | undefined {
  if (!signal?.aborted) return undefined;
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new DeviceLoginError('timeout', 'The request timed out.', { cause: reason });
  }
  return new DeviceLoginError('aborted', 'The operation was aborted.', { cause: reason });
}

/**
 * Maps anything thrown by an oauth4webapi request/process pair to a kit error.
 * @param operation Names the exchange in messages, e.g. `Device authorization`.
 */
export async function toDeviceLoginError(
  error: unknown,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<DeviceLoginError> {
  if (error instanceof DeviceLoginError) return error;
  const abort = abortError(signal);
  if (abort) return abort;

  if (error instanceof ResponseBodyError) {
    return serviceError(operation, error.status, responseOf(error), {
      error: error.error,
      errorDescription: error.error_description,
    });
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    // oauth4webapi stops at the WWW-Authenticate header before reading the body; the OAuth error is in either.
    const response = responseOf(error);
    const body = response ? await readErrorBody(response) : undefined;
    const challengeError = error.cause.find((challenge) => challenge.parameters.error)?.parameters;
    return serviceError(operation, error.status, response, {
      error: body?.error ?? challengeError?.error,
      errorDescription: body?.errorDescription ?? challengeError?.error_description,
    });
  }
  if (error instanceof OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined;
    switch (error.code) {
      case RESPONSE_IS_NOT_CONFORM:
      case RESPONSE_IS_NOT_JSON:
        if (response && (response.status < 200 || response.status > 299)) {
          if (response.status === 0 || (response.status >= 300 && response.status < 400)) {
            return new ProtocolError(
              `${operation} was answered with a redirect, which OAuth endpoints must not send: configure the ` +
                'final URL of the endpoint.',
              { status: response.status, requestId: requestIdOf(response) },
            );
          }
          return serviceError(operation, response.status, response, {});
        }
        break;
      case HTTP_REQUEST_FORBIDDEN:
      case REQUEST_PROTOCOL_FORBIDDEN:
        return new ProtocolError(`${operation}: ${error.message}.`, { status: 0, code: 'unsafe_url' });
    }
    return new ProtocolError(`${operation} returned an invalid response: ${error.message}.`, {
      status: response?.status ?? 200,
      requestId: response ? requestIdOf(response) : undefined,
    });
  }
  if (error instanceof UnsupportedOperationError) {
    return new ProtocolError(`${operation} returned a response the kit cannot use: ${error.message}.`, {
      status: 200,
    });
  }
  // Anything else is a bug or a caller mistake reported by oauth4webapi (a TypeError). Its message holds no secret.
  const message = error instanceof Error ? error.message : String(error);
  return new DeviceLoginError('invalid_argument', `${operation} could not be sent: ${message}`);
}

/** Maps an OAuth `error` value (RFC 6749 §5.2, RFC 8628 §3.5, RFC 7591 §3.2.2) to a kit code, else the status. */
export function serviceErrorCode(error: string | undefined, status: number): ServiceErrorCode {
  return (
    oauthCode(error) ??
    (status >= 500
      ? 'server_error'
      : status === 429
        ? 'throttled'
        : status === 401 || status === 403
          ? 'unauthorized'
          : status === 404
            ? 'not_found'
            : 'unknown_error')
  );
}

function serviceError(
  operation: string,
  status: number,
  response: Response | undefined,
  body: { error?: string | undefined; errorDescription?: string | undefined },
): ServiceError {
  return new ServiceError({
    code: serviceErrorCode(body.error, status),
    status,
    error: body.error,
    errorDescription: body.errorDescription,
    requestId: response ? requestIdOf(response) : undefined,
    retryAfter: response ? retryAfterOf(response) : undefined,
    operation,
  });
}

function responseOf(error: ResponseBodyError | WWWAuthenticateChallengeError): Response | undefined {
  const response: unknown = error.response;
  return response instanceof Response ? response : undefined;
}

async function readErrorBody(
  response: Response,
): Promise<{ error: string; errorDescription: string | undefined } | undefined> {
  try {
    const body: unknown = await response.clone().json();
    if (isRecord(body) && typeof body.error === 'string') {
      const description = body.error_description;
      return {
        error: body.error,
        errorDescription: typeof description === 'string' ? description : undefined,
      };
    }
  } catch {
    // not JSON: the status and the challenge are all there is
  }
  return undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-ms-request-id', 'x-okta-request-id', 'request-id'];

function requestIdOf(response: Response): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), when present and sane. */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
