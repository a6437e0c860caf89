/**
 * The README's Vite recipe, run for real: a Vite dev server with the proxy plugin, the browser's view of it
 * (same origin, relative `/aws/...` paths), and Vite's own routes left alone.
 */

import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSsoProxy } from '../proxy/index.ts';
import { toNodeMiddleware } from '../proxy/node.ts';
import { type FakeSsoUpstream, SECRETS, startFakeSsoUpstream } from './fakeSsoUpstream.ts';

let upstream: FakeSsoUpstream;
let vite: ViteDevServer;
let origin: string;

beforeAll(async () => {
  upstream = await startFakeSsoUpstream();
  // As in the README, plus `upstream` so the test talks to the local stand-in instead of AWS.
  const ssoProxy = (): Plugin => {
    const middleware = toNodeMiddleware(
      createSsoProxy({
        regions: ['us-east-1'],
        basePath: '/aws',
        upstream: { oidc: upstream.url, portal: upstream.url },
      }),
    );
    return {
      name: 'sso-proxy',
      configureServer: (server) => void server.middlewares.use(middleware),
      configurePreviewServer: (server) => void server.middlewares.use(middleware),
    };
  };
  vite = await createServer({
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'silent',
    plugins: [ssoProxy()],
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not listen on a port');
  origin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await vite?.close();
  await upstream?.close();
});

it('serves the proxy routes from the Vite dev server origin', async () => {
  const res = await fetch(`${origin}/aws/us-east-1/oidc/client/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie: 'vite=1' },
    body: JSON.stringify({ clientName: 'vite', clientType: 'public' }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ clientId: 'client-id-1', clientSecret: SECRETS.clientSecret });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(upstream.requests.map((r) => [r.method, r.url, r.headers.cookie, r.headers.origin])).toEqual([
    ['POST', '/client/register', undefined, undefined],
  ]);

  const missing = await fetch(`${origin}/aws/us-east-1/portal/assignment/accounts`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
});

it('leaves the rest of the dev server to Vite', async () => {
  const res = await fetch(`${origin}/@vite/client`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/javascript/);
  expect(upstream.requests.map((r) => r.url)).not.toContain('/@vite/client');
});
