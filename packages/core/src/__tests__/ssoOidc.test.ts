import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DeviceLoginError,
  InvalidArgumentError,
  NetworkError,
  ProtocolError,
  ServiceError,
} from '../errors.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import {
  type CreateTokenInput,
  DEVICE_CODE_GRANT,
  type RegisterClientInput,
  type StartDeviceAuthorizationInput,
} from '../types.ts';
import {
  type CannedResponse,
  recordingFetch,
  startTestServer,
  type TestServer,
  unusedUrl,
} from './testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  vi.unstubAllGlobals();
});

const ok = (body: unknown, headers: Record<string, string> = {}): CannedResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-ok', ...headers },
  body,
});

const SECRET = 'S3CRET-VALUE-THAT-MUST-NOT-LEAK';

const REGISTRATION = {
  clientId: 'dummy-client-id',
  clientSecret: `${SECRET}-client-secret`,
  clientIdIssuedAt: 1700000000,
  clientSecretExpiresAt: 1707776000,
};
const DEVICE_AUTHORIZATION = {
  deviceCode: `${SECRET}-device-code`,
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
  expiresIn: 600,
  interval: 1,
};
const TOKEN = { accessToken: `${SECRET}-access-token`, tokenType: 'Bearer', expiresIn: 28800 };

const client = () => createSsoOidcClient({ endpoint: server.url });

describe('requests are what the AWS SDK sends (PROTOCOL §4 captures)', () => {
  it('RegisterClient', async () => {
    server.reply(ok(REGISTRATION));
    await client().registerClient({
      clientName: 'my-app',
      clientType: 'public',
      scopes: ['sso:account:access'],
    });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/client/register');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(
      '{"clientName":"my-app","clientType":"public","scopes":["sso:account:access"]}',
    );
    expect(request?.headerNames).not.toContain('authorization');
    expect(request?.headerNames.filter((name) => name.startsWith('x-amz'))).toEqual([]);
  });

  it('RegisterClient, auth-code + PKCE style: every member, in model order', async () => {
    server.reply(ok(REGISTRATION));
    // Members deliberately given out of order: the body follows the model, not the caller.
    await client().registerClient({
      issuerUrl: 'https://d-1234567890.awsapps.com/start',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      scopes: ['sso:account:access'],
      clientType: 'public',
      clientName: 'botocore-client-my-session',
    });
    expect(server.requests[0]?.body).toBe(
      '{"clientName":"botocore-client-my-session","clientType":"public","scopes":["sso:account:access"],' +
        '"redirectUris":["http://127.0.0.1/oauth/callback"],"grantTypes":["authorization_code","refresh_token"],' +
        '"issuerUrl":"https://d-1234567890.awsapps.com/start"}',
    );
  });

  it('RegisterClient omits null and undefined optionals (never sends null)', async () => {
    server.reply(ok(REGISTRATION));
    await client().registerClient({
      clientName: 'my-app',
      clientType: 'public',
      scopes: null,
      redirectUris: undefined,
      entitledApplicationArn: null,
    } as unknown as RegisterClientInput);
    expect(server.requests[0]?.body).toBe('{"clientName":"my-app","clientType":"public"}');
  });

  it('StartDeviceAuthorization', async () => {
    server.reply(ok(DEVICE_AUTHORIZATION));
    await client().startDeviceAuthorization({
      clientId: 'dummy-client-id',
      clientSecret: 'dummy-client-secret',
      startUrl: 'https://d-1234567890.awsapps.com/start',
    });
    const [request] = server.requests;
    expect(request?.url).toBe('/device_authorization');
    expect(request?.body).toBe(
      '{"clientId":"dummy-client-id","clientSecret":"dummy-client-secret","startUrl":"https://d-1234567890.awsapps.com/start"}',
    );
  });

  it('CreateToken, device_code', async () => {
    server.reply(ok(TOKEN));
    await client().createToken({
      clientId: 'dummy-client-id',
      clientSecret: 'dummy-client-secret',
      grantType: DEVICE_CODE_GRANT,
      deviceCode: 'dummy-device-code',
    });
    const [request] = server.requests;
    expect(request?.url).toBe('/token');
    expect(request?.body).toBe(
      '{"clientId":"dummy-client-id","clientSecret":"dummy-client-secret","grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"dummy-device-code"}',
    );
  });

  it('CreateToken, refresh_token', async () => {
    server.reply(ok(TOKEN));
    await client().createToken({
      clientId: 'dummy-client-id',
      clientSecret: 'dummy-client-secret',
      grantType: 'refresh_token',
      refreshToken: 'dummy-refresh-token',
    });
    expect(server.requests[0]?.body).toBe(
      '{"clientId":"dummy-client-id","clientSecret":"dummy-client-secret","grantType":"refresh_token","refreshToken":"dummy-refresh-token"}',
    );
  });

  it('CreateToken, authorization_code + PKCE', async () => {
    server.reply(ok(TOKEN));
    await client().createToken({
      codeVerifier: 'dummy-code-verifier',
      redirectUri: 'http://127.0.0.1:55555/oauth/callback',
      scope: ['sso:account:access'],
      code: 'dummy-auth-code',
      grantType: 'authorization_code',
      clientSecret: 'dummy-client-secret',
      clientId: 'dummy-client-id',
    });
    expect(server.requests[0]?.body).toBe(
      '{"clientId":"dummy-client-id","clientSecret":"dummy-client-secret","grantType":"authorization_code","code":"dummy-auth-code","scope":["sso:account:access"],"redirectUri":"http://127.0.0.1:55555/oauth/callback","codeVerifier":"dummy-code-verifier"}',
    );
  });

  it('keeps the path prefix of a custom endpoint (trailing slash tolerated)', async () => {
    server.reply(ok(TOKEN));
    const proxied = createSsoOidcClient({ endpoint: `${server.url}/aws-proxy/oidc/` });
    expect(proxied.endpoint).toBe(`${server.url}/aws-proxy/oidc`);
    await proxied.createToken({
      clientId: 'a',
      clientSecret: 'b',
      grantType: 'refresh_token',
      refreshToken: 'c',
    });
    expect(server.requests[0]?.url).toBe('/aws-proxy/oidc/token');
  });
});

