import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP upstream on 127.0.0.1 that misbehaves in the ways the emulator (which is faithful to AWS) does not,
 * for what the proxy must survive: every answer carries headers that must not reach the browser (`set-cookie`,
 * CDN and HSTS headers, CORS headers of its own); `/hang/...` never answers; `/redirect/...` answers 302 to another
 * host; `/huge/...` answers 200 with a 32 MiB body in 64 KiB chunks (`hugeBytesSent` counts what it got to send
 * before the reader hung up). Anything else gets an AWS-shaped InvalidGrantException. Records what it receives.
 */
export interface HostileUpstream {
  readonly url: string;
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  readonly hugeBytesSent: () => number;
  close(): Promise<void>;
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const requests: HostileUpstream['requests'] = [];
  let hugeBytesSent = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      requests.push({
        method: req.method ?? '',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (url.startsWith('/hang/')) return;
      if (url.startsWith('/huge/')) {
        hugeBytesSent = 0;
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          // Waits for drain, so what was sent is what the reader took (plus socket buffers), not all at once.
          while (hugeBytesSent < 32 * 1024 * 1024 && !res.destroyed) {
            hugeBytesSent += chunk.byteLength;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
        return;
      }
      if (url.startsWith('/redirect/')) {
        res.writeHead(302, { location: 'https://evil.example/steal' });
        res.end();
        return;
      }
      res.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'f2a4c7e0-0000-4000-8000-000000000001',
        'x-amzn-errortype': 'InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/',
        'retry-after': '3',
        'set-cookie': 'aws-session=should-not-pass; Path=/; HttpOnly',
        'x-amz-cf-id': 'cloudfront-id',
        'strict-transport-security': 'max-age=31536000',
        'access-control-allow-origin': '*',
        'cache-control': 'max-age=3600',
      });
      res.end('{"error":"invalid_grant","error_description":"Invalid grant provided"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    hugeBytesSent: () => hugeBytesSent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
