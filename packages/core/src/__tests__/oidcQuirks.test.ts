/**
 * Server quirks and malformed answers, over real HTTP: a tiny node:http server answers like GitHub, Google or a
 * broken server would. The happy paths against a certified provider are in oidcDeviceProvider.test.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../authorizationServer.ts';
import { DeviceLoginError, NetworkError, ProtocolError, ServiceError } from '../errors.ts';
import { oidcDeviceProvider } from '../oidcDeviceProvider.ts';
import type { StoredRegistration } from '../storage.ts';

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
}

interface Received {
  method: string;
  path: string;
  body: string;
}

type Route = (request: Received) => Answer;

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** Starts a server on 127.0.0.1 that answers each path with its route (404 otherwise). */
async function serve(
  routes: Record<string, Route | Answer>,
): Promise<{ origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', body };
    received.push(request);
    const route = routes[new URL(request.path, 'http://x').pathname];
    const answer: Answer =
      route === undefined
        ? { status: 404, body: 'Not Found' }
        : typeof route === 'function'
          ? route(request)
          : route;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status ?? 200, {
      'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
      ...answer.headers,
    });
    res.end(text);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function rejection(promise: Promise<unknown>): Promise<DeviceLoginError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DeviceLoginError);
    return error as DeviceLoginError;
  }
  throw new Error('expected a rejection');
}

/** A provider with explicit endpoints on the scripted server. */
function providerFor(origin: string, extra: Partial<Parameters<typeof oidcDeviceProvider>[0]> = {}) {
  return oidcDeviceProvider({
    endpoints: { deviceAuthorizationEndpoint: `${origin}/device`, tokenEndpoint: `${origin}/token` },
    clientId: 'app',
    ...extra,
  });
}

const REGISTRATION = { clientId: 'app' };
const DEVICE_CODE = 'secret-device-code-3f9a';
/** A token value that must never show up in an error. */
const LEAK = 'token-value-that-must-not-leak';

