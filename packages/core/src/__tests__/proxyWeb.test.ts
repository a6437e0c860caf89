/**
 * The proxy as a plain Web `fetch` handler (no Node adapter, no server): what edge and serverless runtimes call.
 * Upstream is the emulator's in-process `fetch` where a round trip matters, a misbehaving real HTTP upstream for
 * what AWS itself never does, and, where the test is about which AWS host gets called (which cannot be reached
 * from here), an injected `fetch` that records the call.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createEmulator } from '@oidc-device-login/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DeviceLoginError, InvalidArgumentError } from '../errors.ts';
import {
  createSsoProxy,
  type SsoProxyErrorInfo,
  type SsoProxyOptions,
  ssoProxyRoutes,
} from '../proxy/index.ts';
import type { FetchLike } from '../types.ts';
import { type HostileUpstream, startHostileUpstream } from './hostileUpstream.ts';

const APP = 'https://app.example';
const JSON_HEADERS = { 'content-type': 'application/json' };
/** Values the tests send; none may ever appear in a proxy error or an onError report. */
const SECRETS = {
  clientSecret: 'secret-client-secret-4242',
  deviceCode: 'secret-device-code-4242',
  accessToken: 'secret-access-token-4242',
  refreshToken: 'secret-refresh-token-4242',
} as const;

let hostile: HostileUpstream;
beforeAll(async () => {
  hostile = await startHostileUpstream();
});
afterAll(() => hostile.close());
afterEach(() => {
  hostile.requests.length = 0;
  vi.useRealTimers();
});

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** Stands in for AWS: records where the proxy sends the request and answers like RegisterClient. */
function recordingFetch(calls: Call[]): FetchLike {
  return async (input, init) => {
    calls.push({ url: String(input), init });
    return new Response('{"clientId":"c"}', {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'rid' },
    });
  };
}

function register(path: string, init: RequestInit = {}): Request {
  return new Request(`${APP}${path}`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"clientName":"x"}',
    ...init,
  });
}

async function hostFor(options: Partial<SsoProxyOptions>, path: string): Promise<string> {
  const calls: Call[] = [];
  const proxy = createSsoProxy({
    regions: ['us-east-1'],
    basePath: '/aws',
    ...options,
    fetch: recordingFetch(calls),
  });
  const res = await proxy(register(path));
  expect(res.status, await res.clone().text()).toBe(200);
  return calls[0]?.url ?? '';
}

describe('createSsoProxy on the Web Request path', () => {
  it('round-trips through the emulator, in process: no Node server anywhere', async () => {
    const aws = createEmulator();
    const proxy = createSsoProxy({
      regions: ['eu-west-1'],
      upstream: { oidc: aws.config.baseUrl, portal: aws.config.baseUrl },
      fetch: aws.fetch,
    });
    const res = await proxy(
      new Request(`${APP}/eu-west-1/oidc/client/register`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, cookie: 'a=b' },
        body: '{"clientName":"web","clientType":"public"}',
      }),
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      clientId: expect.any(String),
      clientSecret: expect.any(String),
    });
    expect(res.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(aws.requests().map((r) => [r.operation, r.headers.cookie, r.body])).toEqual([
      ['RegisterClient', undefined, { clientName: 'web', clientType: 'public' }],
    ]);
    expect(proxy.basePath).toBe('');
  });

  it('passes 4xx/5xx AWS answers through without calling onError', async () => {
    const aws = createEmulator();
    const onError = vi.fn();
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      upstream: { oidc: aws.config.baseUrl, portal: aws.config.baseUrl },
      fetch: aws.fetch,
      onError,
    });
    const res = await proxy(
      new Request(`${APP}/us-east-1/portal/assignment/roles?account_id=1`, {
        headers: { 'x-amz-sso_bearer_token': 'expired' },
      }),
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      message: expect.any(String),
      __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
    });
    aws.fault({ operation: 'CreateToken', error: 'InternalServerException' });
    const fault = await proxy(register('/us-east-1/oidc/token'));
    expect(fault.status).toBe(500);
    expect(fault.headers.get('x-amzn-ErrorType')).toMatch(/^InternalServerException:/);
    expect(onError).not.toHaveBeenCalled();
  });

  it("drops the upstream's set-cookie, caching, CDN and CORS headers; keeps retry-after", async () => {
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      upstream: { oidc: hostile.url, portal: hostile.url },
    });
    const res = await proxy(register('/us-east-1/oidc/token'));
    expect(res.status).toBe(400);
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'application/json',
      'x-amzn-errortype': 'InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/',
      'x-amzn-requestid': 'f2a4c7e0-0000-4000-8000-000000000001',
      'retry-after': '3',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
    });
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant provided' });
  });

  it('answers 502 to an upstream redirect instead of following it or passing it on', async () => {
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      upstream: { oidc: `${hostile.url}/redirect`, portal: `${hostile.url}/redirect` },
    });
    const res = await proxy(
      new Request(`${APP}/us-east-1/portal/assignment/accounts`, {
        headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
      }),
    );
    expect(res.status).toBe(502);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('BadGatewayException');
    expect(res.headers.get('location')).toBeNull();
    expect((await res.json()).error_description).toMatch(/answered 302 .*does not follow redirects/);
    expect(hostile.requests.map((r) => r.url)).toEqual(['/redirect/assignment/accounts']);
  });

  it('calls fetch with redirect: manual and only the headers AWS needs', async () => {
    const calls: Call[] = [];
    const proxy = createSsoProxy({ regions: ['us-east-1'], fetch: recordingFetch(calls) });
    await proxy(
      new Request(`${APP}/us-east-1/portal/logout`, {
        method: 'POST',
        headers: {
          'x-amz-sso_bearer_token': SECRETS.accessToken,
          authorization: 'Basic x',
          'content-type': 'text/plain',
        },
        body: 'ignored',
      }),
    );
    expect(calls[0]?.url).toBe('https://portal.sso.us-east-1.amazonaws.com/logout');
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      redirect: 'manual',
      headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
      body: '',
    });
    expect(Object.keys(calls[0]?.init?.headers ?? {})).toEqual(['x-amz-sso_bearer_token']);
  });
});

