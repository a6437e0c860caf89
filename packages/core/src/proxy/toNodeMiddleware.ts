import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { normaliseBasePath } from './createSsoProxy.ts';

/** A Web `fetch` handler, such as the one {@link createSsoProxy} returns. */
export type WebHandler = ((request: Request) => Promise<Response>) & { readonly basePath?: string };

/** Connect/Express-style middleware; `next` is optional so it also works as a plain `http.createServer` listener. */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Options of {@link toNodeMiddleware}. */
export interface NodeMiddlewareOptions {
  /**
   * Requests whose path is outside this prefix go to `next()` untouched (or, without `next`, to the handler).
   * Defaults to the handler's own `basePath` when it has one (as `createSsoProxy`'s does), else `''` (all).
   */
  basePath?: string | undefined;
}

/** Express / connect mount helpers set `originalUrl` and strip the mount path from `url`. */
type MountedRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

// Only for building the Request URL: a Host header is client input and must not be able to change the path.
const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Adapts a Web `fetch` handler to Node's `(req, res, next)`, for Express, connect, Vite and webpack dev servers,
 * Fastify's `middie`, or `http.createServer`. The full original path (`req.originalUrl`) is what the handler
 * sees, so `app.use('/aws', …)` and `createSsoProxy({ basePath: '/aws' })` agree.
 *
 * Mount it before any body parser. If one already read the body (`express.json()`), `req.body` is forwarded
 * instead: a Buffer or string as is, an object as JSON.
 *
 * @example
 * ```ts
 * import { createSsoProxy } from '@oidc-device-login/core/proxy';
 * import { toNodeMiddleware } from '@oidc-device-login/core/proxy/node';
 *
 * app.use(toNodeMiddleware(createSsoProxy({ regions: ['us-east-1'], basePath: '/aws' })));
 * ```
 */
export function toNodeMiddleware(handler: WebHandler, options: NodeMiddlewareOptions = {}): NodeMiddleware {
  const basePath = normaliseBasePath(options.basePath ?? handler.basePath);
  return (req, res, next) => {
    const target = requestTarget(req as MountedRequest);
    const pathname = new URL(`http://localhost${target}`).pathname;
    if (next && basePath !== '' && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
      next();
      return;
    }
    serve(handler, req as MountedRequest, res, target).catch((error: unknown) => {
      if (next) {
        next(error);
      } else if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else {
        res.destroy();
      }
    });
  };
}

/** The origin-form path + query, whatever form the request line used (absolute-form is reduced to its path). */
function requestTarget(req: MountedRequest): string {
  const raw = req.originalUrl ?? req.url ?? '/';
  if (raw.startsWith('/')) return raw;
  try {
    const url = new URL(raw);
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}

async function serve(handler: WebHandler, req: MountedRequest, res: ServerResponse, target: string) {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });

  const host = req.headers.host && HOST_PATTERN.test(req.headers.host) ? req.headers.host : 'localhost';
  const scheme = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  // Concatenated, not `new URL(target, base)`: a target starting with `//` must stay a path, not become a host.
  const url = `${scheme}://${host}${target}`;

  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    try {
      headers.append(name, req.rawHeaders[i + 1] as string);
    } catch {
      // A header value `Headers` refuses cannot be forwarded anyway; the handler decides without it.
    }
  }

  const method = (req.method ?? 'GET').toUpperCase();
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.readableEnded) {
      const body = alreadyReadBody(req.body);
      if (body !== undefined) {
        init.body = body;
        headers.delete('content-length');
      }
    } else {
      init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }

  const response = await handler(new Request(url, init));

  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

function alreadyReadBody(body: unknown): string | Uint8Array<ArrayBuffer> | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  // express.json() leaves a parsed object; the proxy checks and forwards JSON, so serialise it back.
  return JSON.stringify(body);
}