describe('GitHub-style answers', () => {
  it('reads authorization_pending and slow_down sent with HTTP 200 as "not yet", then the token', async () => {
    const answers: Answer[] = [
      { status: 200, body: { error: 'authorization_pending', error_description: 'pending' } },
      { status: 200, body: { error: 'slow_down', error_description: 'too fast', interval: 10 } },
      { status: 200, body: { access_token: 'gho_token', token_type: 'bearer', scope: 'repo' } },
    ];
    const { origin, received } = await serve({ '/token': () => answers.shift()! });
    const provider = providerFor(origin, { defaultExpiresIn: 28_800 });

    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({
      pending: 'authorization_pending',
    });
    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({ pending: 'slow_down' });
    // No expires_in: the configured default. No refresh token: none invented.
    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({
      accessToken: 'gho_token',
      tokenType: 'Bearer',
      expiresIn: 28_800,
      refreshToken: undefined,
      idToken: undefined,
      scopes: ['repo'],
    });
    const form = new URLSearchParams(received[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      client_id: 'app',
      device_code: DEVICE_CODE,
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
  });
});

describe('Google-style answers', () => {
  it('accepts verification_url, a string expires_in and no interval', async () => {
    const { origin } = await serve({
      '/device': {
        body: {
          device_code: DEVICE_CODE,
          user_code: 'GQVQ-JKEC',
          verification_url: 'https://www.google.com/device',
          expires_in: '1800',
        },
      },
    });
    await expect(providerFor(origin).startDeviceAuthorization(REGISTRATION)).resolves.toEqual({
      deviceCode: DEVICE_CODE,
      userCode: 'GQVQ-JKEC',
      verificationUri: 'https://www.google.com/device',
      verificationUriComplete: undefined,
      expiresIn: 1800,
      interval: 5,
    });
  });

  it('accepts an interval sent as a string', async () => {
    const { origin } = await serve({
      '/device': {
        body: {
          device_code: 'd',
          user_code: 'u',
          verification_uri: 'https://x.test/d',
          expires_in: 600,
          interval: '7',
        },
      },
    });
    await expect(providerFor(origin).startDeviceAuthorization(REGISTRATION)).resolves.toMatchObject({
      interval: 7,
    });
  });
});

describe('answers relabelled or re-encoded on the way (proxies, GitHub without Accept: application/json)', () => {
  it.each(['text/plain', 'text/html; charset=utf-8', 'application/problem+json', 'Application/JSON'])(
    'reads a JSON OAuth error labelled %s as the error it is',
    async (contentType) => {
      const answers = [
        { error: 'authorization_pending' },
        { error: 'access_denied', error_description: 'no' },
      ];
      const { origin } = await serve({
        '/token': () => ({
          status: 400,
          headers: { 'content-type': contentType },
          body: JSON.stringify(answers.shift()),
        }),
      });
      const provider = providerFor(origin);
      // Reported as unknown_error, a pending poll would end the sign-in the person is about to approve.
      await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({
        pending: 'authorization_pending',
      });
      await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).rejects.toMatchObject({
        code: 'access_denied',
        status: 400,
        errorDescription: 'no',
      });
    },
  );

  it('reads form-encoded answers, the format GitHub uses when not asked for JSON', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    const answers: Answer[] = [
      { status: 200, headers: form, body: 'error=authorization_pending&error_description=pending' },
      { status: 400, headers: form, body: 'error=slow_down&interval=10' },
      { status: 200, headers: form, body: `access_token=${LEAK}&token_type=bearer&scope=repo%20user` },
    ];
    const { origin } = await serve({
      '/device': {
        headers: form,
        body:
          `device_code=${DEVICE_CODE}&user_code=WDJB-MJHT&verification_uri=` +
          `${encodeURIComponent('https://github.com/login/device')}&expires_in=899&interval=5`,
      },
      '/token': () => answers.shift()!,
    });
    const provider = providerFor(origin, { defaultExpiresIn: 28_800 });
    await expect(provider.startDeviceAuthorization(REGISTRATION)).resolves.toEqual({
      deviceCode: DEVICE_CODE,
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://github.com/login/device',
      verificationUriComplete: undefined,
      expiresIn: 899,
      interval: 5,
    });
    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({
      pending: 'authorization_pending',
    });
    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toEqual({ pending: 'slow_down' });
    await expect(provider.pollToken(REGISTRATION, DEVICE_CODE)).resolves.toMatchObject({
      accessToken: LEAK,
      tokenType: 'Bearer',
      expiresIn: 28_800,
      scopes: ['repo', 'user'],
    });
  });

  it('still reports an HTML error page from a proxy by its status, without its text', async () => {
    const { origin } = await serve({
      '/token': { status: 400, body: '<html>error=authorization_pending</html>' },
    });
    const error = await rejection(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE));
    expect(error).toMatchObject({ code: 'unknown_error', status: 400, error: undefined });
  });
});

