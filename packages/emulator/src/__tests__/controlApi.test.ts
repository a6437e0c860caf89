/**
 * The control API over HTTP (`<base>/__emulator/…`), including every kind of fault and `requests`.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { expectOidcError, postJson, START_URL, startFlow } from './support.ts';

let aws: RunningEmulator;
const control = (name: string, body?: unknown) =>
  body === undefined
    ? fetch(`${aws.url}/__emulator/${name}`)
    : postJson(`${aws.url}/__emulator/${name}`, body);

beforeEach(async () => {
  aws = await startEmulator({ interval: 1 });
});

afterEach(() => aws.close());

describe('decisions and time', () => {
  it('approve (with a user), then the poll returns a token for that user', async () => {
    const { start, poll } = await startFlow(aws.url);
    const pending = await (await control('authorizations')).json();
    expect(pending).toEqual([
      {
        userCode: start.userCode,
        clientId: expect.any(String),
        clientName: 'test-app',
        startUrl: START_URL,
        expiresAt: expect.any(Number),
        interval: 1,
      },
    ]);
    const approved = await control('approve', { userCode: start.userCode, user: 'bob' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ userCode: start.userCode, user: 'bob' });
    const token = (await (await poll()).json()) as { accessToken: string };
    const accounts = await fetch(`${aws.url}/assignment/accounts`, {
      headers: { 'x-amz-sso_bearer_token': token.accessToken },
    });
    expect(((await accounts.json()) as { accountList: unknown[] }).accountList).toHaveLength(2);
  });

  it('deny by deviceCode → access_denied', async () => {
    const { start, poll } = await startFlow(aws.url);
    expect((await control('deny', { deviceCode: start.deviceCode })).status).toBe(200);
    await expectOidcError(await poll(), 'AccessDeniedException', 400, 'access_denied');
  });

  it('expire → expired_token; advance → expired_token', async () => {
    const first = await startFlow(aws.url);
    expect((await control('expire', { userCode: first.start.userCode })).status).toBe(200);
    await expectOidcError(await first.poll(), 'ExpiredTokenException', 400, 'expired_token');

    const second = await startFlow(aws.url);
    const advanced = await control('advance', { seconds: 600 });
    expect(((await advanced.json()) as { now: number }).now).toBeGreaterThan(Date.now() + 599_000);
    await expectOidcError(await second.poll(), 'ExpiredTokenException', 400, 'expired_token');
  });

  it('expire-client → invalid_client (401) for that client', async () => {
    const { registration, json } = await startFlow(aws.url);
    expect((await control('expire-client', { clientId: registration.clientId })).status).toBe(200);
    const start = await json('/device_authorization', { ...registration, startUrl: START_URL });
    await expectOidcError(start, 'InvalidClientException', 401, 'invalid_client');
  });

  it('approve, deny and expire with no code act on the only pending authorization, and say why when there is not one', async () => {
    const none = await control('approve', {});
    expect(none.status).toBe(400);
    expect(((await none.json()) as { message: string }).message).toMatch(
      /no device authorization is pending/,
    );

    const first = await startFlow(aws.url);
    expect(await (await control('approve', { user: 'bob' })).json()).toEqual({
      userCode: first.start.userCode,
      user: 'bob',
    });
    expect((await first.poll()).status).toBe(200);

    const second = await startFlow(aws.url);
    const third = await startFlow(aws.url);
    const several = await control('deny', {});
    expect(several.status).toBe(400);
    expect(((await several.json()) as { message: string }).message).toContain(
      `2 device authorizations are pending (${second.start.userCode}, ${third.start.userCode})`,
    );
    expect(aws.expire({ userCode: second.start.userCode })).toEqual({ userCode: second.start.userCode });
    expect(aws.deny()).toEqual({ userCode: third.start.userCode });
    await expectOidcError(await third.poll(), 'AccessDeniedException', 400, 'access_denied');
    await expectOidcError(await second.poll(), 'ExpiredTokenException', 400, 'expired_token');
    expect(() => aws.expire()).toThrow(/no device authorization is pending/);
  });

  it('waitForAuthorization resolves with the next code a client gets, or the one already pending', async () => {
    const waiting = aws.waitForAuthorization();
    const flow = await startFlow(aws.url);
    expect(await waiting).toMatchObject({ userCode: flow.start.userCode, clientName: 'test-app' });
    expect((await aws.waitForAuthorization()).userCode).toBe(flow.start.userCode);

    aws.approve();
    const controller = new AbortController();
    const aborted = aws.waitForAuthorization({ signal: controller.signal });
    controller.abort(new Error('test over'));
    await expect(aborted).rejects.toThrow('test over');
    const cut = aws.waitForAuthorization();
    aws.reset();
    await expect(cut).rejects.toThrow(/reset while waiting/);
  });

  it('reset forgets clients, codes, faults and requests', async () => {
    const { registration, json } = await startFlow(aws.url);
    await control('fault', { operation: 'CreateToken', error: 'InternalServerException' });
    expect((await control('reset', {})).status).toBe(200);
    expect(await (await control('requests')).json()).toEqual([]);
    const start = await json('/device_authorization', { ...registration, startUrl: START_URL });
    await expectOidcError(start, 'InvalidClientException', 401, 'invalid_client');
    const token = await json('/token', { ...registration, grantType: 'refresh_token', refreshToken: 'x' });
    // The fault is gone too: the answer comes from the operation, not from the injected 500.
    await expectOidcError(token, 'InvalidClientException', 401, 'invalid_client');
  });
});

describe('faults', () => {
  it('error: an AWS exception with its modeled status, for `count` requests', async () => {
    const { poll } = await startFlow(aws.url);
    await control('fault', { operation: 'CreateToken', error: 'InternalServerException', count: 2 });
    await expectOidcError(await poll(), 'InternalServerException', 500, 'server_error');
    await expectOidcError(await poll(), 'InternalServerException', 500, 'server_error');
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
  });

  it('error with an explicit status, e.g. a 503 from an unmodeled exception', async () => {
    await control('fault', {
      operation: 'RegisterClient',
      error: 'ServiceUnavailableException',
      status: 503,
    });
    const response = await postJson(`${aws.url}/client/register`, { clientName: 'x', clientType: 'public' });
    await expectOidcError(response, 'ServiceUnavailableException', 503, 'service_unavailable');
  });

  it('drop: the socket is destroyed (fetch rejects) and the server keeps serving', async () => {
    await control('fault', { operation: 'RegisterClient', drop: true });
    const error = await postJson(`${aws.url}/client/register`, {
      clientName: 'x',
      clientType: 'public',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    const again = await postJson(`${aws.url}/client/register`, { clientName: 'x', clientType: 'public' });
    expect(again.status).toBe(200);
  });

  it('malformed: a 200 with an HTML body, or with wrong-typed JSON members', async () => {
    await control('fault', { operation: 'RegisterClient', malformed: true });
    const html = await postJson(`${aws.url}/client/register`, { clientName: 'x', clientType: 'public' });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(() => JSON.parse('<html>')).toThrow();
    expect(await html.text()).toMatch(/^<html>/);

    const { registration, json } = await startFlow(aws.url);
    await control('fault', { operation: 'StartDeviceAuthorization', malformed: 'wrong-shape' });
    const wrong = await json('/device_authorization', { ...registration, startUrl: START_URL });
    expect(wrong.status).toBe(200);
    const body = (await wrong.json()) as Record<string, unknown>;
    expect(typeof body.deviceCode).not.toBe('string');
    expect(typeof body.expiresIn).not.toBe('number');
  });

  it('delayMs: answered normally after the delay, marked in requests', async () => {
    await control('fault', { operation: 'RegisterClient', delayMs: 1 });
    const response = await postJson(`${aws.url}/client/register`, { clientName: 'x', clientType: 'public' });
    expect(response.status).toBe(200);
    const recorded = (await (await control('requests')).json()) as { fault?: string }[];
    expect(recorded.at(-1)?.fault).toBe('delay');
  });

  it('grantType over HTTP: a refresh-only fault lets polls through and answers the refresh', async () => {
    const { start, poll, registration, json } = await startFlow(aws.url);
    const injected = await control('fault', {
      operation: 'CreateToken',
      grantType: 'refresh_token',
      error: 'InvalidGrantException',
    });
    expect(injected.status).toBe(200);
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    await control('approve', { userCode: start.userCode });
    await control('advance', { seconds: 1 });
    const token = await poll();
    expect(token.status).toBe(200);
    const { refreshToken } = (await token.json()) as { refreshToken: string };
    const refresh = () => json('/token', { ...registration, grantType: 'refresh_token', refreshToken });
    await expectOidcError(await refresh(), 'InvalidGrantException', 400, 'invalid_grant');
    expect((await refresh()).status).toBe(200);
    const recorded = (await (await control('requests?redact')).json()) as {
      body: { grantType?: string };
      fault?: string;
    }[];
    expect(recorded.slice(2).map((r) => [r.body.grantType, r.fault ?? null])).toEqual([
      ['urn:ietf:params:oauth:grant-type:device_code', null],
      ['urn:ietf:params:oauth:grant-type:device_code', null],
      ['refresh_token', 'error'],
      ['refresh_token', null],
    ]);
  });

  it('faults on portal operations are portal-shaped (TooManyRequestsException 429)', async () => {
    await control('fault', { operation: 'ListAccounts', error: 'TooManyRequestsException' });
    const response = await fetch(`${aws.url}/assignment/accounts`, {
      headers: { 'x-amz-sso_bearer_token': 'x' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('x-amzn-errortype')).toBeNull();
    expect(await response.json()).toEqual({
      message: 'Injected by the emulator fault API',
      __type: 'com.amazonaws.switchboard.portal#TooManyRequestsException',
    });
  });

  it('InternalServerException on the portal (not in its model) is still a 500, as AWS answers server faults', async () => {
    await control('fault', { operation: 'GetRoleCredentials', error: 'InternalServerException' });
    const response = await fetch(`${aws.url}/federation/credentials?account_id=1&role_name=R`, {
      headers: { 'x-amz-sso_bearer_token': 'x' },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      message: 'Injected by the emulator fault API',
      __type: 'com.amazonaws.switchboard.portal#InternalServerException',
    });
  });

  it('bad fault specs → 400 with a message', async () => {
    const cases: [unknown, RegExp][] = [
      [{ operation: 'Nope', drop: true }, /fault.operation must be one of/],
      [{ operation: 'CreateToken' }, /needs one of error, drop, malformed or delayMs/],
      [{ operation: 'CreateToken', drop: true, error: 'InternalServerException' }, /only one of/],
      [{ operation: 'CreateToken', drop: true, count: 0 }, /count must be a positive integer/],
      [{ operation: 'CreateToken', error: 'not an exception' }, /AWS exception name/],
      [{ operation: 'CreateToken', error: 'InternalServerException', status: 200 }, /400–599/],
      [{ operation: 'CreateToken', malformed: 'xml' }, /malformed must be/],
      [{ operation: 'CreateToken', delayMs: -1 }, /delayMs/],
      [
        { operation: 'CreateToken', grantType: 'device_code', drop: true },
        /grantType must be 'refresh_token' or 'urn:ietf:params:oauth:grant-type:device_code'/,
      ],
      [{ operation: 'ListAccounts', grantType: 'refresh_token', drop: true }, /CreateToken only/],
    ];
    for (const [spec, message] of cases) {
      const response = await control('fault', spec);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
  });
});

describe('requests and bad control input', () => {
  it('GET requests lists what the emulator received, not the control calls themselves', async () => {
    const { start } = await startFlow(aws.url);
    await fetch(start.verificationUriComplete);
    const recorded = (await (await control('requests')).json()) as Record<string, unknown>[];
    expect(recorded.map((r) => r.operation)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'VerificationPage',
    ]);
    expect(recorded[1]).toMatchObject({
      method: 'POST',
      path: '/device_authorization',
      query: {},
      body: { clientId: expect.any(String), clientSecret: expect.any(String), startUrl: START_URL },
      status: 200,
      time: expect.any(Number),
    });
    expect(recorded[2]).toMatchObject({
      method: 'GET',
      path: '/device',
      query: { user_code: start.userCode },
    });
    expect((recorded[0]!.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('requests({ redact: true }) and GET requests?redact blank every secret, and keep everything else', async () => {
    const { registration, start, poll, json } = await startFlow(aws.url);
    aws.approve({ userCode: start.userCode });
    const token = (await (await poll()).json()) as { accessToken: string; refreshToken: string };
    await fetch(`${aws.url}/assignment/accounts?max_result=1`, {
      headers: { 'x-amz-sso_bearer_token': token.accessToken, authorization: 'Basic c2VjcmV0' },
    });
    await json('/token', { ...registration, grantType: 'refresh_token', refreshToken: token.refreshToken });
    const secrets = [
      registration.clientSecret,
      start.deviceCode,
      token.accessToken,
      token.refreshToken,
      'Basic c2VjcmV0',
    ];
    const raw = JSON.stringify(aws.requests());
    for (const secret of secrets) expect(raw).toContain(secret);

    const redacted = aws.requests({ redact: true });
    const overHttp = await (await control('requests?redact')).json();
    expect(overHttp).toEqual(redacted);
    for (const secret of secrets) expect(JSON.stringify(redacted)).not.toContain(secret);
    expect(redacted.map((entry) => entry.operation)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken',
      'ListAccounts',
      'CreateToken',
    ]);
    expect(redacted[2]!.body).toMatchObject({
      clientId: registration.clientId,
      clientSecret: '<redacted>',
      grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      deviceCode: '<redacted>',
    });
    expect(redacted[3]).toMatchObject({
      query: { max_result: '1' },
      headers: { 'x-amz-sso_bearer_token': '<redacted>', authorization: '<redacted>' },
    });
    // Redaction works on a copy: the record itself still holds what was received.
    expect(JSON.stringify(aws.requests())).toContain(registration.clientSecret);
    expect(await (await control('requests?redact=false')).json()).toEqual(aws.requests());
  });

  it('answers bad control input with 400 and a message', async () => {
    const unknownCode = await control('approve', { userCode: 'BBBB-CCCC' });
    expect(unknownCode.status).toBe(400);
    expect(((await unknownCode.json()) as { message: string }).message).toMatch(/no device authorization/);

    const { start } = await startFlow(aws.url);
    const unknownUser = await control('approve', { userCode: start.userCode, user: 'mallory' });
    expect(((await unknownUser.json()) as { message: string }).message).toMatch(
      /seeded users are alice, bob/,
    );
    expect((await control('approve', { userCode: 42 })).status).toBe(400);
    expect((await control('advance', { seconds: 'ten' })).status).toBe(400);
    expect((await control('expire-client', { clientId: 'nope' })).status).toBe(400);

    await control('deny', { userCode: start.userCode });
    const twice = await control('approve', { userCode: start.userCode });
    expect(((await twice.json()) as { message: string }).message).toMatch(/already denied/);

    const notJson = await fetch(`${aws.url}/__emulator/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toBe('Control requests take a JSON body');
  });

  it('unknown control endpoints → 404, wrong methods → 405', async () => {
    const unknown = await control('explode', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toContain('approve, deny, expire');
    const wrong = await control('approve');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
