import { classify, classifyError, holdsSecret } from './classifyError.ts';
import { DeviceLoginError, InvalidArgumentError, NetworkError, ProtocolError, safeOrigin } from './errors.ts';
import type { FetchLike } from './types.ts';

export interface SendRequestInit {
  /** The caller's `fetch`; `globalThis.fetch` is looked up at call time when absent. */
  fetch: FetchLike | undefined;
  /** Which API, for error classification. */
  service: 'oidc' | 'portal';
  /** Operation name for messages (`CreateToken`). */
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** JSON text. Absent for GETs and for Logout (an empty POST). */
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Accept an empty 2xx body (Logout answers with nothing). Defaults to `false`. */
  allowEmpty?: boolean | undefined;
  /** The request's secrets, blanked out of error text should the server echo them. Defaults to none. */
  secrets?: readonly string[] | undefined;
  /**
   * A device-code poll: an `authorization_pending` or `slow_down` answer resolves as `{ pending }` (no error is
   * built for the answer nearly every poll gets). Defaults to `false`.
   */
  poll?: boolean | undefined;
}

/** A successful exchange: a 2xx whose body is a JSON object (or empty, when allowed). */
export interface SendRequestResult {
  status: number;
  requestId: string | undefined;
  body: Readonly<Record<string, unknown>>;
  /** Only with `init.poll`: the server said "not yet" (and `body` is empty). */
  pending?: 'authorization_pending' | 'slow_down' | undefined;
}

function abortError(operation: string, signal: AbortSignal): DeviceLoginError {
  const reason: unknown = signal.reason;
  // `AbortSignal.timeout()` aborts with a DOMException named TimeoutError: that is a timeout, worth a retry.
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new DeviceLoginError('timeout', `${operation} timed out`, { cause: reason });
  }
  return new DeviceLoginError('aborted', `${operation} was aborted`, { cause: reason });
}

/** The media type for messages (`text/html`), never anything from the body. */
function describeContentType(headers: Headers): string {
  const mediaType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return mediaType && /^[\w.+-]+\/[\w.+-]+$/.test(mediaType)
    ? mediaType
    : 'a body without a JSON content-type';
}

type Parsed = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'other' };

function parseBody(text: string): Parsed {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'other' };
  }
}

/** " to https://host" for a redirect message: the origin only, as a query string may carry a code. */
function redirectTarget(location: string | null, base: string): string {
  if (!location) return '';
  try {
    return ` to ${safeOrigin(new URL(location, base).href)}`;
  } catch {
    return '';
  }
}

/**
 * `x-amzn-RequestId` when it looks like one (an id, not text), and holds none of the request's secrets. Read only
 * where it is used: the answer nearly every poll gets ("not yet") needs none.
 */
