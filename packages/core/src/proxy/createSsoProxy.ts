import { resolveSsoOidcEndpoint, resolveSsoPortalEndpoint } from '../endpoints.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { FetchLike } from '../types.ts';
import {
  INERT_HEADERS,
  NO_STORE_HEADERS,
  type SsoProxyErrorReason,
  ssoProxyErrorResponse,
  ssoProxyErrorShape,
} from './ssoProxyErrorResponse.ts';
import { matchSsoProxyPath, type SsoProxyRoute } from './ssoProxyRoutes.ts';

/** Base URLs (no trailing slash needed) that the proxy forwards to. */
export interface SsoUpstream {
  /** SSO OIDC base URL, e.g. `https://oidc.us-east-1.amazonaws.com`. */
  readonly oidc: string;
  /** SSO portal API base URL, e.g. `https://portal.sso.us-east-1.amazonaws.com`. */
  readonly portal: string;
}

/** What an `upstream` function is asked for: the allow-listed region and the host variant of this request. */
export interface SsoProxyTarget {
  readonly region: string;
  readonly fips: boolean;
  readonly dualStack: boolean;
}

/** Non-secret facts about a request the proxy refused or could not forward, for `onError`. */
export interface SsoProxyErrorInfo {
  readonly reason: SsoProxyErrorReason;
  /** The status the proxy answered with. */
  readonly status: number;
  /** The `x-amzn-ErrorType` the proxy sent. */
  readonly exception: string;
  /** The `error_description` the proxy sent (never contains a secret). */
  readonly message: string;
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** The region, once it passed the allow-list. */
  readonly region?: string | undefined;
  /** The AWS operation, once the route is known. */
  readonly operation?: SsoProxyRoute['operation'] | undefined;
  /** The `fetch` failure, for `upstream_unreachable`. It describes the connection, never the request body. */
  readonly cause?: unknown;
}

/** Options of {@link createSsoProxy}. */
export interface SsoProxyOptions {
  /**
   * IAM Identity Center regions the proxy may forward to, e.g. `['us-east-1']`. Requests for any other region get a
   * 403. `'*'` allows every well-formed region name (the host is still always an AWS domain); prefer a list.
   */
  regions: readonly string[] | '*';
  /**
   * The path prefix the handler is mounted at, e.g. `/aws`. Routes are `<basePath>/<region>/oidc/…` and
   * `<basePath>/<region>/portal/…`. Defaults to `''` (the root).
   */
  basePath?: string | undefined;
  /** Forward to the FIPS 140 AWS hosts (`oidc-fips.…`). Defaults to `false`. */
  fips?: boolean | undefined;
  /**
   * Forward to the dual-stack AWS hosts (`oidc.{region}.api.aws`). `true`: always. `'per-request'`: only for paths
   * with a `dualstack` segment (`<basePath>/<region>/dualstack/oidc/…`), so one proxy serves both kinds of IAM
   * Identity Center instance. Instances whose start URL is on `….app.aws` need dual-stack. Defaults to `false`.
   */
  dualStack?: boolean | 'per-request' | undefined;
  /**
   * Base URLs to forward to instead of AWS's public hosts: the emulator in tests, or VPC interface endpoints.
   * A function gets the allow-listed region and host variant of each request. Combining a fixed object with
   * `fips` or `dualStack` is refused, because they could not apply. Defaults to the AWS hosts of the region.
   */
  upstream?: SsoUpstream | ((target: SsoProxyTarget) => SsoUpstream) | undefined;
  /** `fetch` used to call AWS. Defaults to `globalThis.fetch`, looked up per request. */
  fetch?: FetchLike | undefined;
  /** Largest SSO OIDC request body accepted; larger ones get a 413 and are not forwarded. Defaults to 65536. */
  maxBodyBytes?: number | undefined;
  /**
   * Largest answer accepted from upstream; a larger one is cut off and answered with a 502. AWS's answers are a few
   * KiB; the cap is for a custom `upstream` (or something in front of it) that could otherwise make the proxy
   * buffer without end. Defaults to 1048576 (1 MiB).
   */
  maxResponseBytes?: number | undefined;
  /**
   * How long to wait for AWS (headers and body) before answering 504, and for the client's request body before
   * answering 408. Defaults to 30000 ms.
   */
  timeoutMs?: number | undefined;
  /**
   * Origins allowed to call the proxy cross-origin (`https://app.example`, exact). Their requests get
   * `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers: x-amzn-ErrorType, x-amzn-RequestId`, and
   * their preflights are answered. A browser request that says it is `cross-site` or `same-site`
   * (`Sec-Fetch-Site`) from any other origin is refused with a 403. Not needed when the app and the proxy share an
   * origin. Defaults to none.
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * Called when the proxy answers with an error of its own (not when it passes an AWS error through), with
   * non-secret facts only. The proxy never logs by itself. Errors thrown by the hook are ignored. Defaults to none.
   */
  onError?: ((info: SsoProxyErrorInfo) => void) | undefined;
}