describe('successful responses', () => {
  it('RegisterClient: nulls dropped, epoch seconds kept as numbers', async () => {
    server.reply(ok({ ...REGISTRATION, authorizationEndpoint: null, tokenEndpoint: null }));
    const output = await client().registerClient({ clientName: 'my-app', clientType: 'public' });
    expect(output).toStrictEqual(REGISTRATION);
  });

  it('RegisterClient: optional endpoints kept, unknown members dropped', async () => {
    server.reply(
      ok({
        ...REGISTRATION,
        authorizationEndpoint: 'https://oidc.us-east-1.amazonaws.com/authorize',
        tokenEndpoint: 'https://oidc.us-east-1.amazonaws.com/token',
        somethingNew: { nested: true },
      }),
    );
    const output = await client().registerClient({ clientName: 'my-app', clientType: 'public' });
    expect(output).toStrictEqual({
      ...REGISTRATION,
      authorizationEndpoint: 'https://oidc.us-east-1.amazonaws.com/authorize',
      tokenEndpoint: 'https://oidc.us-east-1.amazonaws.com/token',
    });
  });

  const start = () =>
    client().startDeviceAuthorization({
      clientId: 'id',
      clientSecret: 'secret',
      startUrl: 'https://d-1234567890.awsapps.com/start',
    });

  it('StartDeviceAuthorization: the captured response', async () => {
    server.reply(ok(DEVICE_AUTHORIZATION));
    expect(await start()).toStrictEqual(DEVICE_AUTHORIZATION);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ])('StartDeviceAuthorization: interval %s → 5 (RFC 8628 §3.2)', async (_, interval) => {
    server.reply(ok({ ...DEVICE_AUTHORIZATION, interval, verificationUriComplete: null, extra: 1 }));
    const output = await start();
    expect(output.interval).toBe(5);
    expect(output).not.toHaveProperty('verificationUriComplete');
    expect(output).not.toHaveProperty('extra');
  });

  it('StartDeviceAuthorization: http verification URIs are allowed (the emulator serves http)', async () => {
    server.reply(ok({ ...DEVICE_AUTHORIZATION, verificationUri: 'http://127.0.0.1:9999/device' }));
    expect((await start()).verificationUri).toBe('http://127.0.0.1:9999/device');
  });

  it('CreateToken: refreshToken kept, idToken null dropped, unknown members dropped', async () => {
    server.reply(
      ok({ ...TOKEN, refreshToken: `${SECRET}-refresh`, idToken: null, awsAdditionalDetails: { x: 1 } }),
    );
    const output = await client().createToken({
      clientId: 'id',
      clientSecret: 'secret',
      grantType: DEVICE_CODE_GRANT,
      deviceCode: 'dc',
    });
    expect(output).toStrictEqual({ ...TOKEN, refreshToken: `${SECRET}-refresh` });
  });
});

