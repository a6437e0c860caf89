/**
 * The official AWS SDK (`@aws-sdk/client-sso-oidc`) against the emulator over real HTTP: every success parses and
 * every error case raises the SDK's own exception class with AWS's fields.
 */

import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InternalServerException,
  InvalidClientException,
  InvalidClientMetadataException,
  InvalidGrantException,
  InvalidRequestException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
  UnauthorizedClientException,
  UnsupportedGrantTypeException,
} from '@aws-sdk/client-sso-oidc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { DEVICE_GRANT, manualClock, rejectionOf, START_URL, UUID } from './support.ts';

let aws: RunningEmulator;
let clock: ReturnType<typeof manualClock>;
let oidc: SSOOIDCClient;

beforeEach(async () => {
  clock = manualClock();
  aws = await startEmulator({ now: clock.now, interval: 5, deviceCodeTtl: 600, accessTokenTtl: 3600 });
  oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
});

afterEach(async () => {
  oidc.destroy();
  await aws.close();
});

async function register(scopes: string[] | null = ['sso:account:access'], extra: object = {}) {
  const output = await oidc.send(
    new RegisterClientCommand({
      clientName: 'sdk-test',
      clientType: 'public',
      ...(scopes ? { scopes } : {}),
      ...extra,
    }),
  );
  return { clientId: output.clientId!, clientSecret: output.clientSecret! };
}

async function start(client: { clientId: string; clientSecret: string }) {
  return oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
}

function poll(client: { clientId: string; clientSecret: string }, deviceCode: string | undefined) {
  return oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode }));
}

function refresh(client: { clientId: string; clientSecret: string }, refreshToken: string | undefined) {
  return oidc.send(new CreateTokenCommand({ ...client, grantType: 'refresh_token', refreshToken }));
}

/** Asserts an SDK exception: class, OAuth fields, status, request id, and AWS's "UnknownError" message. */
function expectSdkError(
  error: Record<string, unknown>,
  type: new (...args: never[]) => unknown,
  code: string,
  status = 400,
) {
  expect(error).toBeInstanceOf(type);
  expect(error.error).toBe(code);
  expect(typeof error.error_description).toBe('string');
  expect((error.error_description as string).length).toBeGreaterThan(0);
  // The body has no `message` member, so the SDK reports "UnknownError" exactly as it does against AWS.
  expect(error.message).toBe('UnknownError');
  const metadata = error.$metadata as { httpStatusCode: number; requestId: string };
  expect(metadata.httpStatusCode).toBe(status);
  expect(metadata.requestId).toMatch(UUID);
}

describe('successful device flow through the SDK', () => {
  it('registers, starts, polls, gets a token after approval and rotates refresh tokens', async () => {
    const registration = await oidc.send(
      new RegisterClientCommand({
        clientName: 'sdk-test',
        clientType: 'public',
        scopes: ['sso:account:access'],
      }),
    );
    expect(registration.clientId).toEqual(expect.any(String));
    expect(registration.clientSecret).toEqual(expect.any(String));
    // Epoch seconds, 90 days apart by default.
    expect(registration.clientIdIssuedAt).toBe(Math.floor(clock.now() / 1000));
    expect(registration.clientSecretExpiresAt! - registration.clientIdIssuedAt!).toBe(90 * 24 * 3600);
    expect(registration.$metadata.requestId).toMatch(UUID);

    const client = { clientId: registration.clientId!, clientSecret: registration.clientSecret! };
    const authorization = await start(client);
    expect(authorization.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(authorization.verificationUri).toBe(`${aws.url}/device`);
    expect(authorization.verificationUriComplete).toBe(
      `${aws.url}/device?user_code=${authorization.userCode}`,
    );
    expect(authorization.expiresIn).toBe(600);
    expect(authorization.interval).toBe(5);
    expect(authorization.deviceCode).toEqual(expect.any(String));

    expectSdkError(
      await rejectionOf(poll(client, authorization.deviceCode)),
      AuthorizationPendingException,
      'authorization_pending',
    );
    aws.approve({ userCode: authorization.userCode! });
    clock.tick(5000);
    const token = await poll(client, authorization.deviceCode);
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(3600);
    expect(token.accessToken).toEqual(expect.any(String));
    expect(token.refreshToken).toEqual(expect.any(String));

    const refreshed = await refresh(client, token.refreshToken);
    expect(refreshed.accessToken).not.toBe(token.accessToken);
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);
    expect(refreshed.expiresIn).toBe(3600);
    // The old refresh token was rotated out.
    expectSdkError(
      await rejectionOf(refresh(client, token.refreshToken)),
      InvalidGrantException,
      'invalid_grant',
    );
    // The newest one still works.
    expect((await refresh(client, refreshed.refreshToken)).accessToken).toEqual(expect.any(String));
  });

  it.each([
    ['without scopes', null],
    ['with empty scopes', []],
  ])('issues no refresh token to a client registered %s', async (_label, scopes) => {
    const client = await register(scopes);
    expect(aws.requests().at(-1)?.body).toEqual(
      scopes
        ? { clientName: 'sdk-test', clientType: 'public', scopes }
        : { clientName: 'sdk-test', clientType: 'public' },
    );
    const authorization = await start(client);
    aws.approve({ userCode: authorization.userCode! });
    const token = await poll(client, authorization.deviceCode);
    expect(token.accessToken).toEqual(expect.any(String));
    expect(token.refreshToken).toBeUndefined();
    expectSdkError(
      await rejectionOf(refresh(client, 'aor-anything')),
      InvalidGrantException,
      'invalid_grant',
    );
  });

  it('accepts the user code or the device code in approve()', async () => {
    const client = await register();
    const authorization = await start(client);
    expect(aws.approve({ deviceCode: authorization.deviceCode!, user: 'bob' })).toEqual({
      userCode: authorization.userCode,
      user: 'bob',
    });
    expect((await poll(client, authorization.deviceCode)).accessToken).toEqual(expect.any(String));
  });
});

