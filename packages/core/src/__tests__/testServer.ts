/**
 * A real HTTP server on 127.0.0.1 (port 0) that records requests and answers with crafted responses, like the
 * harness of PROTOCOL §3.3. Clients under test point their `endpoint` at it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as is; a non-string is JSON-encoded with `content-type: application/json`. */
  body?: unknown;
  /** Never answer (to test aborts). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names in the order they were sent, lower-cased. */
  headerNames: string[];
  body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Sets the answer to every following request (a function may vary it per request). */
  reply(response: CannedResponse | ((request: RecordedRequest) => CannedResponse)): void;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let handler: (request: RecordedRequest) => CannedResponse = () => ({ status: 500, body: 'no reply set' });

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        headerNames: req.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()),
        body,
      };
      requests.push(recorded);
      const canned = handler(recorded);
      if (canned.hang) return;
      const headers = { ...canned.headers };
      let text = '';
      if (typeof canned.body === 'string') text = canned.body;
      else if (canned.body !== undefined) {
        text = JSON.stringify(canned.body);
        headers['content-type'] ??= 'application/json';
      }
      res.writeHead(canned.status, headers);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(response) {
      handler = typeof response === 'function' ? response : () => response;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just free and has been released. */
export async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A caller's `fetch` that records calls and never reaches the network: for "no request was made" checks. */
export function recordingFetch() {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init });
    throw new Error('recordingFetch: no request should have been made');
  };
  return { fetch, calls };
}