/** Runs `call` and returns what it rejected with, after checking no secret leaked into it. */
async function rejection(call: Promise<unknown>): Promise<DeviceLoginError> {
  const error = await call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeviceLoginError);
  const dump = `${String(error)} ${(error as Error).message} ${JSON.stringify(error)}`;
  expect(dump).not.toContain(SECRET);
  return error as DeviceLoginError;
}

type Operation = 'RegisterClient' | 'StartDeviceAuthorization' | 'CreateToken';

function callOperation(operation: Operation, endpoint = server.url) {
  const oidc = createSsoOidcClient({ endpoint });
  switch (operation) {
    case 'RegisterClient':
      return oidc.registerClient({ clientName: 'app', clientType: 'public' });
    case 'StartDeviceAuthorization':
      return oidc.startDeviceAuthorization({
        clientId: 'id',
        clientSecret: SECRET,
        startUrl: 'https://d-1234567890.awsapps.com/start',
      });
    case 'CreateToken':
      return oidc.createToken({
        clientId: 'id',
        clientSecret: SECRET,
        grantType: DEVICE_CODE_GRANT,
        deviceCode: 'dc',
      });
    default:
      return operation satisfies never;
  }
}

describe('malformed success bodies → ProtocolError naming the member', () => {
  const cases: [Operation, Record<string, unknown>, string, 'invalid_response' | 'unsafe_url'][] = [
    ['RegisterClient', { ...REGISTRATION, clientId: undefined }, 'clientId', 'invalid_response'],
    ['RegisterClient', { ...REGISTRATION, clientId: '' }, 'clientId', 'invalid_response'],
    ['RegisterClient', { ...REGISTRATION, clientSecret: 12345 }, 'clientSecret', 'invalid_response'],
    [
      'RegisterClient',
      { ...REGISTRATION, clientIdIssuedAt: '2023-11-14T22:13:20Z' },
      'clientIdIssuedAt',
      'invalid_response',
    ],
    ['RegisterClient', { ...REGISTRATION, clientIdIssuedAt: -1 }, 'clientIdIssuedAt', 'invalid_response'],
    [
      'RegisterClient',
      { ...REGISTRATION, clientSecretExpiresAt: 1707776000000 },
      'clientSecretExpiresAt',
      'invalid_response',
    ],
    [
      'RegisterClient',
      { ...REGISTRATION, clientSecretExpiresAt: 1707776000.5 },
      'clientSecretExpiresAt',
      'invalid_response',
    ],
    [
      'RegisterClient',
      { ...REGISTRATION, clientSecretExpiresAt: null },
      'clientSecretExpiresAt',
      'invalid_response',
    ],
    ['RegisterClient', { ...REGISTRATION, tokenEndpoint: 42 }, 'tokenEndpoint', 'invalid_response'],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, deviceCode: undefined },
      'deviceCode',
      'invalid_response',
    ],
    ['StartDeviceAuthorization', { ...DEVICE_AUTHORIZATION, userCode: '' }, 'userCode', 'invalid_response'],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUri: undefined },
      'verificationUri',
      'invalid_response',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUri: 'javascript:alert(1)' },
      'verificationUri',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUri: '/device?user_code=X' },
      'verificationUri',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUriComplete: 'data:text/html,<b>x</b>' },
      'verificationUriComplete',
      'unsafe_url',
    ],
    // What the person reads must be where it leads: no user info before the host, no hidden characters.
    [
      'StartDeviceAuthorization',
      {
        ...DEVICE_AUTHORIZATION,
        verificationUri: 'https://device.sso.us-east-1.amazonaws.com@evil.example/',
      },
      'verificationUri',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUri: 'https://aws:pw@evil.example/' },
      'verificationUri',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      {
        ...DEVICE_AUTHORIZATION,
        verificationUri: 'https://device.sso.us-east-1.amazonaws.com\t.evil.example/',
      },
      'verificationUri',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUriComplete: 'https://evil.example/\u202Emoc.nozama' },
      'verificationUriComplete',
      'unsafe_url',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, verificationUriComplete: 7 },
      'verificationUriComplete',
      'invalid_response',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, expiresIn: undefined },
      'expiresIn',
      'invalid_response',
    ],
    ['StartDeviceAuthorization', { ...DEVICE_AUTHORIZATION, expiresIn: 0 }, 'expiresIn', 'invalid_response'],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, expiresIn: '600' },
      'expiresIn',
      'invalid_response',
    ],
    [
      'StartDeviceAuthorization',
      { ...DEVICE_AUTHORIZATION, expiresIn: 599.5 },
      'expiresIn',
      'invalid_response',
    ],
    ['StartDeviceAuthorization', { ...DEVICE_AUTHORIZATION, interval: 0 }, 'interval', 'invalid_response'],
    ['StartDeviceAuthorization', { ...DEVICE_AUTHORIZATION, interval: -5 }, 'interval', 'invalid_response'],
    ['StartDeviceAuthorization', { ...DEVICE_AUTHORIZATION, interval: '5' }, 'interval', 'invalid_response'],
    ['CreateToken', { ...TOKEN, accessToken: undefined }, 'accessToken', 'invalid_response'],
    ['CreateToken', { ...TOKEN, accessToken: null }, 'accessToken', 'invalid_response'],
    ['CreateToken', { ...TOKEN, tokenType: undefined }, 'tokenType', 'invalid_response'],
    ['CreateToken', { ...TOKEN, expiresIn: undefined }, 'expiresIn', 'invalid_response'],
    ['CreateToken', { ...TOKEN, refreshToken: 12 }, 'refreshToken', 'invalid_response'],
    [
      'CreateToken',
      { ...TOKEN, refreshToken: `${SECRET}-refresh`, expiresIn: -3600 },
      'expiresIn',
      'invalid_response',
    ],
    ['CreateToken', { ...TOKEN, idToken: {} }, 'idToken', 'invalid_response'],
  ];

  it.each(cases)('%s with a bad %#: member %s → %s', async (operation, body, member, code) => {
    // The fixtures' secrets contain SECRET: the error must name the member but never quote the body.
    server.reply(ok(body));
    const error = await rejection(callOperation(operation));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe(code);
    expect(error.message).toContain(`${operation} response: member "${member}"`);
    expect((error as ProtocolError).status).toBe(200);
    expect((error as ProtocolError).requestId).toBe('req-ok');
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"hello"'],
  ])('a JSON %s instead of an object', async (got, text) => {
    server.reply({ status: 200, headers: { 'content-type': 'application/json' }, body: text });
    const error = await rejection(callOperation('CreateToken'));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toBe(`CreateToken: expected a JSON object, got ${got} (HTTP 200)`);
  });

  it('an empty 200', async () => {
    server.reply({ status: 200 });
    const error = await rejection(callOperation('RegisterClient'));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
    expect(error.message).toContain('empty');
  });
});