describe('upstream hosts', () => {
  it.each([
    [{}, '/aws/us-east-1/oidc/client/register', 'https://oidc.us-east-1.amazonaws.com/client/register'],
    [{ fips: true }, '/aws/us-east-1/oidc/token', 'https://oidc-fips.us-east-1.amazonaws.com/token'],
    [{ dualStack: true }, '/aws/us-east-1/oidc/token', 'https://oidc.us-east-1.api.aws/token'],
    [
      { dualStack: true, fips: true },
      '/aws/us-east-1/oidc/token',
      'https://oidc-fips.us-east-1.api.aws/token',
    ],
    [{ dualStack: 'per-request' }, '/aws/us-east-1/oidc/token', 'https://oidc.us-east-1.amazonaws.com/token'],
    [
      { dualStack: 'per-request' },
      '/aws/us-east-1/dualstack/oidc/token',
      'https://oidc.us-east-1.api.aws/token',
    ],
    [{ dualStack: true }, '/aws/us-east-1/dualstack/oidc/token', 'https://oidc.us-east-1.api.aws/token'],
    [
      { regions: ['cn-north-1'] },
      '/aws/cn-north-1/oidc/device_authorization',
      'https://oidc.cn-north-1.amazonaws.com.cn/device_authorization',
    ],
    [
      { regions: ['us-gov-west-1'], fips: true },
      '/aws/us-gov-west-1/oidc/token',
      'https://oidc.us-gov-west-1.amazonaws.com/token',
    ],
    [{ regions: '*' }, '/aws/ap-southeast-2/oidc/token', 'https://oidc.ap-southeast-2.amazonaws.com/token'],
  ] satisfies [Partial<SsoProxyOptions>, string, string][])('%j %s → %s', async (options, path, expected) => {
    expect(await hostFor(options, path)).toBe(expected);
  });

  it('sends portal routes to the portal host with the known query parameters only', async () => {
    const calls: Call[] = [];
    const proxy = createSsoProxy({ regions: ['eusc-de-east-1'], fips: true, fetch: recordingFetch(calls) });
    await proxy(
      new Request(
        `${APP}/eusc-de-east-1/portal/federation/credentials?role_name=A%20B&account_id=1&next_token=x`,
        {
          headers: { 'x-amz-sso_bearer_token': 't' },
        },
      ),
    );
    expect(calls[0]?.url).toBe(
      'https://portal.sso-fips.eusc-de-east-1.amazonaws.eu/federation/credentials?account_id=1&role_name=A+B',
    );
    expect(calls[0]?.init?.method).toBe('GET');
    expect(calls[0]?.init?.body).toBeUndefined();
  });

  it('asks an upstream function per request, with the allow-listed region and variant', async () => {
    const targets: unknown[] = [];
    const calls: Call[] = [];
    const proxy = createSsoProxy({
      regions: ['us-east-1', 'eu-west-1'],
      dualStack: 'per-request',
      fips: true,
      upstream: (target) => {
        targets.push(target);
        return {
          oidc: `https://vpce-1.oidc.${target.region}.vpce.example/`,
          portal: 'https://unused.example',
        };
      },
      fetch: recordingFetch(calls),
    });
    await proxy(register('/eu-west-1/dualstack/oidc/client/register'));
    expect(targets).toEqual([{ region: 'eu-west-1', fips: true, dualStack: true }]);
    expect(calls[0]?.url).toBe('https://vpce-1.oidc.eu-west-1.vpce.example/client/register');
    const refused = await proxy(register('/ap-south-1/oidc/client/register'));
    expect(refused.status).toBe(403);
    expect(targets).toHaveLength(1);
  });

  it('answers 500 when the upstream function returns something unusable', async () => {
    const onError = vi.fn();
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      upstream: () => ({ oidc: 'javascript:alert(1)', portal: '' }),
      fetch: recordingFetch([]),
      onError,
    });
    const res = await proxy(register('/us-east-1/oidc/client/register'));
    expect(res.status).toBe(500);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('InternalServerException');
    expect((await res.json()).error_description).toMatch(
      /upstream\.oidc: must be an absolute http\(s\) base URL.*amazonaws\.com"\. Fix the proxy.s `upstream` option\.$/,
    );
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ reason: 'upstream_misconfigured', status: 500 });
  });

  it('refuses the dualstack segment unless dual-stack is enabled', async () => {
    const proxy = createSsoProxy({ regions: ['us-east-1'], fetch: recordingFetch([]) });
    const res = await proxy(register('/us-east-1/dualstack/oidc/token'));
    expect(res.status).toBe(403);
    expect((await res.json()).error_description).toMatch(/dualStack.*'per-request'/);
  });

  it("with regions '*', still accepts only well-formed region names", async () => {
    const calls: Call[] = [];
    const proxy = createSsoProxy({ regions: '*', fetch: recordingFetch(calls) });
    for (const region of [
      'evil.example',
      'us-east-1.evil.example',
      'localhost:8080',
      'US-EAST-1',
      '127.0.0.1',
    ]) {
      const res = await proxy(register(`/${region}/oidc/token`));
      expect(res.status, region).toBe(403);
      expect(await res.text()).not.toContain(region);
    }
    expect(calls).toEqual([]);
  });
});