describe('requests', () => {
  it('sends scopes, audience, resources and extra parameters', async () => {
    const { origin, received } = await serve({
      '/device': {
        body: { device_code: 'd', user_code: 'u', verification_uri: 'https://x.test/d', expires_in: 600 },
      },
      '/token': { body: { access_token: 'a', token_type: 'Bearer', expires_in: 60, refresh_token: 'r2' } },
    });
    const provider = providerFor(origin, {
      scopes: ['openid', 'profile', 'offline_access'],
      audience: 'https://api.example.com',
      resource: ['https://api.example.com', 'https://files.example.com'],
      authorizationParameters: { acr_values: 'mfa' },
      tokenParameters: { client_assertion_hint: 'x' },
    });
    await provider.startDeviceAuthorization(REGISTRATION);
    await provider.refresh(REGISTRATION, {
      accessToken: 'a0',
      tokenType: 'Bearer',
      expiresAt: 0,
      refreshToken: 'r1',
    });
    const device = new URLSearchParams(received[0]!.body);
    expect(device.get('scope')).toBe('openid profile offline_access');
    expect(device.get('audience')).toBe('https://api.example.com');
    expect(device.getAll('resource')).toEqual(['https://api.example.com', 'https://files.example.com']);
    expect(device.get('acr_values')).toBe('mfa');
    const token = new URLSearchParams(received[1]!.body);
    expect(token.get('grant_type')).toBe('refresh_token');
    expect(token.get('refresh_token')).toBe('r1');
    expect(token.get('audience')).toBe('https://api.example.com');
    expect(token.getAll('resource')).toHaveLength(2);
    expect(token.get('client_assertion_hint')).toBe('x');
  });

  it('keeps the refresh token and ID token when a refresh returns none', async () => {
    const { origin } = await serve({
      '/token': { body: { access_token: 'a2', token_type: 'Bearer', expires_in: 60 } },
    });
    const tokens = await providerFor(origin).refresh(REGISTRATION, {
      accessToken: 'a1',
      tokenType: 'Bearer',
      expiresAt: 0,
      refreshToken: 'r1',
      idToken: 'h.p.s',
    });
    expect(tokens).toEqual({
      accessToken: 'a2',
      tokenType: 'Bearer',
      expiresIn: 60,
      refreshToken: 'r1',
      idToken: 'h.p.s',
    });
  });

  it('passes an ID token through without validating it', async () => {
    const { origin } = await serve({
      '/token': {
        body: { access_token: 'a', token_type: 'Bearer', expires_in: 60, id_token: 'not.a.jwt-at-all' },
      },
    });
    await expect(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE)).resolves.toMatchObject({
      idToken: 'not.a.jwt-at-all',
    });
  });
});