describe('non-JSON answers', () => {
  const html = `<html><body>Corporate login ${SECRET}</body></html>`;

  it('an HTML page with 200 → ProtocolError that says what came back, not the body', async () => {
    server.reply({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html });
    const error = await rejection(callOperation('StartDeviceAuthorization'));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toBe(
      'StartDeviceAuthorization: expected JSON, got text/html (HTTP 200) — is a proxy or login page in the way?',
    );
    expect(error.message).not.toContain('Corporate');
  });

  it('case L: 400 text/html without an error type → ProtocolError', async () => {
    server.reply({ status: 400, headers: { 'content-type': 'text/html' }, body: '<html>Bad</html>' });
    const error = await rejection(callOperation('CreateToken'));
    expect(error).toMatchObject({ code: 'invalid_response', status: 400 });
    expect(error.message).toContain('got text/html (HTTP 400)');
  });

  it('a 502 HTML page from a gateway → transient ServiceError server_error', async () => {
    server.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const error = await rejection(callOperation('CreateToken'));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'server_error', status: 502, operation: 'CreateToken' });
  });

  it('a non-JSON body with an x-amzn-ErrorType header is classified by the header', async () => {
    server.reply({ status: 400, headers: { 'x-amzn-errortype': 'SlowDownException' }, body: 'slow down' });
    expect(await rejection(callOperation('CreateToken'))).toMatchObject({ code: 'slow_down' });
  });

  it('an empty 401 → invalid_client by status', async () => {
    server.reply({ status: 401 });
    expect(await rejection(callOperation('StartDeviceAuthorization'))).toMatchObject({
      code: 'invalid_client',
      status: 401,
    });
  });

  it('a body without content-type is described as such', async () => {
    server.reply({ status: 200, body: 'plain' });
    const error = await rejection(callOperation('RegisterClient'));
    expect(error.message).toContain('got a body without a JSON content-type (HTTP 200)');
  });
});

