/**
 * Secret scan: every operation, called with known secret values, against every kind of failure; no error's
 * message, String(), JSON.stringify() or util.inspect() (which prints `cause` and every field) may contain one.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceLoginError } from '../errors.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import { createSsoPortalClient } from '../ssoPortal.ts';
import { DEVICE_CODE_GRANT, type RequestOptions } from '../types.ts';
import {
  type CannedResponse,
  type RecordedRequest,
  startTestServer,
  type TestServer,
  unusedUrl,
} from './testServer.ts';

const SECRETS = {
  clientSecret: 'CLIENT-SECRET-9f8e7d',
  deviceCode: 'DEVICE-CODE-1a2b3c',
  refreshToken: 'REFRESH-TOKEN-4d5e6f',
  code: 'AUTH-CODE-7a8b9c',
  codeVerifier: 'CODE-VERIFIER-0a1b2c',
  accessToken: 'ACCESS-TOKEN-3c4d5e',
  secretAccessKey: 'SECRET-ACCESS-KEY-6f7a8b',
  sessionToken: 'SESSION-TOKEN-9c0d1e',
};
const ALL = Object.values(SECRETS);

type Call = (endpoint: string, options?: RequestOptions) => Promise<unknown>;

const oidc = (endpoint: string) => createSsoOidcClient({ endpoint });
const portal = (endpoint: string) => createSsoPortalClient({ endpoint });
const base = { clientId: 'client-id', clientSecret: SECRETS.clientSecret };

const OPERATIONS: Record<string, Call> = {
  RegisterClient: (e, o) => oidc(e).registerClient({ clientName: 'app', clientType: 'public' }, o),
  StartDeviceAuthorization: (e, o) =>
    oidc(e).startDeviceAuthorization({ ...base, startUrl: 'https://d-1234567890.awsapps.com/start' }, o),
  'CreateToken device_code': (e, o) =>
    oidc(e).createToken({ ...base, grantType: DEVICE_CODE_GRANT, deviceCode: SECRETS.deviceCode }, o),
  'CreateToken refresh_token': (e, o) =>
    oidc(e).createToken({ ...base, grantType: 'refresh_token', refreshToken: SECRETS.refreshToken }, o),
  'CreateToken authorization_code': (e, o) =>
    oidc(e).createToken(
      {
        ...base,
        grantType: 'authorization_code',
        code: SECRETS.code,
        redirectUri: 'http://127.0.0.1:5555/oauth/callback',
        codeVerifier: SECRETS.codeVerifier,
      },
      o,
    ),
  ListAccounts: (e, o) => portal(e).listAccounts({ accessToken: SECRETS.accessToken }, o),
  ListAccountRoles: (e, o) =>
    portal(e).listAccountRoles({ accessToken: SECRETS.accessToken, accountId: '1' }, o),
  listAllAccounts: (e, o) => portal(e).listAllAccounts({ accessToken: SECRETS.accessToken }, o),
  GetRoleCredentials: (e, o) =>
    portal(e).getRoleCredentials({ accessToken: SECRETS.accessToken, accountId: '1', roleName: 'R' }, o),
  Logout: (e, o) => portal(e).logout({ accessToken: SECRETS.accessToken }, o),
};

/** A server echoing everything it was sent: the URL, the body and the bearer token. */
const echo = (request: RecordedRequest) =>
  `${request.url} ${request.body} ${String(request.headers['x-amz-sso_bearer_token'])}`;

/** The first of our secrets that the request carried (every operation sends at least one, except RegisterClient). */
const firstSecretIn = (request: RecordedRequest) =>
  ALL.find((secret) => echo(request).includes(secret)) ?? 'NoSecretSent';

