/**
 * The proxy served by a real node:http server through `toNodeMiddleware`, in front of the emulator (a faithful
 * local IAM Identity Center over real HTTP). Clients are the kit's own (`createSsoOidcClient`,
 * `createSsoPortalClient`) and the AWS SDK v3 clients, pointed at the proxy; `aws.requests()` shows what reached
 * "AWS".
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetRoleCredentialsCommand,
  ListAccountsCommand,
  SSOClient,
  UnauthorizedException,
} from '@aws-sdk/client-sso';
import {
  AuthorizationPendingException,
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { type RunningEmulator, startEmulator } from '@oidc-device-login/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.ts';
import { createSsoProxy, type SsoProxyErrorInfo, type SsoProxyOptions } from '../proxy/index.ts';
import { toNodeMiddleware } from '../proxy/node.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import { createSsoPortalClient } from '../ssoPortal.ts';
import { DEVICE_CODE_GRANT } from '../types.ts';
import { startHostileUpstream } from './hostileUpstream.ts';

/** Values the tests send; none may ever appear in a proxy error or an onError report. */
const SECRETS = {
  clientSecret: 'secret-client-secret-4242',
  deviceCode: 'secret-device-code-4242',
  accessToken: 'secret-access-token-4242',
  refreshToken: 'secret-refresh-token-4242',
} as const;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** node:http request: sends the path exactly as given (fetch would normalise `..` and `%2e` before sending). */
function rawRequest(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | string[] },
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        // Node frames a DELETE/OPTIONS body only with an explicit length.
        headers: {
          ...(typeof options.body === 'string'
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    // An array is written chunk by chunk: with no content-length, that is a chunked body.
    for (const chunk of Array.isArray(options.body) ? options.body : options.body ? [options.body] : []) {
      req.write(chunk);
    }
    req.end();
  });
}