describe('CreateToken errors for the device code grant', () => {
  it('AuthorizationPendingException until approved, on every poll that respects the interval', async () => {
    const client = await register();
    const { deviceCode } = await start(client);
    for (let i = 0; i < 3; i += 1) {
      expectSdkError(
        await rejectionOf(poll(client, deviceCode)),
        AuthorizationPendingException,
        'authorization_pending',
      );
      clock.tick(5000);
    }
  });

  it('SlowDownException when polled sooner than the interval, and the interval then grows by 5 s', async () => {
    const client = await register();
    const { deviceCode, userCode } = await start(client);
    await rejectionOf(poll(client, deviceCode));
    clock.tick(4999);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), SlowDownException, 'slow_down');
    expect(aws.pendingAuthorizations().find((a) => a.userCode === userCode)?.interval).toBe(10);
    // The old interval is no longer enough…
    clock.tick(5000);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), SlowDownException, 'slow_down');
    // …and it grew again: 15 s now.
    clock.tick(15_000);
    expectSdkError(
      await rejectionOf(poll(client, deviceCode)),
      AuthorizationPendingException,
      'authorization_pending',
    );
  });

  it('ExpiredTokenException once expiresIn has passed (not one millisecond before)', async () => {
    const client = await register();
    const { deviceCode } = await start(client);
    clock.tick(600_000 - 1);
    expectSdkError(
      await rejectionOf(poll(client, deviceCode)),
      AuthorizationPendingException,
      'authorization_pending',
    );
    clock.tick(1);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), ExpiredTokenException, 'expired_token');
  });

  it('ExpiredTokenException after expire() and after advance()', async () => {
    const client = await register();
    const first = await start(client);
    aws.expire({ userCode: first.userCode! });
    expectSdkError(await rejectionOf(poll(client, first.deviceCode)), ExpiredTokenException, 'expired_token');

    const second = await start(client);
    aws.advance(600);
    expectSdkError(
      await rejectionOf(poll(client, second.deviceCode)),
      ExpiredTokenException,
      'expired_token',
    );
  });

  it('AccessDeniedException after deny, on every later poll', async () => {
    const client = await register();
    const { deviceCode, userCode } = await start(client);
    aws.deny({ userCode: userCode! });
    expectSdkError(await rejectionOf(poll(client, deviceCode)), AccessDeniedException, 'access_denied');
    clock.tick(5000);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), AccessDeniedException, 'access_denied');
  });

  it('InvalidGrantException for a device code already exchanged', async () => {
    const client = await register();
    const { deviceCode, userCode } = await start(client);
    aws.approve({ userCode: userCode! });
    await poll(client, deviceCode);
    clock.tick(5000);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), InvalidGrantException, 'invalid_grant');
  });

  it('InvalidGrantException for an unknown device code', async () => {
    const client = await register();
    expectSdkError(
      await rejectionOf(poll(client, 'not-a-device-code')),
      InvalidGrantException,
      'invalid_grant',
    );
  });

  it('InvalidGrantException for a device code presented by another client', async () => {
    const owner = await register();
    const other = await register();
    const { deviceCode, userCode } = await start(owner);
    aws.approve({ userCode: userCode! });
    expectSdkError(await rejectionOf(poll(other, deviceCode)), InvalidGrantException, 'invalid_grant');
    // The rightful client still gets its token.
    expect((await poll(owner, deviceCode)).accessToken).toEqual(expect.any(String));
  });

  it('InvalidRequestException when deviceCode is missing', async () => {
    const client = await register();
    expectSdkError(await rejectionOf(poll(client, undefined)), InvalidRequestException, 'invalid_request');
  });
});

