/**
 * The README's Vite recipe, run for real: a Vite dev server with the proxy plugin, the browser's view of it
 * (same origin, relative `/aws/...` paths), and Vite's own routes left alone.
 */

import { type RunningEmulator, startEmulator } from '@oidc-device-login/emulator';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSsoProxy } from '../proxy/index.ts';
import { toNodeMiddleware } from '../proxy/node.ts';

let aws: RunningEmulator;
let vite: ViteDevServer;
let origin: string;

beforeAll(async () => {
  aws = await startEmulator();
  // As in the README, plus `upstream` so the test talks to the emulator instead of AWS.
  const ssoProxy = (): Plugin => {
    const middleware = toNodeMiddleware(
      createSsoProxy({
        regions: ['us-east-1'],
        basePath: '/aws',
        upstream: { oidc: aws.url, portal: aws.url },
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
  await aws?.close();
});

it('serves the proxy routes from the Vite dev server origin', async () => {
  const res = await fetch(`${origin}/aws/us-east-1/oidc/client/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie: 'vite=1' },
    body: JSON.stringify({ clientName: 'vite', clientType: 'public' }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String) });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(aws.requests().map((r) => [r.operation, r.headers.cookie, r.headers.origin])).toEqual([
    ['RegisterClient', undefined, undefined],
  ]);

  const missing = await fetch(`${origin}/aws/us-east-1/portal/assignment/accounts`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
});

it('leaves the rest of the dev server to Vite', async () => {
  const res = await fetch(`${origin}/@vite/client`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/javascript/);
  // Only RegisterClient of the test above reached the emulator (the 401 never left the proxy).
  expect(aws.requests().map((r) => r.operation)).toEqual(['RegisterClient']);
});