/** An "app" server: the proxy middleware first, then the rest of the app, which answers `app` to anything. */
async function startApp(
  options: SsoProxyOptions,
  before?: (req: import('node:http').IncomingMessage & { body?: unknown }) => Promise<void>,
): Promise<{ url: string; server: Server }> {
  const middleware = toNodeMiddleware(createSsoProxy(options));
  const server = createServer(async (req, res) => {
    await before?.(req);
    middleware(req, res, (error?: unknown) => {
      res.writeHead(error ? 500 : 200, { 'content-type': 'text/plain' });
      res.end(error ? 'app error' : 'app');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Checks an AWS-shaped proxy error and that nothing secret leaked into it. */
function expectProxyError(res: RawResponse, status: number, exception: string, says: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-amzn-errortype']).toBe(exception);
  expect(res.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description', 'message']);
  expect(body.error_description).toMatch(/^SSO proxy: /);
  expect(body.error_description).toMatch(says);
  expect(body.message).toBe(body.error_description);
  for (const secret of Object.values(SECRETS)) expect(res.text).not.toContain(secret);
  return body;
}

let aws: RunningEmulator;
let app: { url: string; server: Server };
let errors: SsoProxyErrorInfo[];

const PROXY = (url: string): SsoProxyOptions => ({
  regions: ['us-east-1'],
  basePath: '/aws',
  upstream: { oidc: url, portal: url },
  onError: (info) => errors.push(info),
});

beforeAll(async () => {
  aws = await startEmulator();
});
afterAll(() => aws.close());
beforeEach(async () => {
  errors = [];
  aws.reset();
  app = await startApp(PROXY(aws.url));
});
afterEach(() => stop(app.server));

describe('a whole sign-in through the proxy', () => {
  it('register → start → approve → token → accounts → roles → credentials → logout with the kit clients', async () => {
    const oidc = createSsoOidcClient({ endpoint: `${app.url}/aws/us-east-1/oidc` });
    const portal = createSsoPortalClient({ endpoint: `${app.url}/aws/us-east-1/portal` });

    const client = await oidc.registerClient({
      clientName: 'proxy-test',
      clientType: 'public',
      scopes: ['sso:account:access'],
    });
    const device = await oidc.startDeviceAuthorization({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      startUrl: 'https://d-1234567890.awsapps.com/start',
    });
    const poll = () =>
      oidc.createToken({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        grantType: DEVICE_CODE_GRANT,
        deviceCode: device.deviceCode,
      });

    // x-amzn-ErrorType and x-amzn-RequestId came back through the proxy: the client names the AWS exception.
    const pending = await poll().catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(ServiceError);
    expect(pending).toMatchObject({
      code: 'authorization_pending',
      exception: 'AuthorizationPendingException',
      status: 400,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    aws.approve({ userCode: device.userCode }); // what the person does on the verification page
    aws.advance(device.interval); // wait the polling interval, on the emulator's clock
    const token = await poll();
    const accessToken = token.accessToken;

    const accounts = await portal.listAllAccounts({ accessToken });
    expect(accounts.map((a) => a.accountId)).toContain('111122223333');
    const roles = await portal.listAllAccountRoles({ accessToken, accountId: '111122223333' });
    expect(roles.length).toBeGreaterThan(0);
    const roleName = (roles[0] as { roleName: string }).roleName;
    const credentials = await portal.getRoleCredentials({ accessToken, accountId: '111122223333', roleName });
    expect(credentials.roleCredentials.accessKeyId).toMatch(/^ASIA/);
    await portal.logout({ accessToken });

    const loggedOut = await portal.listAccounts({ accessToken }).catch((e: unknown) => e);
    expect(loggedOut).toMatchObject({ code: 'unauthorized', status: 401 });

    const received = aws.requests();
    expect(received.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'RegisterClient 200',
      'StartDeviceAuthorization 200',
      'CreateToken 400',
      'CreateToken 200',
      'ListAccounts 200',
      'ListAccountRoles 200',
      'GetRoleCredentials 200',
      'Logout 200',
      'ListAccounts 401',
    ]);
    expect(received[6]?.query).toEqual({ account_id: '111122223333', role_name: roleName });
    expect(received[3]?.body).toEqual({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      grantType: DEVICE_CODE_GRANT,
      deviceCode: device.deviceCode,
    });
    for (const r of received) {
      const portalCall = ['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout'].includes(
        r.operation,
      );
      expect(r.headers['x-amz-sso_bearer_token'] !== undefined, r.operation).toBe(portalCall);
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers.origin).toBeUndefined();
    }
    expect(errors).toEqual([]);
  });

  it('is transparent to the AWS SDK v3 clients (typed exceptions, request ids)', async () => {
    const oidc = new SSOOIDCClient({
      region: 'us-east-1',
      endpoint: `${app.url}/aws/us-east-1/oidc`,
      maxAttempts: 1,
    });
    const portal = new SSOClient({
      region: 'us-east-1',
      endpoint: `${app.url}/aws/us-east-1/portal`,
      maxAttempts: 1,
    });
    const client = await oidc.send(new RegisterClientCommand({ clientName: 'sdk', clientType: 'public' }));
    expect(client.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        startUrl: 'https://d-1234567890.awsapps.com/start',
      }),
    );
    const createToken = new CreateTokenCommand({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      grantType: DEVICE_CODE_GRANT,
      deviceCode: device.deviceCode,
    });
    const pending = await oidc.send(createToken).catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(AuthorizationPendingException);
    aws.approve({ userCode: device.userCode as string });
    aws.advance(device.interval ?? 5);
    const { accessToken } = await oidc.send(createToken);
    // alice (approve()'s default user) is AdministratorAccess on the dev account in the emulator's seed.
    const credentials = await portal.send(
      new GetRoleCredentialsCommand({
        accessToken,
        accountId: '111122223333',
        roleName: 'AdministratorAccess',
      }),
    );
    expect(credentials.roleCredentials?.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.roleCredentials?.expiration).toBeGreaterThan(Date.now());
    const denied = await portal
      .send(new ListAccountsCommand({ accessToken: 'wrong' }))
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(UnauthorizedException);
    // The SDK's own headers stop at the proxy.
    for (const r of aws.requests()) {
      expect(r.headers['x-amz-user-agent']).toBeUndefined();
      expect(r.headers['amz-sdk-invocation-id']).toBeUndefined();
      expect(r.headers['amz-sdk-request']).toBeUndefined();
    }
  });

  it("surfaces the proxy's own errors through the kit client as ServiceErrors that say what to fix", async () => {
    const oidc = createSsoOidcClient({ endpoint: `${app.url}/aws/eu-west-1/oidc` });
    const error = await oidc
      .registerClient({ clientName: 'x', clientType: 'public' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 403, exception: 'ForbiddenException', code: 'invalid_request' });
    expect((error as ServiceError).message).toContain('Region "eu-west-1" is not allowed by this proxy');
    expect(aws.requests()).toEqual([]);
  });
});

describe('what is forwarded and passed back', () => {
  it('forwards no cookie, authorization, origin, referer or other client header to AWS', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/client/register',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        cookie: 'session=abc',
        authorization: 'Bearer app-token',
        origin: 'https://app.example',
        referer: 'https://app.example/login',
        'x-forwarded-for': '10.0.0.1',
        'x-amz-sso_bearer_token': SECRETS.accessToken,
        'x-amz-user-agent': 'aws-sdk-js/3',
        host: 'evil.example',
      },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    expect(res.status).toBe(200);
    const [received] = aws.requests();
    expect(received?.operation).toBe('RegisterClient');
    expect(received?.headers.host).toBe(new URL(aws.url).host);
    for (const name of [
      'cookie',
      'authorization',
      'origin',
      'referer',
      'x-forwarded-for',
      'x-amz-sso_bearer_token',
      'x-amz-user-agent',
    ]) {
      expect(received?.headers[name], name).toBeUndefined();
    }
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.body).toEqual({ clientName: 'x', clientType: 'public' });
  });

  it('passes back status, body, content-type, x-amzn-ErrorType and x-amzn-RequestId, with no-store', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'c',
        clientSecret: 's',
        grantType: DEVICE_CODE_GRANT,
        deviceCode: 'd',
      }),
    });
    const [received] = aws.requests();
    expect(res.status).toBe(received?.status);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toMatch(
      new RegExp(
        `^${received?.errorType}:http://internal\\.amazon\\.com/coral/com\\.amazonaws\\.sso\\.oidc/$`,
      ),
    );
    expect(JSON.parse(res.text)).toMatchObject({
      error: expect.any(String),
      error_description: expect.any(String),
    });
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    // Same-origin by default: no CORS headers at all.
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(errors).toEqual([]); // AWS errors pass through; onError is for the proxy's own
  });

  it('forwards only the known query parameters of each portal operation', async () => {
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/accounts?max_result=5&next_token=a%2Fb%2Bc%3D&evil=1&account_id=9&max_result=6',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expect(res.status).toBe(401); // not a token the emulator issued
    const [received] = aws.requests();
    expect(received?.operation).toBe('ListAccounts');
    expect(received?.query).toEqual({ max_result: '5', next_token: 'a/b+c=' });
    expect(received?.headers['x-amz-sso_bearer_token']).toBe(SECRETS.accessToken);
    expect(received?.headers['content-type']).toBeUndefined();
  });

  it('leaves requests outside basePath to the rest of the app', async () => {
    const res = await rawRequest(app.url, { path: '/index.html' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('app');
    const sneaky = await rawRequest(app.url, {
      path: '//evil.example/aws/us-east-1/oidc/token',
      method: 'POST',
    });
    expect(sneaky.text).toBe('app');
    expect(aws.requests()).toEqual([]);
  });

  it('reads the path of an absolute-form request target, never its host', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: 'http://evil.example/aws/us-east-1/oidc/client/register',
      headers: { 'content-type': 'application/json' },
      body: '{"clientName":"x","clientType":"public"}',
    });
    expect(res.status).toBe(200);
    expect(aws.requests().map((r) => `${r.headers.host} ${r.path}`)).toEqual([
      `${new URL(aws.url).host} /client/register`,
    ]);
  });

  it("uses req.originalUrl when mounted under a prefix (app.use('/aws', …) strips it from req.url)", async () => {
    await stop(app.server);
    // What express and connect do for app.use('/aws', middleware).
    app = await startApp(PROXY(aws.url), async (req) => {
      const mounted = req as typeof req & { originalUrl?: string };
      mounted.originalUrl = req.url;
      req.url = req.url?.slice('/aws'.length);
    });
    await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/roles?account_id=1',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expect(aws.requests().map((r) => [r.operation, r.query])).toEqual([
      ['ListAccountRoles', { account_id: '1' }],
    ]);
  });

  it('without next (plain http.createServer) answers every path itself', async () => {
    const handler = toNodeMiddleware(createSsoProxy(PROXY(aws.url)));
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const outside = await rawRequest(url, { path: '/index.html' });
      expectProxyError(outside, 404, 'UnknownOperationException', /not under this proxy's basePath "\/aws"/);
      const inside = await rawRequest(url, {
        method: 'POST',
        path: '/aws/us-east-1/oidc/client/register',
        headers: { 'content-type': 'application/json' },
        body: '{"clientName":"plain","clientType":"public"}',
      });
      expect(inside.status).toBe(200);
      expect(inside.headers['cache-control']).toBe('no-store');
    } finally {
      await stop(server);
    }
  });

  it('forwards a body that a JSON body parser already consumed', async () => {
    await stop(app.server);
    // What express.json() does: read the stream to the end and leave the parsed object on req.body.
    app = await startApp(PROXY(aws.url), async (req) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      req.body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
    });
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/client/register',
      headers: { 'content-type': 'application/json' },
      body: '{"clientName":"parsed","clientType":"public"}',
    });
    expect(res.status).toBe(200);
    expect(aws.requests()[0]?.body).toEqual({ clientName: 'parsed', clientType: 'public' });
  });
});

