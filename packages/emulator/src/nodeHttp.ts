/** Node `http` ⇄ Web `Request`/`Response` for the emulator's `handle`. Node only. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { oidcErrorResponse } from './awsErrorResponse.ts';
import { type Emulator, isDroppedResponse } from './emulator.ts';

/** Beyond the body limit we keep draining (so the client can read our 400) up to this much, then hang up. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads at most `limit + 1` bytes (enough for `handle` to see the body is too large) and discards the rest,
 * so an oversized upload is answered instead of reset mid-send.
 */
function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (kept <= limit) {
        const slice = chunk.subarray(0, limit + 1 - kept);
        chunks.push(slice);
        kept += slice.byteLength;
      }
      if (seen > DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** The origin the request was addressed to (Host header), falling back to where the server listens. */
function requestOrigin(req: IncomingMessage, fallbackOrigin: string): string {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const host = req.headers.host;
  if (host && /^[A-Za-z0-9.\-_[\]:]+$/.test(host) && URL.canParse(`${scheme}://${host}`)) {
    return new URL(`${scheme}://${host}`).origin;
  }
  return fallbackOrigin;
}

/** The path and query of `rawUrl` (origin-form or absolute-form), never letting `//host` change the origin. */
function pathAndQuery(rawUrl: string): string {
  if (rawUrl.startsWith('/')) return rawUrl;
  try {
    const parsed = new URL(rawUrl);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return `/${rawUrl}`;
  }
}

async function toWebRequest(
  req: IncomingMessage,
  options: { rawUrl: string; fallbackOrigin: string; maxBodyBytes: number; signal: AbortSignal },
): Promise<Request> {
  const url = `${requestOrigin(req, options.fallbackOrigin)}${pathAndQuery(options.rawUrl)}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? await readLimitedBody(req, options.maxBodyBytes) : undefined;
  if (!hasBody) req.resume();
  return new Request(url, {
    method,
    headers,
    signal: options.signal,
    ...(body && body.byteLength > 0 ? { body: new Uint8Array(body) } : {}),
  });
}

async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['content-length'] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

function sendInternalError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    error: 'server_error',
    error_description: 'The emulator failed to handle the request',
  });
  res.writeHead(500, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-errortype': oidcErrorResponse('InternalServerException', '').headers.get('x-amzn-errortype')!,
    'x-amzn-requestid': globalThis.crypto.randomUUID(),
  });
  res.end(body);
}

/**
 * Serves one Node request with `emulator.handle`. Never rejects: failures become a 500 InternalServerException,
 * and a dropped-connection fault destroys the socket.
 */
export async function serveNodeRequest(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  options: { prefix: string; rawUrl: string; fallbackOrigin: string },
): Promise<void> {
  const controller = new AbortController();
  // The client went away before we answered: abort so delays (fault injection) stop waiting.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const request = await toWebRequest(req, {
      rawUrl: options.rawUrl,
      fallbackOrigin: options.fallbackOrigin,
      maxBodyBytes: emulator.config.maxBodyBytes,
      signal: controller.signal,
    });
    const response = await emulator.handle(request, { prefix: options.prefix });
    if (isDroppedResponse(response)) {
      req.socket.destroy();
      return;
    }
    await sendWebResponse(res, response);
  } catch {
    sendInternalError(res);
  }
}