/** The proxy: a Web `fetch` handler, plus the base path it was created with (used by `toNodeMiddleware`). */
export interface SsoProxyHandler {
  (request: Request): Promise<Response>;
  readonly basePath: string;
}

/** Response headers passed back from AWS; everything else (cookies, hop-by-hop, CDN headers) is dropped. */
const PASSED_BACK_HEADERS = ['content-type', 'x-amzn-errortype', 'x-amzn-requestid', 'retry-after'] as const;
const EXPOSED_HEADERS = 'x-amzn-ErrorType, x-amzn-RequestId, Retry-After';
const BEARER_HEADER = 'x-amz-sso_bearer_token';
// A preflight may ask for the headers an SDK adds (x-amz-user-agent, amz-sdk-*); they are allowed, then dropped.
const HEADER_LIST_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
/**
 * What a region path segment must look like before it is looked up: lowercase words joined by dashes, ending in a
 * number (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`). Dots, slashes, `%` or ports never get near a host name.
 */
const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Creates a same-origin proxy that lets a browser app reach AWS IAM Identity Center, whose SSO OIDC and portal
 * endpoints send no CORS headers (PROTOCOL §6). It forwards only the seven operations of the device flow and the
 * portal, only to AWS hosts of allow-listed regions, and only what AWS needs; it never follows redirects, never
 * caches and never logs. It runs on any runtime with Web `Request`/`Response`/`fetch` (Node 20+, Deno, Bun,
 * Cloudflare Workers, Vercel/Netlify edge functions).
 *
 * Routes (`<region>` must be in `regions`):
 * - `POST <basePath>/<region>/oidc/client/register`, `…/oidc/device_authorization`, `…/oidc/token`
 * - `GET <basePath>/<region>/portal/assignment/accounts`, `…/portal/assignment/roles`,
 *   `…/portal/federation/credentials`; `POST <basePath>/<region>/portal/logout`
 * - with `dualStack: 'per-request'`, the same under `<basePath>/<region>/dualstack/…`
 *
 * Point the clients at it on the page's origin: `endpoint: new URL('/aws/us-east-1/oidc', location.origin).href`
 * and the same with `/aws/us-east-1/portal`.
 *
 * @example
 * ```ts
 * import { createSsoProxy } from '@oidc-device-login/core/proxy';
 *
 * // A Worker, Deno, Bun or any runtime that serves a `fetch` handler:
 * export default { fetch: createSsoProxy({ regions: ['us-east-1'], basePath: '/aws' }) };
 * ```
 */