const RESPONSES: Record<string, (request: RecordedRequest) => CannedResponse> = {
  'OAuth error echoing the request': (r) => ({
    status: 400,
    headers: { 'x-amzn-errortype': 'InvalidGrantException' },
    body: { error: 'invalid_grant', error_description: echo(r), reason: echo(r) },
  }),
  'portal error echoing the request': (r) => ({
    status: 401,
    body: { __type: 'com.amazonaws.switchboard.portal#UnauthorizedException', message: echo(r) },
  }),
  '200 OAuth error echoing the request': (r) => ({
    status: 200,
    body: { error: 'authorization_pending', error_description: echo(r) },
  }),
  'HTML page echoing the request': (r) => ({
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: `<html>${echo(r)}</html>`,
  }),
  '403 HTML page': (r) => ({ status: 403, headers: { 'content-type': 'text/html' }, body: echo(r) }),
  '503 HTML page': (r) => ({ status: 503, headers: { 'content-type': 'text/html' }, body: echo(r) }),
  'success shape with every member wrong, secrets inside': () => ({
    status: 200,
    body: {
      clientSecret: SECRETS.clientSecret,
      deviceCode: SECRETS.deviceCode,
      accessToken: SECRETS.accessToken,
      refreshToken: SECRETS.refreshToken,
      clientId: 0,
      userCode: 0,
      expiresIn: SECRETS.accessToken,
      accountList: SECRETS.accessToken,
      roleList: SECRETS.accessToken,
      roleCredentials: {
        accessKeyId: 1,
        secretAccessKey: SECRETS.secretAccessKey,
        sessionToken: SECRETS.sessionToken,
      },
    },
  }),
  'redirect whose Location carries the secrets': () => ({
    status: 302,
    headers: { location: `https://elsewhere.example/cb?${ALL.join('&')}` },
  }),
  'an x-amzn-ErrorType header carrying a sent secret': (r) => ({
    status: 400,
    headers: { 'x-amzn-errortype': firstSecretIn(r) },
    body: {},
  }),
  'a request id carrying a sent secret, on a non-JSON page': (r) => ({
    status: 200,
    headers: { 'content-type': 'text/html', 'x-amzn-requestid': firstSecretIn(r) },
    body: '<html></html>',
  }),
  'a request id carrying a sent secret, on an error': (r) => ({
    status: 500,
    headers: { 'x-amzn-requestid': firstSecretIn(r) },
    body: {},
  }),
  'a __type carrying a sent secret': (r) => ({
    status: 400,
    body: { __type: `com.example#${firstSecretIn(r)}`, code: 5.5 },
  }),
};

function expectNoSecret(error: unknown) {
  expect(error).toBeInstanceOf(DeviceLoginError);
  const views = [
    (error as Error).message,
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 5, showHidden: false }),
  ];
  for (const view of views) for (const secret of ALL) expect(view).not.toContain(secret);
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(Object.entries(OPERATIONS))('%s never leaks a secret', (_, call) => {
  it.each(Object.entries(RESPONSES))('%s', async (__, respond) => {
    server.reply(respond);
    // Some shapes happen to be valid for an operation (a 200 error body for Logout is not); most are errors.
    const error = await call(server.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error !== undefined) expectNoSecret(error);
  });

  it('network failure', async () => {
    expectNoSecret(await failure(call(await unusedUrl())));
  });

  it('abort', async () => {
    const controller = new AbortController();
    server.reply(() => {
      controller.abort();
      return { status: 200, hang: true };
    });
    expectNoSecret(await failure(call(server.url, { signal: controller.signal })));
  });
});

it('every response shape above is a failure for every operation, except a 200 body for Logout', async () => {
  // Guards the scan itself: had the shapes been accepted as successes, it would be checking nothing.
  const successes: string[] = [];
  for (const [operation, call] of Object.entries(OPERATIONS)) {
    for (const [shape, respond] of Object.entries(RESPONSES)) {
      server.reply(respond);
      await call(server.url).then(
        () => successes.push(`${operation}: ${shape}`),
        () => undefined,
      );
    }
  }
  // Logout ignores its body by design (it answers with nothing).
  expect(successes).toEqual(['Logout: success shape with every member wrong, secrets inside']);
});
