import { classify, holdsSecret, isRecord } from './classifyError.ts';
import { describeType } from './describeType.ts';
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
  const { operation, signal, url } = init;
  const abortCheck = () => {
    if (signal?.aborted) throw abortError(operation, signal);
  };
  // A rejected fetch or body read: an abort when the signal fired, else the network.
  const networkError = (error: unknown) => {
    abortCheck();
    return new NetworkError(url, error);
  };
  abortCheck();

  const requestInit: RequestInit = { method: init.method, headers: init.headers, redirect: 'manual' };
  if (init.body !== undefined) requestInit.body = init.body;
  if (signal) requestInit.signal = signal;

  let response: Response;
  try {
    const callerFetch = init.fetch;
    // Looked up now, not at client creation, so polyfills and test doubles installed later are used.
    if (!callerFetch && typeof globalThis.fetch !== 'function') {
      throw new InvalidArgumentError(
        'config.fetch',
        'this runtime has no global fetch: pass a fetch function',
      );
    }
    // The caller's fetch is called as a plain function, never as `config.fetch(…)`: a browser's `window.fetch`
    // stored on an options object throws "Illegal invocation" when `this` is that object. The global one is
    // called on `globalThis`, so `this` is the global object.
    response = await (callerFetch ? callerFetch(url, requestInit) : globalThis.fetch(url, requestInit));
  } catch (error) {
    if (error instanceof DeviceLoginError) throw error;
    throw networkError(error);
  }
  // A fetch that ignores signals (an in-process one, say) must not outlive an abort.
  abortCheck();
  if (typeof response !== 'object' || response === null || typeof response.status !== 'number') {
    throw new InvalidArgumentError('config.fetch', 'must resolve to a Response');
  }

  const { status, headers } = response;
  const inTheWay = 'is a proxy or login page in the way?';
  // A protocol problem: the message says what came back (status, content-type), never quotes the body.
  const fail = (problem: string): never => {
    throw new ProtocolError(`${operation}: ${problem}`, { status, requestId: readRequestId(response, init) });
  };

  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    // A browser hides manual redirects as status 0 with no Location (`opaqueredirect`).
    fail(
      `redirect${status === 0 ? '' : ` (HTTP ${status})`}${redirectTarget(headers.get('location'), url)}. Not followed ` +
        `(it would re-send secrets): set \`endpoint\` to the final URL (${inTheWay}).`,
    );
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error);
  }
  // `undefined` for an empty body (JSON.parse never returns it); `json` false when the body is not JSON.
  let value: unknown;
  let json = true;
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      json = false;
    }
  }

  // An error status is classified whenever there is anything to classify: a JSON body, an AWS error type header,
  // or a status that carries meaning on its own (429, 5xx: gateways answer those with HTML pages). An empty body
  // is classified by status. Only a non-JSON 4xx without a type is a protocol problem (below): it comes from
  // something in the way, not from the service.
  if (
    (status < 200 || status >= 300) &&
    (json || headers.has('x-amzn-errortype') || status === 429 || (status >= 500 && status <= 599))
  ) {
    return errorAnswer(init, response, value);
  }
  if (!json) fail(`expected JSON, got ${describeContentType(headers)} (HTTP ${status}) — ${inTheWay}`);
  if (value === undefined) {
    if (init.allowEmpty) return { status, requestId: readRequestId(response, init), body: {} };
    fail(`expected a JSON body, got an empty one (HTTP ${status})`);
  }
  if (!isRecord(value)) fail(`expected a JSON object, got ${describeType(value)} (HTTP ${status})`);
  const body = value as Record<string, unknown>;
  // OAuth servers (GitHub, some proxies) answer device-flow errors with a 2xx; the AWS SDK would return `{}`.
  if (typeof body.error === 'string') return errorAnswer(init, response, body);
  return { status, requestId: readRequestId(response, init), body };
}

/** An OAuth / AWS error answer: a `ServiceError`, or `{ pending }` for a poll the server answered "not yet". */
function errorAnswer(init: SendRequestInit, response: Response, body: unknown): SendRequestResult {
  const { code, error } = classify(response.status, response.headers, body, {
    service: init.service,
    operation: init.operation,
    redact: init.secrets,
  });
  if (init.poll && (code === 'authorization_pending' || code === 'slow_down')) {
    return { status: response.status, requestId: undefined, body: {}, pending: code };
  }
  throw error();
}