export function createSsoProxy(options: SsoProxyOptions): SsoProxyHandler {
  const config = resolveOptions(options);

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const origin = request.headers.get('origin');
    const cors = corsHeaders(config.allowedOrigins, origin);
    let region: string | undefined;
    let route: SsoProxyRoute | undefined;

    const fail = (
      reason: SsoProxyErrorReason,
      description: string,
      extra?: { headers?: Record<string, string>; cause?: unknown },
    ): Response => {
      const shape = ssoProxyErrorShape(reason);
      if (config.onError) {
        const info: SsoProxyErrorInfo = {
          reason,
          status: shape.status,
          exception: shape.exception,
          message: `SSO proxy: ${description}`,
          method,
          path,
          region,
          operation: route?.operation,
          ...(extra?.cause === undefined ? {} : { cause: extra.cause }),
        };
        try {
          config.onError(info);
        } catch {
          // A broken hook must not turn a clear error answer into a crash.
        }
      }
      return ssoProxyErrorResponse(reason, description, { ...cors, ...extra?.headers });
    };

    const match = matchSsoProxyPath(path, config.basePath);
    if (match.kind !== 'route') {
      const where =
        match.kind === 'outside_base_path'
          ? `the request path is not under this proxy's basePath "${config.basePath}"`
          : 'no such route';
      return fail('unknown_route', `${where}. ${ROUTE_HELP.replaceAll('<basePath>', config.basePath)}`);
    }
    route = match.route;

    if (!config.isAllowedRegion(match.region)) {
      const named = REGION_PATTERN.test(match.region)
        ? `Region "${match.region}"`
        : 'The region path segment';
      return fail(
        'region_not_allowed',
        `${named} is not allowed by this proxy. Allowed: ${config.regionsText}. ` +
          "Use the region of your IAM Identity Center instance, or add it to the proxy's `regions` option.",
      );
    }
    region = match.region;

    if (match.dualStack && config.dualStack === false) {
      return fail(
        'dual_stack_not_enabled',
        "this proxy does not forward to dual-stack hosts. Set the proxy's `dualStack` option to 'per-request' " +
          'or true, or remove the `dualstack` path segment.',
      );
    }

    // Defence in depth beside the JSON-only bodies: a browser that sends Fetch Metadata says whether another site
    // made the request; only allowed origins may. Requests without it (older browsers, CLIs, servers) go on.
    const site = request.headers.get('sec-fetch-site');
    const allowed = 'access-control-allow-origin' in cors;
    if (!allowed && (site === 'cross-site' || site === 'same-site')) {
      return fail('cross_site_request', notAllowed(origin));
    }
    if (method === 'OPTIONS' && config.allowedOrigins.size > 0) {
      return allowed ? preflight(request, route, cors) : fail('origin_not_allowed', notAllowed(origin));
    }
    if (method !== route.method) {
      return fail('method_not_allowed', `${route.operation} takes ${route.method}, not ${method}.`, {
        headers: { allow: route.method },
      });
    }

    const target: SsoProxyTarget = {
      region,
      fips: config.fips,
      dualStack: config.dualStack === true || match.dualStack,
    };
    let base: string;
    try {
      base = upstreamBase(config.upstream(target), route);
    } catch (error) {
      const why =
        error instanceof Error ? error.message.replace(/\.$/, '') : 'the `upstream` function failed';
      return fail('upstream_misconfigured', `${why}. Fix the proxy's \`upstream\` option.`);
    }

    const init: RequestInit = { method: route.method, headers: {}, redirect: 'manual' };
    let upstreamUrl = `${base}${route.path}`;

    switch (route.service) {
      case 'oidc': {
        const contentType = request.headers.get('content-type') ?? '';
        if (!/^application\/json\s*(;|$)/i.test(contentType)) {
          return fail(
            'unsupported_media_type',
            `${route.operation} needs a JSON body sent with "content-type: application/json".`,
          );
        }
        const body = await readClientBody(request, config.maxBodyBytes, config.timeoutMs);
        if (body === 'too_slow') {
          return fail(
            'client_timeout',
            `the request body did not arrive within ${config.timeoutMs} ms. Send the whole body at once.`,
          );
        }
        if (body === 'too_large') {
          return fail(
            'body_too_large',
            `the request body is larger than ${config.maxBodyBytes} bytes. SSO OIDC requests are small JSON ` +
              "objects; if yours is legitimately larger, raise the proxy's `maxBodyBytes` option.",
          );
        }
        if (!isJsonObject(body)) {
          return fail('invalid_json', `${route.operation} needs a body that is a JSON object.`);
        }
        init.headers = { 'content-type': 'application/json' };
        init.body = body;
        break;
      }
      case 'portal': {
        const token = request.headers.get(BEARER_HEADER);
        if (!token) {
          return fail(
            'missing_bearer_token',
            `${route.operation} needs the access token in the "${BEARER_HEADER}" header, and the request ` +
              'reached the proxy without it. If a reverse proxy sits in front (nginx drops headers with ' +
              'underscores), enable `underscores_in_headers on;`.',
          );
        }
        init.headers = { [BEARER_HEADER]: token };
        // Logout has an empty body on the wire (PROTOCOL §4); the GETs have none. The client's body is ignored.
        if (route.method === 'POST') init.body = '';
        const query = new URLSearchParams();
        for (const name of route.query) {
          const value = url.searchParams.get(name);
          if (value !== null) query.set(name, value);
        }
        const search = query.toString();
        if (search) upstreamUrl += `?${search}`;
        break;
      }
      default:
        route.service satisfies never;
    }

    return forward(upstreamUrl, init, request.signal, config, cors, fail);
  };

  return Object.assign(handler, { basePath: config.basePath });
}