describe('malformed or failed answers', () => {
  it.each([
    [
      'no device_code',
      { user_code: 'u', verification_uri: 'https://x.test', expires_in: 600 },
      /device_code/,
    ],
    ['no expires_in', { device_code: 'd', user_code: 'u', verification_uri: 'https://x.test' }, /expires_in/],
    [
      'a zero expires_in (a device code dead on arrival)',
      { device_code: 'd', user_code: 'u', verification_uri: 'https://x.test', expires_in: 0 },
      /expires_in/,
    ],
    [
      'a zero interval',
      { device_code: 'd', user_code: 'u', verification_uri: 'https://x.test', expires_in: 600, interval: 0 },
      /interval/,
    ],
  ])('refuses a device authorization with %s', async (_case, body, message) => {
    const { origin } = await serve({ '/device': { body } });
    const error = await rejection(providerFor(origin).startDeviceAuthorization(REGISTRATION));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['a relative path', '/device'],
    ['one with user info that reads as another host', 'https://login.example.com@evil.example/device'],
    ['one with a newline the URL parser drops', 'https://login.example.com\n.evil.example/device'],
    ['one with a zero-width space', 'https://login.example.com/device?\u200Bx'],
  ])('refuses a verification URI that is %s (unsafe_url)', async (_case, uri) => {
    const { origin } = await serve({
      '/device': {
        body: {
          device_code: 'd',
          user_code: 'u',
          verification_uri: 'https://x.test',
          verification_uri_complete: uri,
          expires_in: 600,
        },
      },
    });
    const error = await rejection(providerFor(origin).startDeviceAuthorization(REGISTRATION));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('unsafe_url');
  });

  it.each([
    ['no access_token', { token_type: 'Bearer', expires_in: 60, refresh_token: LEAK }],
    ['an unknown token_type', { access_token: LEAK, token_type: 'MAC', expires_in: 60 }],
    ['a non-string id_token', { access_token: LEAK, token_type: 'Bearer', expires_in: 60, id_token: 42 }],
    [
      'a non-string refresh_token',
      { access_token: LEAK, token_type: 'Bearer', expires_in: 60, refresh_token: 7 },
    ],
    ['a non-JSON body', '<html>maintenance</html>'],
  ])('refuses a token response with %s, without leaking it', async (_case, body) => {
    const { origin } = await serve({ '/token': { body } });
    const error = await rejection(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('invalid_response');
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(DEVICE_CODE);
      expect(text).not.toContain(LEAK);
    }
  });

  it('reports a 5xx page as a transient server_error', async () => {
    const { origin } = await serve({
      '/token': { status: 503, body: '<html>down</html>', headers: { 'retry-after': '7' } },
    });
    const error = await rejection(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'server_error', status: 503, retryAfter: 7, transient: true });
  });

  it('reports 429 as throttled with its request id', async () => {
    const { origin } = await serve({
      '/token': { status: 429, body: '', headers: { 'retry-after': '30', 'x-request-id': 'req-42' } },
    });
    await expect(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE)).rejects.toMatchObject({
      code: 'throttled',
      retryAfter: 30,
      requestId: 'req-42',
    });
  });

  it('reads the OAuth error of a 401 that carries a WWW-Authenticate challenge', async () => {
    const { origin } = await serve({
      '/token': {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="token"' },
        body: { error: 'invalid_client', error_description: 'client authentication failed' },
      },
    });
    const error = await rejection(
      providerFor(origin, { clientSecret: 's3cr3t-value' }).pollToken(
        { clientId: 'app', clientSecret: 's3cr3t-value' },
        DEVICE_CODE,
      ),
    );
    expect(error).toMatchObject({
      code: 'invalid_client',
      status: 401,
      errorDescription: 'client authentication failed',
    });
    expect(inspect(error, { depth: 5 })).not.toContain('s3cr3t-value');
  });

  it('maps unknown OAuth errors to unknown_error and keeps the original', async () => {
    const { origin } = await serve({ '/token': { status: 400, body: { error: 'consent_required' } } });
    await expect(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE)).rejects.toMatchObject({
      code: 'unknown_error',
      error: 'consent_required',
    });
  });

  it('refuses a redirect from an OAuth endpoint', async () => {
    const { origin } = await serve({
      '/token': { status: 302, headers: { location: 'https://evil.test/' }, body: '' },
    });
    const error = await rejection(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/redirect/);
  });

  it('reports an unreachable server as a NetworkError that names only the origin', async () => {
    const { origin } = await serve({});
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const error = await rejection(providerFor(origin).pollToken(REGISTRATION, DEVICE_CODE));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(origin);
    expect(error.message).toMatch(/CORS/);
    expect(error.message).not.toContain(DEVICE_CODE);
  });
});

describe('dynamic registration', () => {
  it('accepts a 200 answer (instead of 201) and converts the secret expiry to ms', async () => {
    const { origin, received } = await serve({
      '/.well-known/openid-configuration': () => ({
        body: {
          issuer: origin,
          device_authorization_endpoint: `${origin}/device`,
          token_endpoint: `${origin}/token`,
          registration_endpoint: `${origin}/register`,
        },
      }),
      '/register': {
        status: 200,
        body: {
          client_id: 'dyn',
          client_secret: 'dyn-secret',
          client_id_issued_at: 1_700_000_000,
          client_secret_expires_at: 1_800_000_000,
        },
      },
    });
    const registration = await oidcDeviceProvider({ issuer: origin, initialAccessToken: 'iat-1' }).register();
    expect(registration).toMatchObject({
      clientId: 'dyn',
      clientSecret: 'dyn-secret',
      issuedAt: 1_700_000_000_000,
      expiresAt: 1_800_000_000_000,
    });
    // No method in the answer: none is stored, and the kit chooses as for a configured client.
    expect(registration.tokenEndpointAuthMethod).toBeUndefined();
    expect(received.at(-1)!.body).toContain('"token_endpoint_auth_method":"none"');
  });

  it.each([
    [{ token_endpoint_auth_method: 42 }, /"token_endpoint_auth_method" is not a string/],
    [{ token_endpoint_auth_method: 'client_secret_post' }, /needs a client_secret it lacks/],
  ])('refuses a registration answer with %j (invalid_response)', async (member, message) => {
    const { origin } = await serve({
      '/.well-known/openid-configuration': () => ({
        body: {
          issuer: origin,
          device_authorization_endpoint: `${origin}/device`,
          token_endpoint: `${origin}/token`,
          registration_endpoint: `${origin}/register`,
        },
      }),
      '/register': { status: 201, body: { client_id: 'dyn', ...member } },
    });
    const error = await rejection(oidcDeviceProvider({ issuer: origin }).register());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'invalid_response', status: 201 });
    expect(error.message).toMatch(message);
  });

  it('says what to do when the server has no registration endpoint', async () => {
    const { origin } = await serve({});
    const error = await rejection(providerFor(origin, { clientId: undefined }).register());
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/pass its clientId/);
  });
});

