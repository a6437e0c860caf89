/** Serving the emulator over Node's `http`: a standalone server and a connect-style middleware. Node only. */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { createEmulator, type Emulator, type EmulatorOptions, normalizePrefix } from './emulator.ts';
import { serveNodeRequest } from './nodeHttp.ts';

export interface StartEmulatorOptions extends EmulatorOptions {
  /** Interface to listen on. Defaults to `'127.0.0.1'`. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Defaults to `0`. */
  port?: number;
  /** Serve this emulator instead of creating one (the other emulator options are then ignored). */
  emulator?: Emulator;
  /**
   * Host names (without port) the server answers to besides `localhost`, `*.localhost`, IP addresses and `host`.
   * Requests addressed to any other name get a 403, so a web page cannot reach the emulator through DNS
   * rebinding (its own name resolving to 127.0.0.1). Add the name you reach it by, e.g. `['devbox.lan']`.
   * Defaults to none.
   */
  allowedHosts?: readonly string[];
}

/** The control methods of {@link Emulator}, also available on a running server. */
export type EmulatorControls = Pick<
  Emulator,
  | 'approve'
  | 'deny'
  | 'expire'
  | 'expireClient'
  | 'advance'
  | 'fault'
  | 'reset'
  | 'requests'
  | 'pendingAuthorizations'
  | 'waitForAuthorization'
  | 'now'
>;

export interface RunningEmulator extends EmulatorControls {
  /** Where it listens, e.g. `http://127.0.0.1:54321` (no trailing slash): the `endpoint` for SSO OIDC and portal clients. */
  url: string;
  emulator: Emulator;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Whether a Host header names this server: no Host (HTTP/1.0, not a browser), an IP literal, `localhost` or a
 * subdomain of it (RFC 6761: always loopback), or one of `names`. A DNS-rebinding page sends its own name.
 */
function hostAllowList(names: readonly string[]): (hostHeader: string | undefined) => boolean {
  const allowed = new Set(names.map((name) => name.toLowerCase().replace(/^\[|\]$/g, '')));
  return (hostHeader) => {
    if (hostHeader === undefined) return true;
    const name = hostHeader
      .toLowerCase()
      .replace(/:\d*$/, '')
      .replace(/^\[|\]$/g, '');
    return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || allowed.has(name);
  };
}

function refuseHost(res: ServerResponse): void {
  const body = JSON.stringify({
    message:
      'This emulator answers requests addressed to localhost, an IP address or its listen host only (a guard ' +
      'against DNS rebinding). To reach it under another name, start it with allowedHosts ' +
      '(--allowed-hosts on the command line).',
  });
  res.writeHead(403, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * Starts an emulator on `http://127.0.0.1:<free port>`.
 *
 * @example
 * ```ts
 * import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
 *
 * const aws = await startEmulator();
 * const oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url });
 * // … StartDeviceAuthorization, then aws.approve({ userCode }) …
 * await aws.close();
 * ```
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { host = '127.0.0.1', port = 0, emulator: given, allowedHosts = [], ...emulatorOptions } = options;
  const emulator = given ?? createEmulator(emulatorOptions);
  const isAllowedHost = hostAllowList([host, ...allowedHosts]);
  let fallbackOrigin = `http://${hostForUrl(host)}`;
  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host)) {
      refuseHost(res);
      return;
    }
    void serveNodeRequest(emulator, req, res, { prefix: '', rawUrl: req.url ?? '/', fallbackOrigin });
  });
  // Malformed HTTP never reaches the handler; answer it plainly instead of crashing or hanging.
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${hostForUrl(host)}:${address.port}`;
  fallbackOrigin = url;
  return {
    url,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    approve: emulator.approve,
    deny: emulator.deny,
    expire: emulator.expire,
    expireClient: emulator.expireClient,
    advance: emulator.advance,
    fault: emulator.fault,
    reset: emulator.reset,
    requests: emulator.requests,
    pendingAuthorizations: emulator.pendingAuthorizations,
    waitForAuthorization: emulator.waitForAuthorization,
    now: emulator.now,
  };
}

export interface EmulatorMiddlewareOptions {
  /** Path to serve under, e.g. `'/aws'`. Must not be the root, which would shadow the host app's routes. */
  prefix: string;
}

/** A connect-style middleware, as Vite's `server.middlewares.use(…)` and Express accept. */
export type EmulatorMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Serves `emulator` under `prefix` inside another Node server (e.g. Vite's `configureServer`), calling `next()`
 * for every path outside it. Mount it before any body parser: it reads the raw body itself.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { createEmulator, createEmulatorMiddleware } from '@oidc-device-login/emulator';
 * import { defineConfig } from 'vite';
 *
 * export default defineConfig({
 *   plugins: [{ name: 'aws-emulator', configureServer(server) {
 *     server.middlewares.use(createEmulatorMiddleware(createEmulator(), { prefix: '/aws' }));
 *   } }],
 * });
 * ```
 */
export function createEmulatorMiddleware(
  emulator: Emulator,
  options: EmulatorMiddlewareOptions,
): EmulatorMiddleware {
  const prefix = normalizePrefix(options?.prefix ?? '');
  if (prefix === '') {
    throw new TypeError(
      "createEmulatorMiddleware needs a prefix such as '/aws'; use startEmulator() to serve at the root",
    );
  }
  return (req, res, next) => {
    // Connect strips a mount path from req.url but keeps the full one in originalUrl.
    const rawUrl = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const pathname = rawUrl.split('?')[0]!;
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
      next();
      return;
    }
    const local = req.socket.localAddress ?? '127.0.0.1';
    const fallbackOrigin = `http://${hostForUrl(local)}:${req.socket.localPort ?? 80}`;
    void serveNodeRequest(emulator, req, res, { prefix, rawUrl, fallbackOrigin });
  };
}