const ROUTE_HELP =
  'The proxy serves POST <basePath>/<region>/oidc/{client/register,device_authorization,token}, ' +
  'GET <basePath>/<region>/portal/{assignment/accounts,assignment/roles,federation/credentials} and ' +
  'POST <basePath>/<region>/portal/logout. Set the clients\' `endpoint` to "<basePath>/<region>/oidc" and ' +
  '"<basePath>/<region>/portal".';

type Fail = (
  reason: SsoProxyErrorReason,
  description: string,
  extra?: { headers?: Record<string, string>; cause?: unknown },
) => Response;

interface ResolvedOptions {
  readonly basePath: string;
  readonly isAllowedRegion: (region: string) => boolean;
  readonly regionsText: string;
  readonly fips: boolean;
  readonly dualStack: boolean | 'per-request';
  readonly upstream: (target: SsoProxyTarget) => SsoUpstream;
  readonly fetch: FetchLike;
  readonly maxBodyBytes: number;
  readonly maxResponseBytes: number;
  readonly timeoutMs: number;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly onError: ((info: SsoProxyErrorInfo) => void) | undefined;
}

function resolveOptions(options: SsoProxyOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      'pass an object with at least `regions`, e.g. { regions: ["us-east-1"] }.',
    );
  }
  const { regions } = options;
  let isAllowedRegion: (region: string) => boolean;
  let regionsText: string;
  if (regions === '*') {
    isAllowedRegion = (region) => REGION_PATTERN.test(region) && awsHosts(region, false, false) !== undefined;
    regionsText = 'any region of a known AWS partition';
  } else {
    if (!Array.isArray(regions) || regions.length === 0) {
      throw new InvalidArgumentError(
        'options.regions',
        'list the IAM Identity Center regions the proxy may forward to, e.g. ["us-east-1"].',
      );
    }
    for (const region of regions) {
      if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
        throw new InvalidArgumentError(
          'options.regions',
          `${JSON.stringify(region)} is not a region name; use names like "us-east-1" or "eu-west-1".`,
        );
      }
      if (options.upstream === undefined && awsHosts(region, false, false) === undefined) {
        throw new InvalidArgumentError(
          'options.regions',
          `${JSON.stringify(region)} is in no AWS partition the kit knows; pass \`upstream\` to name its hosts.`,
        );
      }
    }
    const allowed = new Set(regions);
    isAllowedRegion = (region) => allowed.has(region);
    regionsText = [...allowed].join(', ');
  }

  const fips = options.fips ?? false;
  const dualStack = options.dualStack ?? false;
  if (typeof fips !== 'boolean') throw new InvalidArgumentError('options.fips', 'must be a boolean.');
  if (typeof dualStack !== 'boolean' && dualStack !== 'per-request') {
    throw new InvalidArgumentError('options.dualStack', "must be true, false or 'per-request'.");
  }

  let upstream: (target: SsoProxyTarget) => SsoUpstream;
  const configured = options.upstream;
  if (configured === undefined) {
    upstream = (target) => {
      const hosts = awsHosts(target.region, target.fips, target.dualStack);
      // Unreachable for allow-listed regions (checked above); refused rather than guessed if it ever happens.
      if (hosts === undefined) throw new Error(`no AWS hosts are known for the region ${target.region}`);
      return hosts;
    };
  } else if (typeof configured === 'function') {
    upstream = configured;
  } else {
    if (fips || dualStack !== false) {
      // Same rule as the AWS SDK: "FIPS and custom endpoint are not supported".
      throw new InvalidArgumentError(
        'options.upstream',
        'a fixed upstream cannot honour `fips` or `dualStack`; pass upstream as a function of ' +
          '{ region, fips, dualStack } instead, or drop those options.',
      );
    }
    for (const service of ['oidc', 'portal'] as const) {
      checkBaseUrl(configured[service], `options.upstream.${service}`);
    }
    upstream = () => configured;
  }

  return {
    basePath: normaliseBasePath(options.basePath),
    isAllowedRegion,
    regionsText,
    fips,
    dualStack,
    upstream,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'options.maxBodyBytes'),
    maxResponseBytes: positiveInteger(
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
      'options.maxResponseBytes',
    ),
    timeoutMs: positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'options.timeoutMs'),
    allowedOrigins: resolveAllowedOrigins(options.allowedOrigins),
    onError: options.onError,
  };
}