describe('timeouts and aborts', () => {
  it('answers 504 when AWS does not answer within timeoutMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const onError = vi.fn();
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      upstream: { oidc: `${hostile.url}/hang`, portal: `${hostile.url}/hang` },
      onError,
    });
    let settled = false;
    const pending = proxy(register('/us-east-1/oidc/token')).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;
    expect(res.status).toBe(504);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('GatewayTimeoutException');
    expect((await res.json()).error_description).toMatch(/did not answer within 30000 ms/);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({
      reason: 'upstream_timeout',
      operation: 'CreateToken',
    });
  });

  it('answers 504 even when the injected fetch ignores its abort signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let signal: AbortSignal | undefined;
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      timeoutMs: 5_000,
      fetch: (_input, init) => {
        signal = init?.signal ?? undefined;
        return new Promise<Response>(() => {});
      },
    });
    const pending = proxy(register('/us-east-1/oidc/token'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await pending).status).toBe(504);
    expect(signal?.aborted).toBe(true);
  });

  it('aborts the AWS call when the client goes away', async () => {
    let signal: AbortSignal | undefined;
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      fetch: (_input, init) => {
        signal = init?.signal ?? undefined;
        return new Promise<Response>((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal?.reason)),
        );
      },
    });
    const client = new AbortController();
    const pending = proxy(register('/us-east-1/oidc/token', { signal: client.signal }));
    await vi.waitFor(() => expect(signal).toBeDefined());
    client.abort();
    const res = await pending;
    expect(signal?.aborted).toBe(true);
    expect(res.status).toBe(502);
    expect((await res.json()).error_description).toMatch(/client went away/);
  });
});

