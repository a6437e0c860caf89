/**
 * The proxy served by a real node:http server through `toNodeMiddleware`, in front of a real HTTP upstream that
 * answers like AWS (fakeSsoUpstream.ts). Clients are the AWS SDK v3 clients pointed at the proxy, which shows the
 * proxy is transparent to the reference implementation (typed exceptions come through `x-amzn-ErrorType`).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
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
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSsoProxy, type SsoProxyErrorInfo, type SsoProxyOptions } from '../proxy/index.ts';
import { toNodeMiddleware } from '../proxy/node.ts';
import { type FakeSsoUpstream, SECRETS, startFakeSsoUpstream } from './fakeSsoUpstream.ts';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

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

let upstream: FakeSsoUpstream;
let app: { url: string; server: Server };
let errors: SsoProxyErrorInfo[];

beforeAll(async () => {
  upstream = await startFakeSsoUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  errors = [];
  upstream.requests.length = 0;
  app = await startApp({
    regions: ['us-east-1'],
    basePath: '/aws',
    upstream: { oidc: upstream.url, portal: upstream.url },
    onError: (info) => errors.push(info),
  });
});
afterEach(() => stop(app.server));

describe('through the proxy with the AWS SDK clients', () => {
  it('runs register → start → pending → approve → token → accounts → roles → credentials → logout', async () => {
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

    const registration = await oidc.send(
      new RegisterClientCommand({
        clientName: 'proxy-test',
        clientType: 'public',
        scopes: ['sso:account:access'],
      }),
    );
    expect(registration.clientSecret).toBe(SECRETS.clientSecret);
    expect(registration.$metadata.requestId).toMatch(/^req-/);

    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        startUrl: 'https://d-1234567890.awsapps.com/start',
      }),
    );
    expect(device.userCode).toBe('WXYZ-1234');

    const createToken = new CreateTokenCommand({
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      grantType: DEVICE_CODE_GRANT,
      deviceCode: device.deviceCode,
    });
    // The typed SDK exception proves x-amzn-ErrorType came through unchanged.
    const pending = await oidc.send(createToken).catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(AuthorizationPendingException);
    expect((pending as AuthorizationPendingException).error_description).toBe(
      'Authorization is still pending',
    );
    expect((pending as AuthorizationPendingException).$metadata.httpStatusCode).toBe(400);

    upstream.approve(device.userCode as string);
    const token = await oidc.send(createToken);
    expect(token.accessToken).toBe(SECRETS.accessToken);
    const accessToken = token.accessToken as string;

    const accounts = await portal.send(new ListAccountsCommand({ accessToken, maxResults: 10 }));
    expect(accounts.accountList).toEqual([
      { accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com' },
    ]);
    const roles = await portal.send(new ListAccountRolesCommand({ accessToken, accountId: '111122223333' }));
    expect(roles.roleList).toEqual([{ roleName: 'ReadOnly', accountId: '111122223333' }]);
    const credentials = await portal.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: '111122223333', roleName: 'ReadOnly' }),
    );
    expect(credentials.roleCredentials?.secretAccessKey).toBe(SECRETS.secretAccessKey);
    expect(credentials.roleCredentials?.expiration).toBe(1_700_003_600_000);
    await portal.send(new LogoutCommand({ accessToken }));

    const denied = await portal
      .send(new ListAccountsCommand({ accessToken: 'wrong' }))
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(UnauthorizedException);

    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /client/register',
      'POST /device_authorization',
      'POST /token',
      'POST /token',
      'GET /assignment/accounts?max_result=10',
      'GET /assignment/roles?account_id=111122223333',
      'GET /federation/credentials?account_id=111122223333&role_name=ReadOnly',
      'POST /logout',
      'GET /assignment/accounts',
    ]);
    // The SDK's own headers are not forwarded; only what AWS needs is.
    for (const received of upstream.requests) {
      expect(received.headers['x-amz-user-agent']).toBeUndefined();
      expect(received.headers['amz-sdk-invocation-id']).toBeUndefined();
      expect(received.headers['amz-sdk-request']).toBeUndefined();
    }
    expect(upstream.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(upstream.requests[2]?.body ?? '')).toEqual({
      clientId: 'client-id-1',
      clientSecret: SECRETS.clientSecret,
      grantType: DEVICE_CODE_GRANT,
      deviceCode: SECRETS.deviceCode,
    });
    expect(upstream.requests[7]?.headers['x-amz-sso_bearer_token']).toBe(SECRETS.accessToken);
    expect(upstream.requests[7]?.headers['content-length']).toBe('0');
    expect(errors).toEqual([]);
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
    const received = upstream.requests[0];
    expect(received?.headers.host).toBe(new URL(upstream.url).host);
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
    expect(received?.body).toBe('{"clientName":"x","clientType":"public"}');
  });

  it('passes back status, body, content-type, x-amzn-ErrorType and x-amzn-RequestId; drops set-cookie', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'c',
        clientSecret: 's',
        grantType: DEVICE_CODE_GRANT,
        deviceCode: 'other',
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant provided',
    });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe(
      'InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/',
    );
    expect(res.headers['x-amzn-requestid']).toMatch(/^req-\d+$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-amz-cf-id']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Same-origin by default: no CORS headers at all.
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(errors).toEqual([]); // AWS errors pass through; onError is for the proxy's own
  });

  it('forwards only the known query parameters of each portal operation', async () => {
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/accounts?max_result=5&next_token=a%2Fb%2Bc%3D&evil=1&account_id=9&max_result=6',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.url).toBe('/assignment/accounts?max_result=5&next_token=a%2Fb%2Bc%3D');
    expect(upstream.requests[0]?.headers['x-amz-sso_bearer_token']).toBe(SECRETS.accessToken);
    expect(upstream.requests[0]?.headers['content-type']).toBeUndefined();
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
    expect(upstream.requests).toEqual([]);
  });

  it('reads the path of an absolute-form request target, never its host', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: 'http://evil.example/aws/us-east-1/oidc/client/register',
      headers: { 'content-type': 'application/json' },
      body: '{"clientName":"x","clientType":"public"}',
    });
    expect(res.status).toBe(200);
    expect(upstream.requests.map((r) => `${r.headers.host} ${r.url}`)).toEqual([
      `${new URL(upstream.url).host} /client/register`,
    ]);
  });

  it("uses req.originalUrl when mounted under a prefix (app.use('/aws', …) strips it from req.url)", async () => {
    await stop(app.server);
    app = await startApp(
      { regions: ['us-east-1'], basePath: '/aws', upstream: { oidc: upstream.url, portal: upstream.url } },
      // What express and connect do for app.use('/aws', middleware).
      async (req) => {
        const mounted = req as typeof req & { originalUrl?: string };
        mounted.originalUrl = req.url;
        req.url = req.url?.slice('/aws'.length);
      },
    );
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/roles?account_id=1',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expect(res.status).toBe(200);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/assignment/roles?account_id=1']);
  });

  it('without next (plain http.createServer) answers every path itself', async () => {
    const handler = toNodeMiddleware(
      createSsoProxy({
        regions: ['us-east-1'],
        basePath: '/aws',
        upstream: { oidc: upstream.url, portal: upstream.url },
      }),
    );
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const outside = await rawRequest(url, { path: '/index.html' });
      expectProxyError(outside, 404, 'UnknownOperationException', /not under this proxy's basePath "\/aws"/);
      const inside = await rawRequest(url, {
        method: 'POST',
        path: '/aws/us-east-1/portal/logout',
        headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
      });
      expect(inside.status).toBe(200);
      expect(inside.headers['cache-control']).toBe('no-store');
    } finally {
      await stop(server);
    }
  });

  it('forwards a body that a JSON body parser already consumed', async () => {
    await stop(app.server);
    app = await startApp(
      { regions: ['us-east-1'], basePath: '/aws', upstream: { oidc: upstream.url, portal: upstream.url } },
      // What express.json() does: read the stream to the end and leave the parsed object on req.body.
      async (req) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        req.body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
      },
    );
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/aws/us-east-1/oidc/client/register',
      headers: { 'content-type': 'application/json' },
      body: '{"clientName":"parsed","clientType":"public"}',
    });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.body).toBe('{"clientName":"parsed","clientType":"public"}');
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
    expect(upstream.requests).toEqual([]);
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
    expect(upstream.requests).toEqual([]);
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
    expect(upstream.requests).toEqual([]);
  });

  it('needs x-amz-sso_bearer_token on portal routes (401), and says why it may be missing', async () => {
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/federation/credentials?account_id=1&role_name=R',
      headers: { authorization: `Bearer ${SECRETS.accessToken}` },
    });
    expectProxyError(res, 401, 'UnauthorizedException', /x-amz-sso_bearer_token.*underscores_in_headers on;/);
    expect(upstream.requests).toEqual([]);
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
    expect(upstream.requests).toEqual([]);
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
    expect(upstream.requests).toEqual([]);
    expect(JSON.stringify(errors)).not.toContain(SECRETS.deviceCode);
  });

  it('answers 502 when AWS cannot be reached, and tells onError why without secrets', async () => {
    const closed = await startFakeSsoUpstream();
    await closed.close(); // nothing listens on this port any more
    await stop(app.server);
    app = await startApp({
      regions: ['us-east-1'],
      basePath: '/aws',
      upstream: { oidc: closed.url, portal: closed.url },
      onError: (info) => errors.push(info),
    });
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

  it('answers 502 to an upstream redirect instead of following or passing it on', async () => {
    await stop(app.server);
    app = await startApp({
      regions: ['us-east-1'],
      basePath: '/aws',
      upstream: { oidc: `${upstream.url}/redirect`, portal: `${upstream.url}/redirect` },
    });
    const res = await rawRequest(app.url, {
      path: '/aws/us-east-1/portal/assignment/accounts',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
    });
    expectProxyError(res, 502, 'BadGatewayException', /answered 302.*does not follow redirects/);
    expect(res.headers.location).toBeUndefined();
    expect(upstream.requests.map((r) => r.url)).toEqual(['/redirect/assignment/accounts']);
  });
});