describe('CreateToken errors for the refresh token grant', () => {
  async function signedIn() {
    const client = await register();
    const { deviceCode, userCode } = await start(client);
    aws.approve({ userCode: userCode! });
    return { client, token: await poll(client, deviceCode) };
  }

  it('rotateRefreshTokens: false answers refreshes without a refreshToken and keeps the first one working', async () => {
    await aws.close();
    aws = await startEmulator({ now: clock.now, interval: 5, rotateRefreshTokens: false });
    oidc.destroy();
    oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
    const { client, token } = await signedIn();
    expect(token.refreshToken).toMatch(/^aor/);
    const first = await refresh(client, token.refreshToken);
    expect(first.accessToken).toMatch(/^aoa/);
    expect(first.accessToken).not.toBe(token.accessToken);
    expect(first.refreshToken).toBeUndefined();
    const second = await refresh(client, token.refreshToken);
    expect(second.refreshToken).toBeUndefined();
    // The session still ends on time, rotation or not.
    clock.tick(8 * 3600 * 1000);
    expectSdkError(
      await rejectionOf(refresh(client, token.refreshToken)),
      InvalidGrantException,
      'invalid_grant',
    );
  });

  it('InvalidGrantException for an unknown refresh token', async () => {
    const client = await register();
    expectSdkError(await rejectionOf(refresh(client, 'aor-unknown')), InvalidGrantException, 'invalid_grant');
  });

  it('InvalidGrantException for a refresh token of another client', async () => {
    const { token } = await signedIn();
    const other = await register();
    expectSdkError(
      await rejectionOf(refresh(other, token.refreshToken)),
      InvalidGrantException,
      'invalid_grant',
    );
  });

  it('InvalidGrantException once the portal session (8 h by default) has ended', async () => {
    const { client, token } = await signedIn();
    clock.tick(8 * 3600 * 1000 - 1);
    const refreshed = await refresh(client, token.refreshToken);
    clock.tick(1);
    expectSdkError(
      await rejectionOf(refresh(client, refreshed.refreshToken)),
      InvalidGrantException,
      'invalid_grant',
    );
  });

  it('InvalidRequestException when refreshToken is missing', async () => {
    const client = await register();
    expectSdkError(await rejectionOf(refresh(client, undefined)), InvalidRequestException, 'invalid_request');
  });
});

describe('client authentication', () => {
  it('InvalidClientException (401) for an unknown client on StartDeviceAuthorization and CreateToken', async () => {
    const unknown = { clientId: 'nope', clientSecret: 'nope' };
    expectSdkError(await rejectionOf(start(unknown)), InvalidClientException, 'invalid_client', 401);
    expectSdkError(await rejectionOf(poll(unknown, 'x')), InvalidClientException, 'invalid_client', 401);
    expectSdkError(await rejectionOf(refresh(unknown, 'x')), InvalidClientException, 'invalid_client', 401);
  });

  it('InvalidClientException (401) for a wrong secret', async () => {
    const client = await register();
    const wrong = { ...client, clientSecret: `${client.clientSecret}x` };
    expectSdkError(await rejectionOf(start(wrong)), InvalidClientException, 'invalid_client', 401);
    expectSdkError(await rejectionOf(poll(wrong, 'x')), InvalidClientException, 'invalid_client', 401);
  });

  it('InvalidClientException (401) once the registration has expired (clientSecretTtl)', async () => {
    const client = await register();
    clock.tick(90 * 24 * 3600 * 1000 - 1);
    await start(client);
    clock.tick(1);
    expectSdkError(await rejectionOf(start(client)), InvalidClientException, 'invalid_client', 401);
  });

  it('InvalidClientException (401) after expireClient(), also for a poll already under way', async () => {
    const client = await register();
    const { deviceCode } = await start(client);
    aws.expireClient({ clientId: client.clientId });
    expectSdkError(
      await rejectionOf(poll(client, deviceCode)),
      InvalidClientException,
      'invalid_client',
      401,
    );
    expectSdkError(await rejectionOf(start(client)), InvalidClientException, 'invalid_client', 401);
  });

  it('UnauthorizedClientException for a client registered without the device code grant', async () => {
    const client = await register(['sso:account:access'], {
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
    });
    expectSdkError(await rejectionOf(start(client)), UnauthorizedClientException, 'unauthorized_client');
  });
});