describe('CORS', () => {
  const options: SsoProxyOptions = {
    regions: ['us-east-1'],
    allowedOrigins: ['https://app.example', 'http://localhost:5173'],
    fetch: recordingFetch([]),
  };

  it('answers a preflight from an allowed origin', async () => {
    const res = await createSsoProxy(options)(
      new Request('https://proxy.example/us-east-1/portal/assignment/accounts', {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'x-amz-sso_bearer_token, x-amz-user-agent, amz-sdk-invocation-id',
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'x-amz-sso_bearer_token, x-amz-user-agent, amz-sdk-invocation-id',
      'access-control-max-age': '600',
      'cache-control': 'no-store',
    });
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a preflight from any other origin, without CORS headers', async () => {
    const res = await createSsoProxy(options)(
      new Request('https://proxy.example/us-east-1/oidc/token', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error_description).toMatch(
      /"https:\/\/evil\.example" are not allowed.*allowedOrigins/,
    );
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('adds Allow-Origin and Expose-Headers to answers and errors for allowed origins only', async () => {
    const proxy = createSsoProxy(options);
    const ok = await proxy(
      register('/us-east-1/oidc/client/register', { headers: { ...JSON_HEADERS, origin: APP } }),
    );
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toBe(
      'x-amzn-ErrorType, x-amzn-RequestId, Retry-After',
    );
    expect(ok.headers.get('vary')).toBe('Origin');
    const error = await proxy(new Request(`${APP}/us-east-1/oidc/token`, { headers: { origin: APP } }));
    expect(error.status).toBe(405);
    expect(error.headers.get('access-control-allow-origin')).toBe(APP);
    expect(error.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
    const other = await proxy(
      register('/us-east-1/oidc/client/register', {
        headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
      }),
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers by default, and has no preflight to answer', async () => {
    const proxy = createSsoProxy({ regions: ['us-east-1'], fetch: recordingFetch([]) });
    const res = await proxy(
      register('/us-east-1/oidc/client/register', { headers: { ...JSON_HEADERS, origin: APP } }),
    );
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control') || h === 'vary')).toEqual([]);
    const preflight = await proxy(new Request(`${APP}/us-east-1/oidc/token`, { method: 'OPTIONS' }));
    expect(preflight.status).toBe(405);
  });
});

describe('onError', () => {
  it('gets non-secret facts, and a throwing hook does not break the answer', async () => {
    const infos: SsoProxyErrorInfo[] = [];
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      basePath: '/aws/',
      fetch: recordingFetch([]),
      onError: (info) => {
        infos.push(info);
        throw new Error('broken logger');
      },
    });
    const res = await proxy(
      new Request(`${APP}/aws/us-east-1/portal/assignment/accounts?next_token=${SECRETS.refreshToken}`, {
        method: 'POST',
        headers: { 'x-amz-sso_bearer_token': SECRETS.accessToken },
        body: JSON.stringify(SECRETS),
      }),
    );
    expect(res.status).toBe(405);
    expect(infos).toEqual([
      {
        reason: 'method_not_allowed',
        status: 405,
        exception: 'MethodNotAllowedException',
        message: 'SSO proxy: ListAccounts takes GET, not POST.',
        method: 'POST',
        path: '/aws/us-east-1/portal/assignment/accounts',
        region: 'us-east-1',
        operation: 'ListAccounts',
      },
    ]);
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(infos)).not.toContain(secret);
  });
});

describe('options', () => {
  it.each([
    [{}, 'options.regions'],
    [{ regions: [] }, 'options.regions'],
    [{ regions: ['us-east-1', 'evil.example'] }, 'options.regions'],
    [{ regions: ['xx-unknown-1'] }, 'options.regions'],
    [{ regions: ['us-east-1'], basePath: 'aws' }, 'options.basePath'],
    [{ regions: ['us-east-1'], basePath: '/aws/../x' }, 'options.basePath'],
    [{ regions: ['us-east-1'], basePath: '/a%2fb' }, 'options.basePath'],
    [{ regions: ['us-east-1'], dualStack: 'yes' }, 'options.dualStack'],
    [{ regions: ['us-east-1'], maxBodyBytes: 0 }, 'options.maxBodyBytes'],
    [{ regions: ['us-east-1'], maxResponseBytes: 1.5 }, 'options.maxResponseBytes'],
    [{ regions: ['us-east-1'], timeoutMs: Number.POSITIVE_INFINITY }, 'options.timeoutMs'],
    [{ regions: ['us-east-1'], allowedOrigins: ['https://app.example/'] }, 'options.allowedOrigins'],
    [{ regions: ['us-east-1'], allowedOrigins: ['*'] }, 'options.allowedOrigins'],
    [{ regions: ['us-east-1'], upstream: { oidc: 'ftp://x', portal: 'https://p' } }, 'options.upstream.oidc'],
    [
      { regions: ['us-east-1'], upstream: { oidc: 'https://o', portal: 'https://p?x=1' } },
      'options.upstream.portal',
    ],
    [
      { regions: ['us-east-1'], fips: true, upstream: { oidc: 'https://o', portal: 'https://p' } },
      'options.upstream',
    ],
  ])('%j is refused at creation, naming %s', (options, argument) => {
    const error = (() => {
      try {
        createSsoProxy(options as SsoProxyOptions);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect((error as DeviceLoginError).code).toBe('invalid_argument');
  });

  it('takes a region of no known partition only with an upstream that names its hosts', async () => {
    const calls: Call[] = [];
    const proxy = createSsoProxy({
      regions: ['xx-unknown-1'],
      upstream: ({ region }) => ({
        oidc: `https://oidc.${region}.example`,
        portal: `https://portal.${region}.example`,
      }),
      fetch: recordingFetch(calls),
    });
    expect((await proxy(register('/xx-unknown-1/oidc/token'))).status).toBe(200);
    expect(calls[0]?.url).toBe('https://oidc.xx-unknown-1.example/token');
    const any = createSsoProxy({ regions: '*', fetch: recordingFetch(calls) });
    expect((await any(register('/xx-unknown-1/oidc/token'))).status).toBe(403);
    expect(calls).toHaveLength(1);
  });

  it('honours maxBodyBytes', async () => {
    const calls: Call[] = [];
    const proxy = createSsoProxy({ regions: ['us-east-1'], maxBodyBytes: 20, fetch: recordingFetch(calls) });
    expect((await proxy(register('/us-east-1/oidc/token', { body: '{"a":"0123456789"}' }))).status).toBe(200);
    const big = await proxy(register('/us-east-1/oidc/token', { body: '{"a":"0123456789ABCDEF"}' }));
    expect(big.status).toBe(413);
    expect((await big.json()).error_description).toMatch(/larger than 20 bytes/);
    expect(calls).toHaveLength(1);
  });
});

describe('runtime neutrality', () => {
  it('reaches no node: module or Node global from the proxy entry', () => {
    // Every file the `./proxy` entry pulls in, following relative imports.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/from ['"](node:|fs|http|stream|buffer|path)/);
      expect(source, file).not.toMatch(/\b(Buffer|process|require)\b[.(]/);
      for (const [, spec] of source.matchAll(/from '(\.[^']+)'/g)) visit(join(dirname(file), spec as string));
    };
    const proxyDir = join(import.meta.dirname, '..', 'proxy');
    visit(join(proxyDir, 'index.ts'));
    const reached = [...seen].map((f) => relative(join(proxyDir, '..'), f)).sort();
    expect(reached).toContain('proxy/createSsoProxy.ts');
    expect(reached).toContain('endpoints.ts');
    expect(reached).not.toContain('proxy/toNodeMiddleware.ts');
  });

  it('covers exactly the seven operations of the device flow and the portal', () => {
    expect(ssoProxyRoutes.map((r) => `${r.method} ${r.service}${r.path}`)).toEqual([
      'POST oidc/client/register',
      'POST oidc/device_authorization',
      'POST oidc/token',
      'GET portal/assignment/accounts',
      'GET portal/assignment/roles',
      'GET portal/federation/credentials',
      'POST portal/logout',
    ]);
  });
});

describe('hardening (security review)', () => {
  it('serves what AWS answers on the app origin as inert data: nosniff and a sandboxing CSP, whatever its type', async () => {
    // An HTML error page from a load balancer or CDN in front of the service would otherwise be served as a page
    // of the app's own origin, scripts and all.
    const html = '<!doctype html><script>fetch("/steal?" + localStorage.length)</script>';
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      fetch: async () => new Response(html, { status: 503, headers: { 'content-type': 'text/html' } }),
    });
    const res = await proxy(register('/us-east-1/oidc/token'));
    expect(res.status).toBe(503);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; sandbox",
    );
    expect(await res.text()).toBe(html);
  });

  it('answers 408 to a client that sends its body too slowly, instead of waiting for it forever', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const onError = vi.fn();
    const fetchAws = vi.fn<FetchLike>();
    const proxy = createSsoProxy({ regions: ['us-east-1'], fetch: fetchAws, onError, timeoutMs: 10_000 });
    let cancelled = false;
    // Slow loris: one byte, then nothing; the stream never ends.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{'));
      },
      cancel() {
        cancelled = true;
      },
    });
    let settled = false;
    const pending = proxy(
      new Request(`${APP}/us-east-1/oidc/token`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
        duplex: 'half',
      } as RequestInit),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;
    expect(res.status).toBe(408);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('RequestTimeoutException');
    expect((await res.json()).error_description).toMatch(/body did not arrive within 10000 ms/);
    expect(cancelled).toBe(true);
    expect(fetchAws).not.toHaveBeenCalled();
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ reason: 'client_timeout', operation: 'CreateToken' });
  });

  it('refuses a cross-site or same-site browser request from an origin not in allowedOrigins (403)', async () => {
    const calls: Call[] = [];
    const onError = vi.fn();
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      allowedOrigins: [APP],
      fetch: recordingFetch(calls),
      onError,
    });
    const from = (origin: string | undefined, site: string | undefined) =>
      proxy(
        register('/us-east-1/oidc/client/register', {
          headers: {
            ...JSON_HEADERS,
            ...(origin ? { origin } : {}),
            ...(site ? { 'sec-fetch-site': site } : {}),
          },
        }),
      );
    for (const site of ['cross-site', 'same-site']) {
      const res = await from('https://evil.example', site);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: expect.stringMatching(/"https:\/\/evil\.example" are not allowed.*allowedOrigins/),
        message: expect.any(String),
      });
    }
    expect((await from(undefined, 'cross-site')).status).toBe(403);
    expect(calls).toEqual([]);
    expect(onError.mock.calls.map(([info]) => info.reason)).toEqual([
      'cross_site_request',
      'cross_site_request',
      'cross_site_request',
    ]);
    // Allowed origins, same-origin pages, top-level navigation and clients without Fetch Metadata are served.
    expect((await from(APP, 'cross-site')).status).toBe(200);
    expect((await from(APP, 'same-site')).status).toBe(200);
    expect((await from(undefined, 'same-origin')).status).toBe(200);
    expect((await from(undefined, 'none')).status).toBe(200);
    expect((await from('https://evil.example', undefined)).status).toBe(200);
    expect(calls).toHaveLength(5);
  });

  it('honours maxResponseBytes, answering 502 to a larger upstream answer', async () => {
    const onError = vi.fn();
    const answer = (size: number) =>
      createSsoProxy({
        regions: ['us-east-1'],
        maxResponseBytes: 100,
        onError,
        fetch: async () =>
          new Response('x'.repeat(size), { headers: { 'content-type': 'application/json' } }),
      })(register('/us-east-1/oidc/token'));
    const fits = await answer(100);
    expect(fits.status).toBe(200);
    expect(await fits.text()).toBe('x'.repeat(100));
    const over = await answer(101);
    expect(over.status).toBe(502);
    expect(over.headers.get('x-amzn-ErrorType')).toBe('BadGatewayException');
    expect((await over.json()).error_description).toMatch(
      /answered with more than 100 bytes\. Check the `upstream` option.*maxResponseBytes/,
    );
    expect(onError.mock.calls.map(([info]) => [info.reason, info.status])).toEqual([
      ['upstream_too_large', 502],
    ]);
  });

  it('stops reading an endless upstream answer at the 1 MiB default and cancels it', async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const proxy = createSsoProxy({
      regions: ['us-east-1'],
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += chunk.byteLength;
              // Bounded only so that a proxy without a cap fails this test instead of hanging it.
              if (pulled > 64 * 1024 * 1024) controller.close();
              else controller.enqueue(chunk);
            },
            cancel() {
              cancelled = true;
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    });
    const res = await proxy(register('/us-east-1/oidc/token'));
    expect(res.status).toBe(502);
    expect((await res.json()).error_description).toMatch(/more than 1048576 bytes/);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });
});
