/**
 * The emulator with no port: `emulator.fetch` and `handle()` in-process, time driven by vi fake timers.
 */

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../inProcess.ts';
import { expectOidcError, seededBytes, startFlow, UUID } from './support.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('in-process fetch', () => {
  it('runs the full flow with no port: register → start → approve → token → portal → refresh', async () => {
    const emulator = createEmulator();
    const { start, poll, registration, json } = await startFlow('http://emulator.local', emulator.fetch);
    expect(start.verificationUri).toBe('http://emulator.local/device');
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    expect(emulator.pendingAuthorizations().map((p) => p.userCode)).toEqual([start.userCode]);
    emulator.approve({ userCode: start.userCode });
    emulator.advance(start.interval);
    const token = (await (await poll()).json()) as { accessToken: string; refreshToken: string };
    expect(emulator.pendingAuthorizations()).toEqual([]);

    // Relative URLs resolve against baseUrl.
    const accounts = await emulator.fetch('/assignment/accounts?max_result=1', {
      headers: { 'x-amz-sso_bearer_token': token.accessToken },
    });
    expect(accounts.status).toBe(200);
    expect(accounts.headers.get('x-amzn-requestid')).toMatch(UUID);
    const body = (await accounts.json()) as { accountList: unknown[]; nextToken: string };
    expect(body.accountList).toHaveLength(1);
    expect(body.nextToken).toEqual(expect.any(String));

    const refreshed = await json('/token', {
      ...registration,
      grantType: 'refresh_token',
      refreshToken: token.refreshToken,
    });
    expect(refreshed.status).toBe(200);
  });

  it('builds URLs from the configured baseUrl, and accepts a Request object', async () => {
    const emulator = createEmulator({ baseUrl: 'https://sso.test:8443' });
    const { start } = await startFlow('', emulator.fetch);
    expect(start.verificationUriComplete).toBe(`https://sso.test:8443/device?user_code=${start.userCode}`);
    const page = await emulator.fetch(new Request(start.verificationUriComplete));
    expect(await page.text()).toContain(`value="${start.userCode}"`);
  });

  it('follows the verification page redirects like fetch does', async () => {
    const emulator = createEmulator();
    const { start, poll } = await startFlow('http://emulator.local', emulator.fetch);
    const confirm = await emulator.fetch('/device', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: start.userCode }),
    });
    expect(await confirm.text()).toContain('Allow access');
    const done = await emulator.fetch('/device/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: start.userCode, user: 'alice', action: 'allow' }),
    });
    expect(await done.text()).toContain('You can close this window');
    expect((await poll()).status).toBe(200);
    const manual = await emulator.fetch('/', { redirect: 'manual' });
    expect(manual.status).toBe(303);
    expect(manual.headers.get('location')).toBe('/device');
  });

  it('a drop fault makes fetch reject with a TypeError, like a browser; the next call works', async () => {
    const emulator = createEmulator();
    emulator.fault({ operation: 'RegisterClient', drop: true });
    const register = () =>
      emulator.fetch('/client/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
      });
    const error = await register().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('Failed to fetch');
    expect((await register()).status).toBe(200);
    expect(emulator.requests().map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['RegisterClient', 0, 'drop'],
      ['RegisterClient', 200, undefined],
    ]);
  });

  it('rejects with the abort reason for an already-aborted signal, without reaching the emulator', async () => {
    const emulator = createEmulator();
    const controller = new AbortController();
    controller.abort();
    const error = await emulator.fetch('/device', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('AbortError');
    expect(emulator.requests()).toEqual([]);
  });

  it('records what was received: operation, method, path, query, headers, parsed body, time', async () => {
    const emulator = createEmulator({ now: () => 1_700_000_000_000 });
    await startFlow('http://emulator.local', emulator.fetch, []);
    await emulator.fetch('/assignment/roles?account_id=111122223333&max_result=5');
    await emulator.fetch('/assignment/accounts?next_token=a%2Bb%2Fc%3D&max_result=1');
    const [register, start, roles, accounts] = emulator.requests();
    expect(register).toMatchObject({
      operation: 'RegisterClient',
      method: 'POST',
      path: '/client/register',
      query: {},
      rawQuery: '',
      body: { clientName: 'test-app', clientType: 'public', scopes: [] },
      time: 1_700_000_000_000,
      status: 200,
    });
    expect(register?.headers['content-type']).toBe('application/json');
    expect(start?.operation).toBe('StartDeviceAuthorization');
    expect(roles).toMatchObject({
      operation: 'ListAccountRoles',
      method: 'GET',
      query: { account_id: '111122223333', max_result: '5' },
      rawQuery: 'account_id=111122223333&max_result=5',
      status: 401,
      errorType: 'UnauthorizedException',
    });
    // `query` is decoded; `rawQuery` keeps the order and the percent-encoding a client sent.
    expect(accounts?.query).toEqual({ next_token: 'a+b/c=', max_result: '1' });
    expect(accounts?.rawQuery).toBe('next_token=a%2Bb%2Fc%3D&max_result=1');
    // A copy: mutating it does not change the emulator's log.
    register!.operation = 'Unknown';
    expect(emulator.requests()[0]?.operation).toBe('RegisterClient');
  });
});