/** The AWS SSO OIDC and portal base URLs of a region (endpoints.ts, per partition), or undefined if none. */
function awsHosts(region: string, fips: boolean, dualStack: boolean): SsoUpstream | undefined {
  try {
    return {
      oidc: resolveSsoOidcEndpoint({ region, fips, dualStack }),
      portal: resolveSsoPortalEndpoint({ region, fips, dualStack }),
    };
  } catch {
    return undefined;
  }
}

/** `'/aws/'` → `'/aws'`; `'/'` → `''`. Refuses anything that could not be matched literally against a pathname. */
export function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined) return '';
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/').slice(1);
  if (
    !trimmed.startsWith('/') ||
    segments.some((s) => s === '' || s === '.' || s === '..' || !/^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/.test(s))
  ) {
    throw new InvalidArgumentError(
      'options.basePath',
      `${JSON.stringify(basePath)} is not a plain path prefix; use something like "/aws".`,
    );
  }
  return trimmed;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

function resolveAllowedOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  if (origins === undefined) return new Set();
  if (!Array.isArray(origins)) {
    throw new InvalidArgumentError(
      'options.allowedOrigins',
      'must be an array of origins like "https://app.example".',
    );
  }
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new InvalidArgumentError(
        'options.allowedOrigins',
        `${JSON.stringify(origin)} is not an origin; write scheme, host and port only, e.g. "https://app.example" ` +
          '(no path, no trailing slash, no wildcard).',
      );
    }
  }
  return new Set(origins);
}

function checkBaseUrl(value: unknown, name: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash || parsed.username) {
    throw new InvalidArgumentError(
      name,
      'must be an absolute http(s) base URL without query, fragment or credentials, e.g. "https://oidc.us-east-1.amazonaws.com".',
    );
  }
  return (value as string).replace(/\/+$/, '');
}

function upstreamBase(upstream: SsoUpstream, route: SsoProxyRoute): string {
  return checkBaseUrl(upstream?.[route.service], `upstream.${route.service}`);
}

function corsHeaders(allowed: ReadonlySet<string>, origin: string | null): Record<string, string> {
  if (allowed.size === 0) return {};
  // Vary on Origin even when it is not allowed, so a shared cache never hands one origin's answer to another.
  if (origin === null || !allowed.has(origin)) return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
}

/** Why a request from another origin is refused; the origin is named (it is public), nothing else of the request. */
function notAllowed(origin: string | null): string {
  return (
    `cross-origin requests from ${origin === null ? 'this page' : JSON.stringify(origin)} are not allowed. ` +
    "Add the app's origin to the proxy's `allowedOrigins` option, or serve the app and the proxy from one origin."
  );
}

/** Answers a preflight from an allowed origin. */
function preflight(request: Request, route: SsoProxyRoute, cors: Record<string, string>): Response {
  const requested = request.headers.get('access-control-request-headers');
  const allowHeaders =
    requested && HEADER_LIST_PATTERN.test(requested.trim())
      ? requested.trim()
      : `content-type, ${BEARER_HEADER}`;
  return new Response(null, {
    status: 204,
    headers: {
      ...cors,
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      'access-control-allow-methods': route.method,
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': '600',
      ...NO_STORE_HEADERS,
    },
  });
}

/**
 * Reads the client's body: at most `max` bytes within `timeoutMs`, so a client trickling its body (slow loris)
 * cannot hold the handler longer than AWS could.
 */