describe('discovery', () => {
  const metadata = (origin: string, extra: Record<string, unknown> = {}) => ({
    issuer: origin,
    device_authorization_endpoint: `${origin}/device`,
    token_endpoint: `${origin}/token`,
    ...extra,
  });

  it('falls back to RFC 8414 metadata', async () => {
    const { origin, received } = await serve({
      '/.well-known/oauth-authorization-server/tenant': () => ({ body: metadata(`${origin}/tenant`) }),
    });
    const discovered = await discoverAuthorizationServer(`${origin}/tenant`);
    expect(discovered.issuer).toBe(`${origin}/tenant`);
    expect(received.map((r) => r.path)).toEqual([
      '/tenant/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/tenant',
    ]);
  });

  it('reports not_found when neither document exists', async () => {
    const { origin } = await serve({});
    const error = await rejection(discoverAuthorizationServer(origin));
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
    expect(error.message).toMatch(/Check the issuer URL/);
  });

  it('refuses announced endpoints on plain http outside loopback (unsafe_url)', async () => {
    const { origin } = await serve({
      '/.well-known/openid-configuration': () => ({
        body: metadata(origin, { token_endpoint: 'http://sso.example.com/token' }),
      }),
    });
    const error = await rejection(discoverAuthorizationServer(origin));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('unsafe_url');
    expect(error.message).toContain('token_endpoint');
  });

  it('refuses a server without a device authorization endpoint', async () => {
    const { origin } = await serve({
      '/.well-known/openid-configuration': () => ({
        body: { issuer: origin, token_endpoint: `${origin}/token` },
      }),
    });
    const error = await rejection(discoverAuthorizationServer(origin));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(/device_authorization_endpoint/);
  });

  it('tries again after a failed discovery', async () => {
    let calls = 0;
    const { origin } = await serve({
      '/.well-known/openid-configuration': () =>
        ++calls === 1 ? { status: 500, body: 'boom' } : { body: metadata(origin) },
    });
    const provider = oidcDeviceProvider({ issuer: origin, clientId: 'app' });
    await expect(provider.metadata()).rejects.toMatchObject({ code: 'server_error' });
    await expect(provider.metadata()).resolves.toMatchObject({ issuer: origin });
  });
});

