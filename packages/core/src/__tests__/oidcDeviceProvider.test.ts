import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { refreshRegistration } from '../deviceLoginPolicy.ts';
import { DeviceLoginError, InvalidArgumentError, ProtocolError, ServiceError } from '../errors.ts';
import { type OidcDeviceProviderOptions, oidcDeviceProvider } from '../oidcDeviceProvider.ts';
import type { DeviceAuthorization, PollPending, TokenSet } from '../provider.ts';
import type { StoredRegistration, StoredSession } from '../storage.ts';
import type { FetchLike } from '../types.ts';
import {
  approveDevice,
  startOidcProvider,
  TEST_CLIENTS,
  type TestOidcProvider,
} from './support/oidcProvider.ts';

/** Every request the provider makes, as the server received it. */
interface Recorded {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

function recordingFetch(): { fetch: FetchLike; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    requests.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get('authorization'),
      body: await request.clone().text(),
    });
    return fetch(request);
  };
  return { fetch: fetchImpl, requests };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function serviceErrorOf(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

/** The tokens of a poll the server answered with tokens (not "pending"). */
async function tokensOf(promise: Promise<TokenSet | PollPending>): Promise<TokenSet> {
  const result = await promise;
  expect(result).not.toHaveProperty('pending');
  return result as TokenSet;
}

function sessionOf(
  registration: StoredRegistration,
  tokens: { accessToken: string; refreshToken?: string | undefined },
): StoredSession {
  return {
    accessToken: tokens.accessToken,
    tokenType: 'Bearer',
    expiresAt: Date.now() + 300_000,
    refreshToken: tokens.refreshToken,
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    tokenEndpointAuthMethod: registration.tokenEndpointAuthMethod,
  };
}

/** Where a request carried the client secret: the Basic header, the form body, or nowhere. */
function secretPlace(request: Recorded, secret: string): 'basic' | 'post' | 'none' {
  if (request.authorization?.startsWith('Basic ')) {
    const [, sent] = atob(request.authorization.slice(6)).split(':').map(decodeURIComponent);
    return sent === secret ? 'basic' : 'none';
  }
  return new URLSearchParams(request.body).get('client_secret') === secret ? 'post' : 'none';
}

let op: TestOidcProvider;

beforeAll(async () => {
  op = await startOidcProvider();
});

afterAll(async () => {
  await op.close();
});

/** Registers (or takes the configured client), starts an authorization and has alice approve it. */
async function signIn(options: Partial<OidcDeviceProviderOptions> = {}) {
  const provider = oidcDeviceProvider({ issuer: op.issuer, ...options });
  const registration = await provider.register();
  const authorization = await provider.startDeviceAuthorization(registration);
  const page = await approveDevice(authorization.verificationUri, { userCode: authorization.userCode });
  expect(page.title).toBe('Sign-in Success');
  const tokens = await tokensOf(provider.pollToken(registration, authorization.deviceCode));
  return { provider, registration, authorization, tokens };
}

describe('oidcDeviceProvider against node-oidc-provider', () => {
  describe('discovery', () => {
    it('reads the OpenID configuration of the issuer', async () => {
      const { fetch, requests } = recordingFetch();
      const provider = oidcDeviceProvider({
        issuer: op.issuer,
        clientId: TEST_CLIENTS.public.clientId,
        fetch,
      });
      const metadata = await provider.metadata();
      expect(metadata.issuer).toBe(op.issuer);
      expect(metadata.device_authorization_endpoint).toBe(`${op.issuer}/device/auth`);
      expect(metadata.token_endpoint).toBe(`${op.issuer}/token`);
      expect(metadata.registration_endpoint).toBe(`${op.issuer}/reg`);
      expect(metadata.revocation_endpoint).toBe(`${op.issuer}/token/revocation`);
      expect(requests.map((r) => r.url)).toEqual([`${op.issuer}/.well-known/openid-configuration`]);
      // discovered once, then reused
      await provider.startDeviceAuthorization(await provider.register());
      expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
        '/.well-known/openid-configuration',
        '/device/auth',
      ]);
    });

    it('refuses metadata that names another issuer', async () => {
      // The app reaches the server under another name (a DNS alias, a proxy): the document names 127.0.0.1.
      const alias = op.issuer.replace('127.0.0.1', 'localhost');
      const provider = oidcDeviceProvider({
        issuer: alias,
        fetch: (input, init) => fetch(String(input).replace(alias, op.issuer), init),
      });
      const error = await rejection(provider.register());
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe('invalid_response');
      expect((error as ProtocolError).message).toContain(`names the issuer "${op.issuer}"`);
    });

    it('refuses a plain-http issuer that is not loopback before any request', async () => {
      expect(() => oidcDeviceProvider({ issuer: 'http://sso.example.com/realms/main' })).toThrow(
        InvalidArgumentError,
      );
      expect(() => oidcDeviceProvider({ issuer: 'http://sso.example.com/realms/main' })).toThrow(
        /must use https/,
      );
    });
  });

  describe('dynamic client registration', () => {
    it('registers a public client and signs in with it', async () => {
      const { fetch, requests } = recordingFetch();
      const { registration, tokens } = await signIn({ fetch, clientName: 'Kit test' });
      expect(registration.clientId).toMatch(/.{10,}/);
      expect(registration.clientSecret).toBeUndefined();
      expect(registration.expiresAt).toBeUndefined();
      expect(registration.issuedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(registration.grantTypes).toEqual([
        'urn:ietf:params:oauth:grant-type:device_code',
        'refresh_token',
      ]);
      const sent = JSON.parse(requests.find((r) => r.url.endsWith('/reg'))!.body);
      expect(sent).toMatchObject({
        client_name: 'Kit test',
        response_types: [],
        token_endpoint_auth_method: 'none',
      });
      expect(tokens.accessToken).toBeTruthy();
    });

    it('registers a confidential client when asked and authenticates with its secret', async () => {
      const { fetch, requests } = recordingFetch();
      const { registration, tokens } = await signIn({
        fetch,
        tokenEndpointAuthMethod: 'client_secret_basic',
      });
      expect(registration.clientSecret).toMatch(/.{20,}/);
      // oidc-provider sends client_secret_expires_at: 0, which means "never"
      expect(registration.expiresAt).toBeUndefined();
      const token = requests.find((r) => r.url.endsWith('/token'))!;
      expect(token.authorization).toMatch(/^Basic /);
      expect(tokens.refreshToken).toBeTruthy();
    });
  });

  describe('device authorization and polling', () => {
    it('returns the authorization with the RFC defaults the server leaves out', async () => {
      const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
      const authorization: DeviceAuthorization = await provider.startDeviceAuthorization(
        await provider.register(),
      );
      expect(authorization).toEqual({
        deviceCode: expect.any(String),
        userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
        verificationUri: `${op.issuer}/device`,
        verificationUriComplete: `${op.issuer}/device?user_code=${authorization.userCode}`,
        expiresIn: 600,
        interval: 5, // oidc-provider sends no interval: RFC 8628 §3.2 says 5
      });
    });

    it('reports authorization_pending until the person approves, then returns the tokens', async () => {
      const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
      const registration = await provider.register();
      const authorization = await provider.startDeviceAuthorization(registration);

      // The usual answer is a result, not an error (no error object per poll).
      await expect(provider.pollToken(registration, authorization.deviceCode)).resolves.toEqual({
        pending: 'authorization_pending',
      });

      const page = await approveDevice(authorization.verificationUri, { userCode: authorization.userCode });
      expect(page.title).toBe('Sign-in Success');

      const tokens = await provider.pollToken(registration, authorization.deviceCode);
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 300,
        refreshToken: expect.any(String),
        idToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        scopes: ['openid', 'offline_access'],
      });
    });

    it('approves through verification_uri_complete (the code comes filled in)', async () => {
      const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
      const registration = await provider.register();
      const authorization = await provider.startDeviceAuthorization(registration);
      const page = await approveDevice(authorization.verificationUriComplete!, { userCode: 'not typed' });
      expect(page.title).toBe('Sign-in Success');
      await expect(provider.pollToken(registration, authorization.deviceCode)).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('treats a device code as single-use: polling after success is invalid_grant', async () => {
      const { provider, registration, authorization } = await signIn({
        clientId: TEST_CLIENTS.public.clientId,
      });
      const again = await serviceErrorOf(provider.pollToken(registration, authorization.deviceCode));
      expect(again.code).toBe('invalid_grant');
    });

    it.each([
      ['confirm', 'presses Abort on the confirmation page'],
      ['consent', 'cancels on the consent page'],
    ] as const)('reports access_denied when the person denies on the %s page (%s)', async (deny, _how) => {
      const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
      const registration = await provider.register();
      const authorization = await provider.startDeviceAuthorization(registration);
      const page = await approveDevice(authorization.verificationUri, {
        userCode: authorization.userCode,
        deny,
      });
      expect(page.html).toContain('The Sign-in request was interrupted');
      const denied = await serviceErrorOf(provider.pollToken(registration, authorization.deviceCode));
      expect(denied.code).toBe('access_denied');
      expect(denied.error).toBe('access_denied');
    });

    it('rejects with aborted when the signal has fired, without a request', async () => {
      const { fetch, requests } = recordingFetch();
      const provider = oidcDeviceProvider({
        issuer: op.issuer,
        clientId: TEST_CLIENTS.public.clientId,
        fetch,
      });
      const registration = await provider.register();
      await provider.metadata();
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(
        provider.startDeviceAuthorization(registration, { signal: controller.signal }),
      );
      expect(error).toBeInstanceOf(DeviceLoginError);
      expect((error as DeviceLoginError).code).toBe('aborted');
      expect(requests).toHaveLength(1); // the discovery only
    });
  });

  describe('expiry', () => {
    let shortLived: TestOidcProvider;
    beforeAll(async () => {
      shortLived = await startOidcProvider({ deviceCodeTtl: 30 });
    });
    afterAll(async () => {
      await shortLived.close();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('reports expired_token once the device code outlived its TTL', async () => {
      // Only Date is faked: the provider (same process) and the client read the same clock, timers and sockets stay
      // real. oidc-provider's in-memory adapter keeps expired records, so the server itself answers expired_token.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const provider = oidcDeviceProvider({
        issuer: shortLived.issuer,
        clientId: TEST_CLIENTS.public.clientId,
      });
      const registration = await provider.register();
      const authorization = await provider.startDeviceAuthorization(registration);
      expect(authorization.expiresIn).toBe(30);
      await expect(provider.pollToken(registration, authorization.deviceCode)).resolves.toEqual({
        pending: 'authorization_pending',
      });
      vi.setSystemTime(Date.now() + 31_000);
      const expired = await serviceErrorOf(provider.pollToken(registration, authorization.deviceCode));
      expect(expired.code).toBe('expired_token');
    });
  });

  describe('refresh', () => {
    it('rotates the refresh token twice and refuses the reuse of an old one', async () => {
      const { provider, registration, tokens } = await signIn({ clientId: TEST_CLIENTS.public.clientId });
      const first = await provider.refresh(registration, sessionOf(registration, tokens));
      expect(first.accessToken).not.toBe(tokens.accessToken);
      expect(first.refreshToken).toBeTruthy();
      expect(first.refreshToken).not.toBe(tokens.refreshToken);

      const second = await provider.refresh(registration, sessionOf(registration, first));
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);

      const reuse = await serviceErrorOf(provider.refresh(registration, sessionOf(registration, tokens)));
      expect(reuse.code).toBe('invalid_grant');
      expect(reuse.message).not.toContain(tokens.refreshToken!);
    });

    it('ends the session when there is no refresh token', async () => {
      const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
      const error = await rejection(
        provider.refresh(
          { clientId: TEST_CLIENTS.public.clientId },
          { accessToken: 'a', tokenType: 'Bearer', expiresAt: 0 },
        ),
      );
      expect(error).toMatchObject({ code: 'session_expired' });
    });

    it('asks for no refresh token without offline_access (and oidc-provider drops unknown scopes)', async () => {
      const { tokens } = await signIn({
        clientId: TEST_CLIENTS.public.clientId,
        scopes: ['openid', 'no-such-scope'],
      });
      expect(tokens.accessToken).toBeTruthy();
      expect(tokens.refreshToken).toBeUndefined();
    });
  });

  describe('pre-registered clients', () => {
    it('uses a public client without registering', async () => {
      const { fetch, requests } = recordingFetch();
      const { registration, tokens } = await signIn({ clientId: TEST_CLIENTS.public.clientId, fetch });
      expect(registration).toEqual({ clientId: 'device-public', scopes: ['openid', 'offline_access'] });
      expect(requests.some((r) => r.url.endsWith('/reg'))).toBe(false);
      const token = requests.find((r) => r.url.endsWith('/token'))!;
      expect(token.authorization).toBeNull();
      expect(new URLSearchParams(token.body).get('client_id')).toBe('device-public');
      expect(tokens.refreshToken).toBeTruthy();
    });

    it('authenticates a confidential client with client_secret_basic (the default with a secret)', async () => {
      const { fetch, requests } = recordingFetch();
      const { provider, registration, tokens } = await signIn({ ...TEST_CLIENTS.basic, fetch });
      expect(registration.clientSecret).toBeUndefined(); // the configured secret is not handed out for storage
      for (const path of ['/device/auth', '/token']) {
        const request = requests.find((r) => new URL(r.url).pathname === path)!;
        // RFC 6749 §2.3.1: both parts are form-urlencoded before base64
        const [id, secret] = atob(request.authorization!.replace(/^Basic /, ''))
          .split(':')
          .map((part) => decodeURIComponent(part));
        expect([id, secret]).toEqual([TEST_CLIENTS.basic.clientId, TEST_CLIENTS.basic.clientSecret]);
        expect(request.body).not.toContain('client_secret');
      }
      await expect(provider.refresh(registration, sessionOf(registration, tokens))).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('authenticates a confidential client with client_secret_post when configured', async () => {
      const { fetch, requests } = recordingFetch();
      const { tokens } = await signIn({
        ...TEST_CLIENTS.post,
        tokenEndpointAuthMethod: 'client_secret_post',
        fetch,
      });
      const token = requests.find((r) => r.url.endsWith('/token'))!;
      expect(token.authorization).toBeNull();
      expect(new URLSearchParams(token.body).get('client_secret')).toBe(TEST_CLIENTS.post.clientSecret);
      expect(tokens.accessToken).toBeTruthy();
    });

    it('picks client_secret_post when the endpoints list only that method', async () => {
      const { tokens } = await signIn({
        ...TEST_CLIENTS.post,
        endpoints: {
          deviceAuthorizationEndpoint: `${op.issuer}/device/auth`,
          tokenEndpoint: `${op.issuer}/token`,
          tokenEndpointAuthMethodsSupported: ['client_secret_post'],
        },
      });
      expect(tokens.accessToken).toBeTruthy();
    });

    it('reports invalid_client for a wrong secret, without the secret in the error', async () => {
      const provider = oidcDeviceProvider({
        issuer: op.issuer,
        clientId: TEST_CLIENTS.basic.clientId,
        clientSecret: 'wrong-secret-value',
      });
      const error = await serviceErrorOf(provider.startDeviceAuthorization(await provider.register()));
      expect(error.code).toBe('invalid_client');
      expect(error.status).toBe(401);
      for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
        expect(text).not.toContain('wrong-secret-value');
      }
    });
  });

  describe('logout', () => {
    it('revokes the tokens so the refresh token no longer works', async () => {
      const { fetch, requests } = recordingFetch();
      const { provider, registration, tokens } = await signIn({
        clientId: TEST_CLIENTS.public.clientId,
        fetch,
      });
      const session = sessionOf(registration, tokens);
      await provider.logout(session);
      const revocations = requests.filter((r) => r.url.endsWith('/token/revocation'));
      expect(revocations.map((r) => new URLSearchParams(r.body).get('token_type_hint'))).toEqual([
        'refresh_token',
        'access_token',
      ]);
      const refused = await serviceErrorOf(provider.refresh(registration, session));
      expect(refused.code).toBe('invalid_grant');
    });

    it('does nothing without a revocation endpoint, and never fails for the server', async () => {
      const { fetch, requests } = recordingFetch();
      const provider = oidcDeviceProvider({
        endpoints: {
          deviceAuthorizationEndpoint: `${op.issuer}/device/auth`,
          tokenEndpoint: `${op.issuer}/token`,
        },
        clientId: TEST_CLIENTS.public.clientId,
        fetch,
      });
      await provider.logout({
        accessToken: 'a',
        tokenType: 'Bearer',
        expiresAt: 0,
        clientId: 'device-public',
      });
      expect(requests).toEqual([]);

      const broken = oidcDeviceProvider({ issuer: op.issuer, clientId: 'no-such-client' });
      await expect(
        broken.logout({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresAt: 0 }),
      ).resolves.toBeUndefined();
    });
  });

  describe('a token_endpoint_auth_method the server assigns (RFC 7591 §3.2.1)', () => {
    let assign: (properties: Record<string, unknown>) => void = () => {};
    let assigning: TestOidcProvider;
    beforeAll(async () => {
      assigning = await startOidcProvider({ registrationPolicy: (properties) => assign(properties) });
    });
    afterAll(async () => {
      await assigning.close();
    });

    /** The server registers every client for `method`, with a secret when the method needs one. */
    const assignMethod = (method: string, extra: Record<string, unknown> = {}) => {
      assign = (properties) => {
        properties.token_endpoint_auth_method = method;
        if (method.startsWith('client_secret') && properties.client_secret === undefined) {
          properties.client_secret = randomBytes(32).toString('base64url');
          properties.client_secret_expires_at = 0;
        }
        Object.assign(properties, extra);
      };
    };

    function assigningProvider(options: Partial<OidcDeviceProviderOptions> = {}) {
      return oidcDeviceProvider({
        issuer: assigning.issuer,
        initialAccessToken: assigning.initialAccessToken,
        ...options,
      });
    }

    it('authenticates every request as assigned: client_secret_post for a client that asked for none', async () => {
      assignMethod('client_secret_post');
      const { fetch, requests } = recordingFetch();
      const provider = assigningProvider({ fetch });
      // The trap: the metadata lists client_secret_basic first, which is what a client with a secret would pick.
      const metadata = await provider.metadata();
      expect(metadata.token_endpoint_auth_methods_supported?.[0]).toBe('client_secret_basic');

      const registration = await provider.register();
      const asked = JSON.parse(requests.find((r) => r.url.endsWith('/reg'))!.body);
      expect(asked.token_endpoint_auth_method).toBe('none');
      expect(registration.tokenEndpointAuthMethod).toBe('client_secret_post');
      const secret = registration.clientSecret!;
      expect(secret).toMatch(/.{20,}/);

      const authorization = await provider.startDeviceAuthorization(registration);
      const page = await approveDevice(authorization.verificationUri, { userCode: authorization.userCode });
      expect(page.title).toBe('Sign-in Success');
      const tokens = await tokensOf(provider.pollToken(registration, authorization.deviceCode));

      // A refresh as the machine does it: the registration rebuilt from the session, which carries the method.
      const session = sessionOf(registration, tokens);
      const refreshed = await provider.refresh(refreshRegistration(session, undefined)!, session);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      const next = { ...session, accessToken: refreshed.accessToken, refreshToken: refreshed.refreshToken };
      await provider.logout(next);

      const sent = requests.filter((r) => !r.url.includes('/.well-known/') && !r.url.endsWith('/reg'));
      expect(sent.map((r) => [new URL(r.url).pathname, secretPlace(r, secret)])).toEqual([
        ['/device/auth', 'post'],
        ['/token', 'post'],
        ['/token', 'post'],
        ['/token/revocation', 'post'],
        ['/token/revocation', 'post'],
      ]);
      // The revocations were accepted: the server forgot the grant.
      const refused = await serviceErrorOf(provider.refresh(registration, next));
      expect(refused.code).toBe('invalid_grant');
    });

    it('follows the server over tokenEndpointAuthMethod: asked client_secret_basic, assigned client_secret_post', async () => {
      assignMethod('client_secret_post');
      const { fetch, requests } = recordingFetch();
      const { registration, tokens } = await signIn({
        issuer: assigning.issuer,
        initialAccessToken: assigning.initialAccessToken,
        tokenEndpointAuthMethod: 'client_secret_basic',
        fetch,
      });
      expect(JSON.parse(requests.find((r) => r.url.endsWith('/reg'))!.body).token_endpoint_auth_method).toBe(
        'client_secret_basic',
      );
      expect(registration.tokenEndpointAuthMethod).toBe('client_secret_post');
      const token = requests.find((r) => r.url.endsWith('/token'))!;
      expect(secretPlace(token, registration.clientSecret!)).toBe('post');
      expect(tokens.accessToken).toBeTruthy();
    });

    it('keeps client_secret_basic when that is what the server registered', async () => {
      assign = () => {};
      const { fetch, requests } = recordingFetch();
      const { registration } = await signIn({
        issuer: assigning.issuer,
        initialAccessToken: assigning.initialAccessToken,
        tokenEndpointAuthMethod: 'client_secret_basic',
        fetch,
      });
      expect(registration.tokenEndpointAuthMethod).toBe('client_secret_basic');
      const token = requests.find((r) => r.url.endsWith('/token'))!;
      expect(secretPlace(token, registration.clientSecret!)).toBe('basic');
    });

    it.each([
      ['private_key_jwt', () => ({ jwks: { keys: [publicJwk()] } })],
      ['client_secret_jwt', () => ({})],
    ])('refuses a client registered for %s at registration, saying what to do', async (method, extra) => {
      assignMethod(method, extra());
      let answer: Record<string, unknown> = {};
      const provider = assigningProvider({
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          answer = await response.clone().json();
          return response;
        },
      });
      const error = await rejection(provider.register());
      expect(answer.token_endpoint_auth_method).toBe(method);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ code: 'invalid_argument', argument: 'tokenEndpointAuthMethod' });
      const { message } = error as InvalidArgumentError;
      expect(message).toContain(`"${method}"`);
      expect(message).toMatch(/register a client with it and pass its clientId/);
      // The server did register it, with a secret for client_secret_jwt: the secret stays out of the error.
      expect(typeof answer.client_secret).toBe(method === 'client_secret_jwt' ? 'string' : 'undefined');
      for (const text of [message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
        expect(text).not.toContain(String(answer.client_secret));
      }
    });
  });

  describe('pre-registered clients and a stored method', () => {
    it('follows the options for the configured client, whatever a registration record says', async () => {
      const { fetch, requests } = recordingFetch();
      const provider = oidcDeviceProvider({ issuer: op.issuer, ...TEST_CLIENTS.basic, fetch });
      await provider.startDeviceAuthorization({
        clientId: TEST_CLIENTS.basic.clientId,
        tokenEndpointAuthMethod: 'client_secret_post',
      });
      const request = requests.find((r) => r.url.endsWith('/device/auth'))!;
      expect(secretPlace(request, TEST_CLIENTS.basic.clientSecret)).toBe('basic');
    });
  });
});

/** A public EC key, for a client registered for private_key_jwt. */
function publicJwk(): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...publicKey.export({ format: 'jwk' }), use: 'sig', kid: 'k1' };
}