async function readClientBody(
  request: Request,
  max: number,
  timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer> | 'too_large' | 'too_slow'> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    request.body?.cancel().catch(() => undefined);
    return 'too_large';
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'too_slow'>((resolve) => {
    timer = setTimeout(() => resolve('too_slow'), timeoutMs);
  });
  try {
    return await readCapped(request.body, max, deadline);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a body stream into one buffer. Stops and cancels the stream as soon as it passes `max` bytes
 * (`'too_large'`) or `stop` settles (its value, or its rejection), so neither a huge nor an endless body is
 * buffered or waited for.
 */
async function readCapped<T extends string>(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
  stop: Promise<T>,
): Promise<Uint8Array<ArrayBuffer> | 'too_large' | T> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stop]);
      if (typeof next === 'string') {
        reader.cancel().catch(() => undefined);
        return next;
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > max) {
        reader.cancel().catch(() => undefined);
        return 'too_large';
      }
      chunks.push(next.value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function isJsonObject(body: Uint8Array): boolean {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Marks the abort caused by `timeoutMs`, to tell it from the caller going away. */
class UpstreamTimeout extends Error {}

async function forward(
  url: string,
  init: RequestInit,
  clientSignal: AbortSignal | undefined,
  config: ResolvedOptions,
  cors: Record<string, string>,
  fail: Fail,
): Promise<Response> {
  const controller = new AbortController();
  // A plain setTimeout (not AbortSignal.timeout) so that one timer covers headers and body and tests can fake it.
  const timer = setTimeout(() => controller.abort(new UpstreamTimeout()), config.timeoutMs);
  const onClientAbort = () => controller.abort(clientSignal?.reason);
  clientSignal?.addEventListener('abort', onClientAbort, { once: true });
  try {
    // Raced against the abort as well, so a `fetch` that ignores its signal cannot hold the request forever.
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(controller.signal.reason);
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    if (clientSignal?.aborted) onClientAbort();
    const upstream = await Promise.race([config.fetch(url, { ...init, signal: controller.signal }), aborted]);
    // Buffered: SSO answers are small JSON, and the timeout must cover the body too. Capped: a custom upstream is
    // not AWS, and must not make the proxy hold an unbounded answer in memory.
    const body = await readCapped(upstream.body, config.maxResponseBytes, aborted);
    if (body === 'too_large') {
      return fail(
        'upstream_too_large',
        `${safeUpstream(url)} answered with more than ${config.maxResponseBytes} bytes. Check the \`upstream\` ` +
          "option, or raise the proxy's `maxResponseBytes` option.",
      );
    }
    if (upstream.type === 'opaqueredirect' || (upstream.status >= 300 && upstream.status < 400)) {
      return fail(
        'upstream_redirect',
        `AWS answered ${upstream.status || 'a redirect'} to ${safeUpstream(url)}; the proxy does not follow ` +
          'redirects. Check the `upstream` option.',
      );
    }
    if (upstream.status < 200 || upstream.status > 599) {
      return fail(
        'upstream_unreachable',
        `${safeUpstream(url)} answered with the unusable status ${upstream.status}.`,
      );
    }
    const headers: Record<string, string> = { ...cors, ...INERT_HEADERS, ...NO_STORE_HEADERS };
    for (const name of PASSED_BACK_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const nullBody = upstream.status === 204 || upstream.status === 205;
    return new Response(nullBody ? null : body, { status: upstream.status, headers });
  } catch (error) {
    if (controller.signal.reason instanceof UpstreamTimeout) {
      return fail(
        'upstream_timeout',
        `${safeUpstream(url)} did not answer within ${config.timeoutMs} ms. Try again; if it keeps happening, ` +
          "check the proxy's network path to AWS or raise `timeoutMs`.",
      );
    }
    if (clientSignal?.aborted) {
      return fail('client_aborted', 'the client went away before AWS answered.');
    }
    return fail(
      'upstream_unreachable',
      `could not reach ${safeUpstream(url)} (network, DNS or TLS failure). Check the proxy's outbound access ` +
        'to AWS, or the `upstream` option.',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    clientSignal?.removeEventListener('abort', onClientAbort);
  }
}

/** Origin of the upstream URL only: the query string of a portal call carries account ids and role names. */
function safeUpstream(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the upstream';
  }
}