describe('bad input gets an AWS-shaped error from the proxy and never reaches AWS', () => {
  const json = { 'content-type': 'application/json' };
  const secretBody = JSON.stringify({
    clientId: 'c',
    clientSecret: SECRETS.clientSecret,
    grantType: DEVICE_CODE_GRANT,
    deviceCode: SECRETS.deviceCode,
  });

  it.each([
    ['/aws/us-east-1/oidc/../../evil', 404],
    ['/aws/us-east-1/oidc/%2e%2e/%2e%2e/evil', 404],
    ['/aws/us-east-1/oidc%2Ftoken', 404],
    ['/aws/us-east-1/oidc/token%2F..%2F..%2Fevil', 404],
    ['/aws/us-east-1/oidc/token/', 404],
    ['/aws/us-east-1//oidc/token', 404],
    ['/aws/us-east-1/oidc/authorize', 404],
    ['/aws/us-east-1/oidc/device_verification', 404],
    ['/aws/https://evil.example/oidc/token', 404],
    ['/aws/us-east-1/OIDC/token', 404],
    ['/aws', 404],
    ['/aws/us-east-1%2F..%2F..%2Fevil.example/oidc/token', 403],
    ['/aws/evil.example/oidc/token', 403],
    ['/aws/eu-west-1/oidc/token', 403],
    ['/aws/us-east-1/dualstack/oidc/token', 403],
  ])('%s → %i', async (path, status) => {
    const res = await rawRequest(app.url, { method: 'POST', path, headers: json, body: secretBody });
    const body = expectProxyError(
      res,
      status,
      status === 404 ? 'UnknownOperationException' : 'ForbiddenException',
      status === 404 ? /no such route.*\/aws\/<region>\/oidc/ : /not allowed|dual-stack/,
    );
    if (path === '/aws/eu-west-1/oidc/token') {
      expect(body.error_description).toContain(
        'Region "eu-west-1" is not allowed by this proxy. Allowed: us-east-1',
      );
    }
    if (path.includes('evil.example')) expect(res.text).not.toContain('evil');
    expect(aws.requests()).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.status).toBe(status);
  });

  it('refuses a body over maxBodyBytes by its content-length without reading it (413)', async () => {
    const huge = JSON.stringify({ clientName: 'x'.repeat(70_000), clientSecret: SECRETS.clientSecret });
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/client/register',
      headers: json,
      body: huge,
    });
    expectProxyError(res, 413, 'RequestEntityTooLargeException', /larger than 65536 bytes.*maxBodyBytes/);
    expect(aws.requests()).toEqual([]);
    expect(errors.map((e) => [e.reason, e.operation, e.region])).toEqual([
      ['body_too_large', 'RegisterClient', 'us-east-1'],
    ]);
  });

  it('refuses a chunked body as soon as it passes maxBodyBytes (413)', async () => {
    const chunk = `"${'y'.repeat(16 * 1024)}",`;
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: { ...json, 'transfer-encoding': 'chunked' },
      body: ['[', ...Array.from({ length: 6 }, () => chunk), '0]'],
    });
    expectProxyError(res, 413, 'RequestEntityTooLargeException', /larger than 65536 bytes/);
    expect(aws.requests()).toEqual([]);
  });

  it('needs x-amz-sso_bearer_token on portal routes (401), and says why it may be missing', async () => {
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/federation/credentials?account_id=1&role_name=R',
      headers: { authorization: `Bearer ${SECRETS.accessToken}` },
    });
    expectProxyError(res, 401, 'UnauthorizedException', /x-amz-sso_bearer_token.*underscores_in_headers on;/);
    expect(aws.requests()).toEqual([]);
  });

  it.each([
    ['GET', '/aws/us-east-1/oidc/token', 'POST'],
    ['PUT', '/aws/us-east-1/oidc/client/register', 'POST'],
    ['POST', '/aws/us-east-1/portal/assignment/accounts', 'GET'],
    ['DELETE', '/aws/us-east-1/portal/logout', 'POST'],
    ['OPTIONS', '/aws/us-east-1/oidc/token', 'POST'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const res = await rawRequest(app.url, {
      method,
      path,
      headers: { ...json, 'x-amz-sso_bearer_token': SECRETS.accessToken },
      body: method === 'GET' || method === 'OPTIONS' ? undefined : secretBody,
    });
    expectProxyError(res, 405, 'MethodNotAllowedException', new RegExp(`takes ${allow}, not ${method}`));
    expect(res.headers.allow).toBe(allow);
    expect(aws.requests()).toEqual([]);
  });

  it('needs content-type application/json on SSO OIDC routes (415) and a JSON object body (400)', async () => {
    const form = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: { 'content-type': 'text/plain' },
      body: secretBody,
    });
    expectProxyError(form, 415, 'UnsupportedMediaTypeException', /content-type: application\/json/);
    const notJson = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: json,
      body: `deviceCode=${SECRETS.deviceCode}`,
    });
    expectProxyError(
      notJson,
      400,
      'InvalidRequestException',
      /CreateToken needs a body that is a JSON object/,
    );
    const array = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: json,
      body: '[]',
    });
    expectProxyError(array, 400, 'InvalidRequestException', /JSON object/);
    expect(aws.requests()).toEqual([]);
    expect(JSON.stringify(errors)).not.toContain(SECRETS.deviceCode);
  });

  it('answers 502 when AWS cannot be reached, and tells onError why without secrets', async () => {
    const gone = await startEmulator();
    await gone.close(); // nothing listens on this port any more
    await stop(app.server);
    app = await startApp(PROXY(gone.url));
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: json,
      body: secretBody,
    });
    expectProxyError(res, 502, 'BadGatewayException', /could not reach http:\/\/127\.0\.0\.1:\d+ \(network/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      reason: 'upstream_unreachable',
      status: 502,
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      region: 'us-east-1',
      operation: 'CreateToken',
    });
    expect(errors[0]?.cause).toBeInstanceOf(Error);
    const { cause: _cause, ...info } = errors[0] as SsoProxyErrorInfo;
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(info)).not.toContain(secret);
  });

  it('answers 502 when AWS drops the connection', async () => {
    aws.fault({ operation: 'StartDeviceAuthorization', drop: true });
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/device_authorization',
      headers: json,
      body: secretBody,
    });
    expectProxyError(res, 502, 'BadGatewayException', /could not reach/);
    expect(aws.requests().map((r) => [r.operation, r.status])).toEqual([['StartDeviceAuthorization', 0]]);
  });
});