describe('request validation', () => {
  it('InvalidRequestException for missing or mistyped RegisterClient members', async () => {
    const missingName = oidc.send(new RegisterClientCommand({ clientType: 'public' } as never));
    expectSdkError(await rejectionOf(missingName), InvalidRequestException, 'invalid_request');
    const badScopes = oidc.send(
      new RegisterClientCommand({
        clientName: 'x',
        clientType: 'public',
        scopes: 'sso:account:access',
      } as never),
    );
    expectSdkError(await rejectionOf(badScopes), InvalidRequestException, 'invalid_request');
  });

  it('InvalidRequestException for a missing or non-URL startUrl', async () => {
    const client = await register();
    const missing = oidc.send(new StartDeviceAuthorizationCommand({ ...client } as never));
    expectSdkError(await rejectionOf(missing), InvalidRequestException, 'invalid_request');
    const notUrl = oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: 'not a url' }));
    expectSdkError(await rejectionOf(notUrl), InvalidRequestException, 'invalid_request');
  });

  it('InvalidRequestException for a missing clientSecret or grantType on CreateToken', async () => {
    const client = await register();
    const noSecret = oidc.send(
      new CreateTokenCommand({
        clientId: client.clientId,
        grantType: DEVICE_GRANT,
        deviceCode: 'x',
      } as never),
    );
    expectSdkError(await rejectionOf(noSecret), InvalidRequestException, 'invalid_request');
    const noGrant = oidc.send(new CreateTokenCommand({ ...client, deviceCode: 'x' } as never));
    expectSdkError(await rejectionOf(noGrant), InvalidRequestException, 'invalid_request');
  });

  it('UnsupportedGrantTypeException for an unknown grantType, for authorization_code and at registration', async () => {
    const client = await register();
    const password = oidc.send(new CreateTokenCommand({ ...client, grantType: 'password' }));
    expectSdkError(await rejectionOf(password), UnsupportedGrantTypeException, 'unsupported_grant_type');
    const code = oidc.send(new CreateTokenCommand({ ...client, grantType: 'authorization_code', code: 'c' }));
    expectSdkError(await rejectionOf(code), UnsupportedGrantTypeException, 'unsupported_grant_type');
    const registration = register(['sso:account:access'], { grantTypes: ['implicit'] });
    expectSdkError(await rejectionOf(registration), UnsupportedGrantTypeException, 'unsupported_grant_type');
  });

  it('InvalidClientMetadataException for a clientType other than public', async () => {
    const confidential = oidc.send(
      new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' }),
    );
    expectSdkError(
      await rejectionOf(confidential),
      InvalidClientMetadataException,
      'invalid_client_metadata',
    );
  });
});

describe('injected faults seen through the SDK', () => {
  it('InternalServerException (500, server fault) on each operation it is injected into, then back to normal', async () => {
    aws.fault({ operation: 'RegisterClient', error: 'InternalServerException' });
    const error = await rejectionOf(register());
    expectSdkError(error, InternalServerException, 'server_error', 500);
    expect(error.$fault).toBe('server');
    const client = await register();

    aws.fault({ operation: 'StartDeviceAuthorization', error: 'InternalServerException' });
    expectSdkError(await rejectionOf(start(client)), InternalServerException, 'server_error', 500);
    const { deviceCode, userCode } = await start(client);

    aws.fault({ operation: 'CreateToken', error: 'InternalServerException', count: 2 });
    aws.approve({ userCode: userCode! });
    expectSdkError(await rejectionOf(poll(client, deviceCode)), InternalServerException, 'server_error', 500);
    expectSdkError(await rejectionOf(poll(client, deviceCode)), InternalServerException, 'server_error', 500);
    // The faulted polls never reached the operation, so they count neither as polls nor as an exchange.
    expect((await poll(client, deviceCode)).accessToken).toEqual(expect.any(String));
  });

  it('renders any modeled OIDC exception with its status, e.g. SlowDownException on StartDeviceAuthorization', async () => {
    const client = await register();
    aws.fault({ operation: 'StartDeviceAuthorization', error: 'SlowDownException' });
    expectSdkError(await rejectionOf(start(client)), SlowDownException, 'slow_down');
  });
});