describe('options', () => {
  it.each([
    [{}, 'issuer'],
    [{ issuer: 'not a url' }, 'issuer'],
    [{ issuer: 'https://sso.example.com', clientSecret: 's' }, 'clientSecret'],
    [
      {
        issuer: 'https://sso.example.com',
        clientId: 'a',
        clientSecret: 's',
        tokenEndpointAuthMethod: 'none',
      },
      'tokenEndpointAuthMethod',
    ],
    [
      { issuer: 'https://sso.example.com', clientId: 'a', tokenEndpointAuthMethod: 'client_secret_post' },
      'clientSecret',
    ],
    [{ issuer: 'https://sso.example.com', scopes: ['two words'] }, 'scopes'],
    [{ issuer: 'https://sso.example.com', resource: 'not absolute' }, 'resource'],
    [{ issuer: 'https://sso.example.com', defaultExpiresIn: 0 }, 'defaultExpiresIn'],
    [
      {
        endpoints: {
          deviceAuthorizationEndpoint: 'http://sso.example.com/d',
          tokenEndpoint: 'https://sso.example.com/t',
        },
      },
      'endpoints.deviceAuthorizationEndpoint',
    ],
  ] as const)('refuses %j, naming %s', (options, argument) => {
    expect(() => oidcDeviceProvider(options as Parameters<typeof oidcDeviceProvider>[0])).toThrow(
      expect.objectContaining({ code: 'invalid_argument', argument }),
    );
  });

  it('matches stored registrations to the configured client or to the device grant', () => {
    const configured = oidcDeviceProvider({ issuer: 'https://sso.example.com', clientId: 'cli' });
    expect(configured.registrationMatches({ clientId: 'cli' })).toBe(true);
    expect(configured.registrationMatches({ clientId: 'other' })).toBe(false);
    const registered = oidcDeviceProvider({ issuer: 'https://sso.example.com' });
    expect(
      registered.registrationMatches({
        clientId: 'dyn',
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      }),
    ).toBe(true);
    expect(registered.registrationMatches({ clientId: 'dyn', grantTypes: ['authorization_code'] })).toBe(
      false,
    );
  });

  it('matches only stored registrations whose method the kit can perform', () => {
    const registered = oidcDeviceProvider({ issuer: 'https://sso.example.com' });
    const matches = (registration: Record<string, unknown>) =>
      registered.registrationMatches({ clientId: 'dyn', ...registration } as StoredRegistration);
    expect(matches({})).toBe(true); // stored by an older version: chosen as before
    expect(matches({ tokenEndpointAuthMethod: 'none' })).toBe(true);
    expect(matches({ tokenEndpointAuthMethod: 'client_secret_post', clientSecret: 's' })).toBe(true);
    expect(matches({ tokenEndpointAuthMethod: 'client_secret_basic', clientSecret: 's' })).toBe(true);
    expect(matches({ tokenEndpointAuthMethod: 'client_secret_post' })).toBe(false);
    expect(matches({ tokenEndpointAuthMethod: 'private_key_jwt', clientSecret: 's' })).toBe(false);
    expect(matches({ tokenEndpointAuthMethod: 42 })).toBe(false);
    // The configured client follows the options, whatever its record says.
    const configured = oidcDeviceProvider({ issuer: 'https://sso.example.com', clientId: 'cli' });
    expect(configured.registrationMatches({ clientId: 'cli', tokenEndpointAuthMethod: 'none' })).toBe(true);
  });

  it('answers a request as a client it cannot authenticate as with invalid_client, before sending it', async () => {
    const { origin, received } = await serve({});
    const provider = providerFor(origin, { clientId: undefined });
    const stale = {
      clientId: 'dyn',
      tokenEndpointAuthMethod: 'private_key_jwt',
    } as unknown as StoredRegistration;
    const error = await rejection(provider.startDeviceAuthorization(stale));
    expect(error.code).toBe('invalid_client');
    expect(error.message).toMatch(/cannot authenticate as "private_key_jwt"/);
    const secretless = { clientId: 'dyn', tokenEndpointAuthMethod: 'client_secret_post' } as const;
    const session = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresAt: 0, ...secretless };
    await expect(provider.refresh(secretless, session)).rejects.toMatchObject({ code: 'invalid_client' });
    expect(received).toEqual([]);
  });

  it('keys the storage scope by issuer, client, scopes, audience and resources', () => {
    const base = { issuer: 'https://sso.example.com/realms/main', clientId: 'cli' };
    const keys = new Set(
      [
        base,
        { ...base, clientId: 'other' },
        { ...base, scopes: ['openid'] },
        { ...base, audience: 'https://api' },
        { ...base, resource: 'https://api' },
        { issuer: base.issuer },
      ].map((options) => oidcDeviceProvider(options).scope.key),
    );
    expect(keys.size).toBe(6);
    expect(oidcDeviceProvider(base).scope).toMatchObject({
      startUrl: base.issuer,
      scopes: ['openid', 'offline_access'],
    });
  });
});
