import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { useAuthenticatedFetch } from '../useAuthenticatedFetch.ts';
import { describeEachReactMode } from './utils.tsx';

/** A real HTTP API on 127.0.0.1 that accepts only the bearer token in `validToken`. */
let server: Server;
let baseUrl: string;
let validToken = 'token-2';
let statusForBadToken = 401;
const received: Array<{ method: string; path: string; authorization: string | undefined; body: string }> = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    const apiToken = request.headers['x-api-token'];
    const authorization = request.headers.authorization ?? (apiToken ? `x-api-token ${apiToken}` : undefined);
    received.push({ method: request.method ?? '', path: request.url ?? '', authorization, body });
    if (authorization !== `Bearer ${validToken}` && apiToken !== validToken) {
      response
        .writeHead(statusForBadToken, { 'content-type': 'application/json' })
        .end('{"error":"bad token"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  validToken = 'token-2';
  statusForBadToken = 401;
});

/** A login whose token is `token-1` until a forced refresh, then `token-2`. */
function rotatingLogin() {
  let token = 'token-1';
  return createTestDeviceLogin(
    {
      status: 'authenticated',
      session: { expiresAt: Date.now() + 3_600_000, tokenType: 'Bearer', refreshable: true },
    },
    {
      getAccessToken: async (options) => {
        if (options?.forceRefresh) token = 'token-2';
        return token;
      },
    },
  );
}

describeEachReactMode('useAuthenticatedFetch', ({ wrap }) => {
  const wrapper = ({ children }: { children: ReactNode }) => wrap(children as ReactElement);

  it('sends the bearer token', async () => {
    validToken = 'token-1';
    const login = rotatingLogin();
    const { result } = renderHook(() => useAuthenticatedFetch({ login }), { wrapper });
    const response = await result.current(`${baseUrl}/me`);
    expect(response.status).toBe(200);
    expect(received).toEqual([{ method: 'GET', path: '/me', authorization: 'Bearer token-1', body: '' }]);
    expect(login.calls.getAccessToken).toHaveLength(1);
  });

  it('on a 401 refreshes once and sends the request once more, body included', async () => {
    const login = rotatingLogin();
    const { result } = renderHook(() => useAuthenticatedFetch({ login }), { wrapper });
    const response = await result.current(`${baseUrl}/items`, { method: 'POST', body: '{"name":"x"}' });
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ echo: '{"name":"x"}' });
    expect(received.map(({ authorization, body }) => [authorization, body])).toEqual([
      ['Bearer token-1', '{"name":"x"}'],
      ['Bearer token-2', '{"name":"x"}'],
    ]);
    expect(login.calls.getAccessToken.map(([options]) => options?.forceRefresh)).toEqual([false, true]);
  });

  it('returns the second 401 instead of looping', async () => {
    validToken = 'never';
    const login = rotatingLogin();
    const { result } = renderHook(() => useAuthenticatedFetch({ login }), { wrapper });
    const response = await result.current(new Request(`${baseUrl}/me`));
    expect(response.status).toBe(401);
    expect(received).toHaveLength(2);
  });

  it('does not retry other statuses', async () => {
    statusForBadToken = 403;
    const login = rotatingLogin();
    const { result } = renderHook(() => useAuthenticatedFetch({ login }), { wrapper });
    const response = await result.current(`${baseUrl}/admin`);
    expect(response.status).toBe(403);
    expect(received).toHaveLength(1);
    expect(login.calls.getAccessToken).toHaveLength(1);
  });

  it('rejects when not signed in, without sending anything', async () => {
    const login = createTestDeviceLogin();
    const { result } = renderHook(() => useAuthenticatedFetch({ login }), { wrapper });
    await expect(result.current(`${baseUrl}/me`)).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(received).toHaveLength(0);
  });

  it('keeps its identity across renders, and uses a custom header', async () => {
    validToken = 'token-1';
    const login = rotatingLogin();
    const authorize = (headers: Headers, token: string) => headers.set('x-api-token', token);
    const { result, rerender } = renderHook(() => useAuthenticatedFetch({ login, authorize }), { wrapper });
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    expect((await first(`${baseUrl}/me`)).status).toBe(200);
    expect(received).toEqual([
      { method: 'GET', path: '/me', authorization: 'x-api-token token-1', body: '' },
    ]);
  });
});