function readRequestId(response: Response, init: SendRequestInit): string | undefined {
  const value = response.headers.get('x-amzn-requestid')?.trim();
  if (value === undefined || !/^[\w.:/+=-]{1,200}$/.test(value)) return undefined;
  for (const secret of init.secrets ?? []) if (holdsSecret(value, secret)) return undefined;
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sends one request and returns the JSON object of a 2xx answer. Every other outcome is a coded error:
 * - the signal aborts → `DeviceLoginError` coded `aborted` (or `timeout` for `AbortSignal.timeout()`);
 * - `fetch` rejects → {@link NetworkError} (offline, DNS, TLS, CORS), which explains the same-origin proxy;
 * - an error status, or a 2xx whose body is an OAuth error (`{"error":"authorization_pending"}`, as GitHub
 *   sends) → `ServiceError` from {@link classifyError};
 * - a redirect, a non-JSON body or a non-object JSON → {@link ProtocolError}, whose message says what came back
 *   (status, content-type) but never quotes the body.
 *
 * Redirects are not followed (`redirect: 'manual'`): a 307/308 would re-send the client secret or a token to
 * wherever the `Location` points. AWS endpoints never redirect.
 */
export async function sendRequest(init: SendRequestInit): Promise<SendRequestResult> {
  const { operation, signal } = init;
  if (signal?.aborted) throw abortError(operation, signal);

  const requestInit: RequestInit = { method: init.method, headers: init.headers, redirect: 'manual' };
  if (init.body !== undefined) requestInit.body = init.body;
  if (signal) requestInit.signal = signal;

  let response: Response;
  try {
    const callerFetch = init.fetch;
    if (callerFetch) {
      // Called as a plain function, never as `config.fetch(…)`: a browser's `window.fetch` stored on an options
      // object throws "Illegal invocation" when `this` is that object.
      response = await callerFetch(init.url, requestInit);
    } else {
      // Looked up now, not at client creation, so polyfills and test doubles installed later are used; called on
      // `globalThis` so `this` is the global object.
      if (typeof globalThis.fetch !== 'function') {
        throw new InvalidArgumentError(
          'config.fetch',
          'this runtime has no global fetch: pass a fetch function',
        );
      }
      response = await globalThis.fetch(init.url, requestInit);
    }
  } catch (error) {
    if (error instanceof DeviceLoginError) throw error;
    if (signal?.aborted) throw abortError(operation, signal);
    throw new NetworkError(init.url, error);
  }
  // A fetch that ignores signals (an in-process one, say) must not outlive an abort.
  if (signal?.aborted) throw abortError(operation, signal);
  if (typeof response !== 'object' || response === null || typeof response.status !== 'number') {
    throw new InvalidArgumentError('config.fetch', 'must resolve to a Response');
  }

  const status = response.status;

  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    const where = redirectTarget(response.headers.get('location'), init.url);
    throw new ProtocolError(
      // A browser hides manual redirects as status 0 with no Location (`opaqueredirect`).
      `${operation}: the server answered with a redirect${status === 0 ? '' : ` (HTTP ${status})`}${where}. ` +
        'It is not followed (it would re-send secrets): set `endpoint` to the final URL (is a proxy or login page ' +
        'in the way?).',
      { status, requestId: readRequestId(response, init) },
    );
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortError(operation, signal);
    throw new NetworkError(init.url, error);
  }
  const parsed = parseBody(text);

  // An error status is classified whenever there is anything to classify: a JSON body, an AWS error type header,
  // or a status that carries meaning on its own (429, 5xx: gateways answer those with HTML pages). An empty body
  // is classified by status. Only a non-JSON 4xx without a type is a protocol problem (below): it comes from
  // something in the way, not from the service.
  if (
    (status < 200 || status >= 300) &&
    (parsed.kind !== 'other' ||
      response.headers.has('x-amzn-errortype') ||
      status === 429 ||
      (status >= 500 && status <= 599))
  ) {
    return errorAnswer(init, response, parsed.kind === 'json' ? parsed.value : undefined);
  }
  if (parsed.kind === 'other') {
    throw new ProtocolError(
      `${operation}: expected JSON, got ${describeContentType(response.headers)} (HTTP ${status}) — is a proxy ` +
        'or login page in the way?',
      { status, requestId: readRequestId(response, init) },
    );
  }
  if (parsed.kind === 'empty') {
    if (init.allowEmpty) return { status, requestId: readRequestId(response, init), body: {} };
    throw new ProtocolError(`${operation}: expected a JSON body, got an empty one (HTTP ${status})`, {
      status,
      requestId: readRequestId(response, init),
    });
  }
  if (!isRecord(parsed.value)) {
    const got =
      parsed.value === null ? 'null' : Array.isArray(parsed.value) ? 'an array' : typeof parsed.value;
    throw new ProtocolError(`${operation}: expected a JSON object, got ${got} (HTTP ${status})`, {
      status,
      requestId: readRequestId(response, init),
    });
  }
  // OAuth servers (GitHub, some proxies) answer device-flow errors with a 2xx; the AWS SDK would return `{}`.
  if (typeof parsed.value.error === 'string') return errorAnswer(init, response, parsed.value);
  return { status, requestId: readRequestId(response, init), body: parsed.value };
}

/** An OAuth / AWS error answer: a `ServiceError`, or `{ pending }` for a poll the server answered "not yet". */
function errorAnswer(init: SendRequestInit, response: Response, body: unknown): SendRequestResult {
  const options = { service: init.service, operation: init.operation, redact: init.secrets };
  if (init.poll) {
    const { code } = classify(response.status, response.headers, body, options);
    if (code === 'authorization_pending' || code === 'slow_down') {
      return { status: response.status, requestId: undefined, body: {}, pending: code };
    }
  }
  throw classifyError(response.status, response.headers, body, options);
}