describe('error responses → ServiceError with the operation', () => {
  it.each(['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'] as const)('%s', async (operation) => {
    server.reply({
      status: 400,
      headers: { 'x-amzn-errortype': 'InvalidRequestException', 'x-amzn-requestid': 'req-err' },
      body: { error: 'invalid_request', error_description: 'Invalid request' },
    });
    const error = await rejection(callOperation(operation));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'invalid_request',
      operation,
      status: 400,
      requestId: 'req-err',
      errorDescription: 'Invalid request',
    });
    expect(error.message).toBe(
      `${operation} failed with InvalidRequestException (HTTP 400): Invalid request`,
    );
  });

  it('case M: 200 with an OAuth error body is that error, not a success', async () => {
    server.reply(ok({ error: 'authorization_pending' }));
    expect(await rejection(callOperation('CreateToken'))).toMatchObject({
      code: 'authorization_pending',
      status: 200,
      operation: 'CreateToken',
    });
  });

  it('a server echoing the request secrets into its error text does not leak them', async () => {
    server.reply((request) => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: { error: 'invalid_grant', error_description: `bad request: ${request.body}` },
    }));
    const error = await rejection(callOperation('CreateToken'));
    expect(error.code).toBe('invalid_grant');
    expect((error as ServiceError).errorDescription).toContain('[redacted]');
  });
});

describe('redirects are not followed', () => {
  it('a 307 → ProtocolError; the secret is never re-sent to the Location', async () => {
    const elsewhere = await startTestServer();
    try {
      server.reply({ status: 307, headers: { location: `${elsewhere.url}/token?x=1` } });
      const error = await rejection(callOperation('CreateToken'));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toContain(`redirect (HTTP 307) to ${elsewhere.url}.`);
      expect(elsewhere.requests).toHaveLength(0);
      expect(server.requests).toHaveLength(1);
    } finally {
      await elsewhere.close();
    }
  });
});

async function invalidArgument(
  call: () => Promise<unknown>,
  argument: string,
): Promise<InvalidArgumentError> {
  const { fetch, calls } = recordingFetch();
  vi.stubGlobal('fetch', fetch);
  const error = await rejection(call());
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error.code).toBe('invalid_argument');
  expect((error as InvalidArgumentError).argument).toBe(argument);
  expect(error.message.startsWith(`${argument}: `)).toBe(true);
  expect(calls).toHaveLength(0);
  return error as InvalidArgumentError;
}