describe('hardening (security review)', () => {
  const register = (headers: Record<string, string>) =>
    rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/client/register',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });

  it('refuses a browser request another site made (Sec-Fetch-Site), unless its origin is allowed (403)', async () => {
    // A JSON POST needs a preflight, which the browser would not pass; this is the second line, for the day a
    // browser or a plugin gets that wrong.
    for (const site of ['cross-site', 'same-site']) {
      const res = await register({ 'sec-fetch-site': site, origin: 'https://evil.example' });
      expectProxyError(
        res,
        403,
        'ForbiddenException',
        /"https:\/\/evil\.example" are not allowed.*allowedOrigins/,
      );
    }
    const navigation = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/accounts',
      headers: { 'sec-fetch-site': 'cross-site', 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expectProxyError(navigation, 403, 'ForbiddenException', /from this page are not allowed/);
    expect(aws.requests()).toEqual([]);
    expect(errors.map((e) => [e.reason, e.status, e.operation])).toEqual([
      ['cross_site_request', 403, 'RegisterClient'],
      ['cross_site_request', 403, 'RegisterClient'],
      ['cross_site_request', 403, 'ListAccounts'],
    ]);

    // Same-origin pages, and clients that send no Fetch Metadata (CLIs, servers, older browsers), go through.
    expect((await register({ 'sec-fetch-site': 'same-origin', origin: app.url })).status).toBe(200);
    expect((await register({})).status).toBe(200);
    expect((await register({ origin: 'https://evil.example' })).status).toBe(200);
    expect(aws.requests().map((r) => r.operation)).toEqual([
      'RegisterClient',
      'RegisterClient',
      'RegisterClient',
    ]);

    // An allowed origin on a sibling subdomain (same-site) or elsewhere (cross-site) is served.
    await stop(app.server);
    app = await startApp({ ...PROXY(aws.url), allowedOrigins: ['https://app.example'] });
    for (const site of ['cross-site', 'same-site']) {
      const res = await register({ 'sec-fetch-site': site, origin: 'https://app.example' });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    }
    expectProxyError(
      await register({ 'sec-fetch-site': 'same-site', origin: 'https://other.app.example' }),
      403,
      'ForbiddenException',
      /"https:\/\/other\.app\.example" are not allowed/,
    );
  });

  it('answers 502 to an upstream answer over 1 MiB and stops reading it', async () => {
    const hostile = await startHostileUpstream();
    try {
      await stop(app.server);
      app = await startApp({
        ...PROXY(aws.url),
        upstream: { oidc: `${hostile.url}/huge`, portal: hostile.url },
      });
      const res = await register({});
      expectProxyError(
        res,
        502,
        'BadGatewayException',
        /http:\/\/127\.0\.0\.1:\d+ answered with more than 1048576 bytes.*maxResponseBytes/,
      );
      expect(errors.map((e) => [e.reason, e.status, e.operation])).toEqual([
        ['upstream_too_large', 502, 'RegisterClient'],
      ]);
      // The upstream had 32 MiB to send; the proxy hung up after the first MiB (socket buffers take some more).
      await expect.poll(() => hostile.hugeBytesSent()).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await hostile.close();
    }
  });
});