describe('timing with vi.useFakeTimers()', () => {
  it('slow_down at interval − 1 ms after the previous poll; pending at the (grown) interval', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') });
    const emulator = createEmulator({ interval: 5 });
    const { poll } = await startFlow('http://emulator.local', emulator.fetch);

    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    vi.advanceTimersByTime(5000);
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    vi.advanceTimersByTime(4999);
    await expectOidcError(await poll(), 'SlowDownException', 400, 'slow_down');
    // The interval is now 10 s, counted from the poll that was just received.
    vi.advanceTimersByTime(9999);
    await expectOidcError(await poll(), 'SlowDownException', 400, 'slow_down');
    vi.advanceTimersByTime(15_000);
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    expect(emulator.pendingAuthorizations()[0]?.interval).toBe(15);
  });

  it('expired_token once expiresIn has elapsed on the (fake) wall clock', async () => {
    vi.useFakeTimers();
    const emulator = createEmulator({ interval: 1, deviceCodeTtl: 60 });
    const { poll, start } = await startFlow('http://emulator.local', emulator.fetch);
    expect(start.expiresIn).toBe(60);
    vi.advanceTimersByTime(59_999);
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    vi.advanceTimersByTime(1);
    await expectOidcError(await poll(), 'ExpiredTokenException', 400, 'expired_token');
    expect(emulator.pendingAuthorizations()).toEqual([]);
  });

  it('a delayMs fault waits on the timers, then answers normally', async () => {
    vi.useFakeTimers();
    const emulator = createEmulator();
    emulator.fault({ operation: 'RegisterClient', delayMs: 30_000 });
    let settled = false;
    const pending = startFlow('http://emulator.local', emulator.fetch).then((flow) => {
      settled = true;
      return flow;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const flow = await pending;
    expect(flow.start.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(emulator.requests()[0]).toMatchObject({
      operation: 'RegisterClient',
      fault: 'delay',
      status: 200,
    });
  });

  it('a delayMs fault honours the AbortSignal: fetch rejects with the abort reason and nothing is registered', async () => {
    vi.useFakeTimers();
    const emulator = createEmulator();
    emulator.fault({ operation: 'RegisterClient', delayMs: 60_000 });
    const controller = new AbortController();
    const request = emulator
      .fetch('/client/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    const error = await request;
    expect((error as DOMException).name).toBe('AbortError');
    expect(vi.getTimerCount()).toBe(0);
    expect(emulator.requests()[0]).toMatchObject({ operation: 'RegisterClient', status: 0, fault: 'delay' });
  });

  it('reset() drops requests held by a delayMs fault: no timer is left and nothing is registered afterwards', async () => {
    vi.useFakeTimers();
    const emulator = createEmulator();
    emulator.fault({ operation: 'RegisterClient', delayMs: 60_000 });
    const request = emulator
      .fetch('/client/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(1);
    emulator.reset();
    const error = await request;
    expect(error).toBeInstanceOf(TypeError);
    expect(vi.getTimerCount()).toBe(0);
    expect(emulator.requests()).toEqual([]);
    // The reset emulator still delays what a new fault asks it to.
    emulator.fault({ operation: 'RegisterClient', delayMs: 10 });
    const later = startFlow('http://emulator.local', emulator.fetch);
    await vi.advanceTimersByTimeAsync(10);
    expect((await later).start.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  });
});

describe('handle()', () => {
  it('never throws: an unreadable body becomes an AWS-shaped InvalidRequestException', async () => {
    const emulator = createEmulator();
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error('socket hang up'));
      },
    });
    const response = await emulator.handle(
      new Request('http://emulator.local/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
  });

  it('answers 404 for paths outside its mount prefix', async () => {
    const emulator = createEmulator();
    const response = await emulator.handle(new Request('http://x.test/other/token', { method: 'POST' }), {
      prefix: '/aws',
    });
    expect(response.status).toBe(404);
  });

  it('answers CORS preflights and tags responses for allowed origins only', async () => {
    const emulator = createEmulator({ cors: ['http://app.example'] });
    const preflight = (origin: string) =>
      emulator.handle(
        new Request('http://emulator.local/assignment/accounts', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'x-amz-sso_bearer_token',
          },
        }),
      );
    const allowed = await preflight('http://app.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-amz-sso_bearer_token');

    const denied = await preflight('http://evil.example');
    expect(denied.status).toBeGreaterThanOrEqual(400);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();

    const error = await emulator.handle(
      new Request('http://emulator.local/token', {
        method: 'POST',
        headers: { origin: 'http://app.example', 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(error.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(error.headers.get('access-control-expose-headers')).toBe('x-amzn-ErrorType, x-amzn-RequestId');
    expect(error.headers.get('vary')).toBe('Origin');

    const wildcard = createEmulator({ cors: ['*'] });
    const any = await wildcard.handle(
      new Request('http://emulator.local/device', { headers: { origin: 'http://anything.example' } }),
    );
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('sends no CORS headers by default, like AWS', async () => {
    const emulator = createEmulator();
    const response = await emulator.handle(
      new Request('http://emulator.local/token', {
        method: 'OPTIONS',
        headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
  });
});

describe('options', () => {
  it('rejects bad options with a message that says what to pass', () => {
    expect(() => createEmulator({ interval: -1 })).toThrow(/interval must be a whole number of seconds ≥ 1/);
    expect(() => createEmulator({ interval: 0 })).toThrow(/interval must be a whole number of seconds ≥ 1/);
    expect(() => createEmulator({ accessTokenTtl: 1.5 })).toThrow(/accessTokenTtl/);
    expect(() => createEmulator({ cors: ['not an origin'] })).toThrow(/cors entries must be origins/);
    expect(() => createEmulator({ baseUrl: '/relative' })).toThrow(/baseUrl must be an absolute URL/);
    expect(() => createEmulator({ seed: { accounts: [], users: [] } })).toThrow(/at least one user/);
    expect(() =>
      createEmulator({ seed: { accounts: [], users: [{ userName: 'a', assignments: { '1': ['R'] } }] } }),
    ).toThrow(/not in seed.accounts/);
    expect(() => createEmulator({ randomBytes: 'seed' as never })).toThrow(/randomBytes must be a function/);
    expect(() => createEmulator({ rotateRefreshTokens: 'no' as never })).toThrow(
      /rotateRefreshTokens must be true or false/,
    );
  });

  it('randomBytes: the same seed gives the same codes, secrets and request ids', async () => {
    const run = async (seed: number) => {
      const emulator = createEmulator({ now: () => 1_700_000_000_000, randomBytes: seededBytes(seed) });
      const { registration, start } = await startFlow('http://emulator.local', emulator.fetch);
      const response = await emulator.fetch('/assignment/accounts');
      return { registration, start, requestId: response.headers.get('x-amzn-requestid') };
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(first.requestId).toMatch(UUID);
    expect(first.start.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    const other = await run(8);
    expect(other.registration.clientSecret).not.toBe(first.registration.clientSecret);
    expect(other.start.deviceCode).not.toBe(first.start.deviceCode);
  });

  it('randomBytes: a source that returns the wrong length is a 500, never a hang', async () => {
    const emulator = createEmulator({ randomBytes: () => new Uint8Array(0) });
    const response = await emulator.fetch('/client/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    expect(response.status).toBe(500);
  });
});

describe('platform neutrality', () => {
  it('the in-process entry bundles for the browser with no node: imports', async () => {
    const entry = fileURLToPath(new URL('../inProcess.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('createEmulator');
    expect(code).not.toMatch(/from\s*["']node:/);
    expect(code).not.toContain('createServer');
  });
});