describe('input validation happens before any request', () => {
  // The global fetch is a recording one: whatever the endpoint, no call may reach it.
  const oidc = () => createSsoOidcClient({ region: 'us-east-1' });

  describe('registerClient', () => {
    const valid: RegisterClientInput = { clientName: 'my-app', clientType: 'public' };
    it.each([
      ['input', null],
      ['input', 'my-app'],
      ['input.clientName', { ...valid, clientName: undefined }],
      ['input.clientName', { ...valid, clientName: '' }],
      ['input.clientName', { ...valid, clientName: '   ' }],
      ['input.clientName', { ...valid, clientName: 7 }],
      ['input.clientType', { ...valid, clientType: 'confidential' }],
      ['input.clientType', { ...valid, clientType: undefined }],
      ['input.scopes', { ...valid, scopes: 'sso:account:access' }],
      ['input.scopes[1]', { ...valid, scopes: ['sso:account:access', ''] }],
      ['input.redirectUris[0]', { ...valid, redirectUris: [42] }],
      ['input.grantTypes', { ...valid, grantTypes: {} }],
      ['input.grantTypes[0]', { ...valid, grantTypes: ['urn:ietf:params:oauth:grant-type:device-code'] }],
      ['input.issuerUrl', { ...valid, issuerUrl: 'd-1234567890.awsapps.com/start' }],
      ['input.issuerUrl', { ...valid, issuerUrl: 'ftp://d-1234567890.awsapps.com/start' }],
      ['input.entitledApplicationArn', { ...valid, entitledApplicationArn: 5 }],
    ])('%s: %j', async (argument, input) => {
      await invalidArgument(() => oidc().registerClient(input as RegisterClientInput), argument);
    });

    it('says what clientType must be', async () => {
      const error = await invalidArgument(
        () =>
          oidc().registerClient({ ...valid, clientType: 'confidential' } as unknown as RegisterClientInput),
        'input.clientType',
      );
      expect(error.message).toContain('"public"');
    });
  });

  describe('startDeviceAuthorization', () => {
    const valid: StartDeviceAuthorizationInput = {
      clientId: 'id',
      clientSecret: SECRET,
      startUrl: 'https://d-1234567890.awsapps.com/start',
    };
    it.each([
      ['input', undefined],
      ['input.clientId', { ...valid, clientId: undefined }],
      ['input.clientId', { ...valid, clientId: '' }],
      ['input.clientSecret', { ...valid, clientSecret: undefined }],
      ['input.clientSecret', { ...valid, clientSecret: ' ' }],
      ['input.startUrl', { ...valid, startUrl: undefined }],
      ['input.startUrl', { ...valid, startUrl: 'd-1234567890.awsapps.com/start' }],
      ['input.startUrl', { ...valid, startUrl: 'http://d-1234567890.awsapps.com/start' }],
      ['input.startUrl', { ...valid, startUrl: 'ftp://d-1234567890.awsapps.com/start' }],
      ['input.startUrl', { ...valid, startUrl: 'http://127.0.0.2/start' }],
    ])('%s: %j', async (argument, input) => {
      await invalidArgument(
        () => oidc().startDeviceAuthorization(input as StartDeviceAuthorizationInput),
        argument,
      );
    });

    it('explains the loopback exception for http', async () => {
      const error = await invalidArgument(
        () => oidc().startDeviceAuthorization({ ...valid, startUrl: 'http://sso.example/start' }),
        'input.startUrl',
      );
      expect(error.message).toContain('127.0.0.1, localhost and [::1]');
    });

    it.each(['http://127.0.0.1:8080/start', 'http://localhost/start', 'http://[::1]:9000/start'])(
      'allows http on the loopback host %s (the emulator)',
      async (startUrl) => {
        const { fetch, calls } = recordingFetch();
        const error = await rejection(
          createSsoOidcClient({ endpoint: server.url, fetch }).startDeviceAuthorization({
            ...valid,
            startUrl,
          }),
        );
        // The request was attempted (the recording fetch then failed it), so validation let it through.
        expect(error).toBeInstanceOf(NetworkError);
        expect(calls).toHaveLength(1);
        expect(JSON.parse(String(calls[0]?.init?.body)).startUrl).toBe(startUrl);
      },
    );
  });

  describe('createToken', () => {
    const base = { clientId: 'id', clientSecret: SECRET };
    const device = { ...base, grantType: DEVICE_CODE_GRANT, deviceCode: SECRET };
    const refresh = { ...base, grantType: 'refresh_token', refreshToken: SECRET };
    const authCode = {
      ...base,
      grantType: 'authorization_code',
      code: SECRET,
      redirectUri: 'http://127.0.0.1:55555/oauth/callback',
    };
    it.each([
      ['input', 42],
      ['input.clientId', { ...device, clientId: undefined }],
      ['input.clientSecret', { ...device, clientSecret: undefined }],
      ['input.clientSecret', { ...device, clientSecret: 12345 }],
      ['input.grantType', { ...device, grantType: undefined }],
      ['input.grantType', { ...device, grantType: 'password' }],
      ['input.grantType', { ...device, grantType: 'urn:ietf:params:oauth:grant-type:device-code' }],
      ['input.deviceCode', { ...device, deviceCode: undefined }],
      ['input.deviceCode', { ...device, deviceCode: '' }],
      ['input.refreshToken', { ...refresh, refreshToken: undefined }],
      ['input.code', { ...authCode, code: undefined }],
      ['input.redirectUri', { ...authCode, redirectUri: undefined }],
      ['input.redirectUri', { ...authCode, redirectUri: '/oauth/callback' }],
      ['input.codeVerifier', { ...authCode, codeVerifier: 99 }],
      ['input.deviceCode', { ...refresh, deviceCode: SECRET }],
      ['input.refreshToken', { ...device, refreshToken: SECRET }],
      ['input.codeVerifier', { ...device, codeVerifier: SECRET }],
      ['input.redirectUri', { ...refresh, redirectUri: 'http://127.0.0.1/cb' }],
      ['input.code', { ...device, code: SECRET }],
      ['input.scope', { ...device, scope: 'sso:account:access' }],
      ['input.scope[0]', { ...device, scope: [null] }],
    ])('%s: %#', async (argument, input) => {
      await invalidArgument(() => oidc().createToken(input as CreateTokenInput), argument);
    });

    it('names the hyphen typo of the device grant', async () => {
      const error = await invalidArgument(
        () =>
          oidc().createToken({
            ...device,
            grantType: 'urn:ietf:params:oauth:grant-type:device-code',
          } as unknown as CreateTokenInput),
        'input.grantType',
      );
      expect(error.message).toContain('device-code');
      expect(error.message).toContain(DEVICE_CODE_GRANT);
    });

    it('says which grant a stray member belongs to', async () => {
      const error = await invalidArgument(
        () => oidc().createToken({ ...refresh, deviceCode: SECRET } as unknown as CreateTokenInput),
        'input.deviceCode',
      );
      expect(error.message).toBe(
        `input.deviceCode: does not belong to grantType "refresh_token" (it is used with "${DEVICE_CODE_GRANT}"): remove it`,
      );
    });

    it('null members of another grant count as unset', async () => {
      server.reply(ok(TOKEN));
      await createSsoOidcClient({ endpoint: server.url }).createToken({
        ...refresh,
        deviceCode: null,
      } as unknown as CreateTokenInput);
      expect(server.requests[0]?.body).not.toContain('deviceCode');
    });
  });
});

describe('config', () => {
  it('is validated at creation', () => {
    expect(() => createSsoOidcClient({ region: 'moon-base-1' })).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', argument: 'config.region' }),
    );
    expect(() => createSsoOidcClient({ endpoint: 'https://p.example', fips: true })).toThrowError(
      expect.objectContaining({ argument: 'config.fips' }),
    );
    expect(() => createSsoOidcClient({ fetch: 'fetch' as unknown as typeof fetch })).toThrowError(
      expect.objectContaining({ argument: 'config.fetch' }),
    );
    expect(() => createSsoOidcClient(5 as never)).toThrowError(
      expect.objectContaining({ argument: 'config' }),
    );
  });

  it('exposes the resolved endpoint', () => {
    expect(createSsoOidcClient().endpoint).toBe('https://oidc.us-east-1.amazonaws.com');
    expect(createSsoOidcClient({ region: 'eu-west-1', dualStack: true }).endpoint).toBe(
      'https://oidc.eu-west-1.api.aws',
    );
  });
});

describe('transport', () => {
  const realFetch = globalThis.fetch;

  it('looks up globalThis.fetch at call time and calls it with `this` = globalThis', async () => {
    const oidc = createSsoOidcClient({ endpoint: server.url });
    const seen: unknown[] = [];
    // Installed after the client was created, and as strict as a browser's fetch about its receiver.
    vi.stubGlobal('fetch', function (this: unknown, input: string, init?: RequestInit) {
      seen.push(this);
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return realFetch(input, init);
    });
    server.reply(ok(REGISTRATION));
    await oidc.registerClient({ clientName: 'a', clientType: 'public' });
    expect(seen).toEqual([globalThis]);
  });

  it('calls a caller fetch detached from the config object (no "Illegal invocation")', async () => {
    const config = {
      endpoint: server.url,
      fetch(this: unknown, input: string | URL | Request, init?: RequestInit) {
        if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
        return realFetch(input, init);
      },
    };
    server.reply(ok(REGISTRATION));
    await expect(
      createSsoOidcClient(config).registerClient({ clientName: 'a', clientType: 'public' }),
    ).resolves.toEqual(REGISTRATION);
  });

  it('a caller fetch resolving to something other than a Response is named', async () => {
    const oidc = createSsoOidcClient({
      endpoint: server.url,
      fetch: async () => ({ ok: true }) as unknown as Response,
    });
    const error = await rejection(oidc.registerClient({ clientName: 'a', clientType: 'public' }));
    expect(error).toMatchObject({ code: 'invalid_argument', argument: 'config.fetch' });
  });

  it('fails clearly when the runtime has no fetch', async () => {
    vi.stubGlobal('fetch', undefined);
    const error = await rejection(callOperation('RegisterClient'));
    expect(error).toMatchObject({ code: 'invalid_argument', argument: 'config.fetch' });
  });

  it('fetch rejecting (nothing listening) → NetworkError that explains the proxy', async () => {
    const endpoint = await unusedUrl();
    const error = await rejection(callOperation('CreateToken', endpoint));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('network_error');
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain('same-origin proxy');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a browser-style CORS rejection from the caller fetch → NetworkError', async () => {
    const oidc = createSsoOidcClient({
      endpoint: 'https://oidc.example',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const error = await rejection(oidc.registerClient({ clientName: 'a', clientType: 'public' }));
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('abort while the request is in flight → code aborted, never a NetworkError', async () => {
    const controller = new AbortController();
    server.reply(() => {
      controller.abort();
      return { status: 200, hang: true };
    });
    const error = await rejection(
      client().createToken(
        { clientId: 'id', clientSecret: SECRET, grantType: DEVICE_CODE_GRANT, deviceCode: SECRET },
        { signal: controller.signal },
      ),
    );
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(error.code).toBe('aborted');
    expect(error.message).toBe('CreateToken was aborted');
  });

  it('an already aborted signal → aborted, and no request', async () => {
    const { fetch, calls } = recordingFetch();
    const oidc = createSsoOidcClient({ endpoint: server.url, fetch });
    const error = await rejection(
      oidc.registerClient({ clientName: 'a', clientType: 'public' }, { signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('aborted');
    expect(calls).toHaveLength(0);
  });

  it('a timeout reason (AbortSignal.timeout) → code timeout', async () => {
    const controller = new AbortController();
    server.reply(() => {
      controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      return { status: 200, hang: true };
    });
    const error = await rejection(
      client().registerClient({ clientName: 'a', clientType: 'public' }, { signal: controller.signal }),
    );
    expect(error.code).toBe('timeout');
  });

  it('a fetch that ignores the signal still ends in aborted', async () => {
    const controller = new AbortController();
    const oidc = createSsoOidcClient({
      endpoint: server.url,
      fetch: async (input, init) => {
        const response = await realFetch(input, { ...init, signal: null });
        controller.abort();
        return response;
      },
    });
    server.reply(ok(REGISTRATION));
    const error = await rejection(
      oidc.registerClient({ clientName: 'a', clientType: 'public' }, { signal: controller.signal }),
    );
    expect(error.code).toBe('aborted');
  });
});
