/**
 * Our SSO OIDC and portal clients against the emulator, end to end: over real HTTP on 127.0.0.1
 * (`startEmulator`) and in-process through `emulator.fetch`. The whole sign-in lifecycle, then every fault the
 * emulator can inject, each surfacing as the coded error a caller can act on.
 */
import {
  createEmulator,
  type Emulator,
  type EmulatorSeed,
  type RunningEmulator,
  startEmulator,
} from '@oidc-device-login/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceLoginError, isTransientError, NetworkError, ProtocolError, ServiceError } from '../errors.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import { createSsoPortalClient } from '../ssoPortal.ts';
import type { SsoOidcClient, SsoPortalClient } from '../types.ts';
import { DEVICE_GRANT, manualClock, rejectionOf, START_URL } from './emulatorDriver.ts';

const EPOCH = Date.UTC(2026, 0, 1);
const ACCOUNT_COUNT = 25;
const ROLES = ['AdministratorAccess', 'Billing', 'PowerUser', 'ReadOnly'];

/** More accounts than the default page of 20, so listing them all takes several pages even without max_result. */
const seed: EmulatorSeed = {
  accounts: Array.from({ length: ACCOUNT_COUNT }, (_, i) => ({
    accountId: String(100_000_000_000 + i),
    accountName: `account-${i}`,
    emailAddress: `aws+${i}@example.com`,
  })),
  users: [
    {
      userName: 'carol',
      displayName: 'Carol Cloud',
      assignments: Object.fromEntries(
        Array.from({ length: ACCOUNT_COUNT }, (_, i) => [String(100_000_000_000 + i), ROLES]),
      ),
    },
    { userName: 'dave', assignments: { '100000000000': ['ReadOnly'] } },
  ],
};

interface Transport {
  oidc: SsoOidcClient;
  portal: SsoPortalClient;
  emulator: Pick<Emulator, 'approve' | 'requests' | 'now' | 'pendingAuthorizations'>;
  /** Where verification URIs point. */
  origin: string;
  /** Moves the emulator's injected clock. */
  tick(ms: number): void;
}

/**
 * register → start → approve → token → refresh (rotation) → all accounts → roles → role credentials → logout → 401.
 * The same steps for every transport.
 */
async function fullFlow({ oidc, emulator, origin }: Transport) {
  const registration = await oidc.registerClient({
    clientName: 'integration',
    clientType: 'public',
    scopes: ['sso:account:access'],
  });
  expect(registration.clientSecretExpiresAt - registration.clientIdIssuedAt).toBe(90 * 24 * 3600);
  expect(registration.clientIdIssuedAt).toBe(Math.floor(emulator.now() / 1000));
  const client = { clientId: registration.clientId, clientSecret: registration.clientSecret };

  const authorization = await oidc.startDeviceAuthorization({ ...client, startUrl: START_URL });
  expect(authorization.verificationUri).toBe(`${origin}/device`);
  expect(authorization.verificationUriComplete).toBe(`${origin}/device?user_code=${authorization.userCode}`);
  expect(authorization).toMatchObject({ expiresIn: 600, interval: 1 });

  const poll = () =>
    oidc.createToken({ ...client, grantType: DEVICE_GRANT, deviceCode: authorization.deviceCode });
  const pending = await rejectionOf(poll());
  expect(pending).toBeInstanceOf(ServiceError);
  expect(pending).toMatchObject({ code: 'authorization_pending', status: 400 });
  expect(isTransientError(pending)).toBe(false);

  expect(emulator.approve({ userCode: authorization.userCode, user: 'carol' })).toEqual({
    userCode: authorization.userCode,
    user: 'carol',
  });
  return { client, poll };
}

async function afterApproval(transport: Transport, flow: Awaited<ReturnType<typeof fullFlow>>) {
  const { oidc, portal, emulator, tick } = transport;
  const { client, poll } = flow;
  // Wait out the 1 s interval before polling again, as a polite client does.
  tick(1000);
  const token = await poll();
  expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
  expect(token.refreshToken).toEqual(expect.any(String));
  // The device code is single-use.
  expect(await rejectionOf(poll())).toMatchObject({ code: 'invalid_grant' });

  // Refresh rotates: the new refresh token works, the old one is rejected.
  const refreshed = await oidc.createToken({
    ...client,
    grantType: 'refresh_token',
    refreshToken: token.refreshToken ?? '',
  });
  expect(refreshed.accessToken).not.toBe(token.accessToken);
  expect(refreshed.refreshToken).toEqual(expect.any(String));
  expect(refreshed.refreshToken).not.toBe(token.refreshToken);
  const reused = await rejectionOf(
    oidc.createToken({ ...client, grantType: 'refresh_token', refreshToken: token.refreshToken ?? '' }),
  );
  expect(reused).toBeInstanceOf(ServiceError);
  expect(reused).toMatchObject({ code: 'invalid_grant', exception: 'InvalidGrantException', status: 400 });
  const accessToken = refreshed.accessToken;

  // Every account, across pages: 2 pages at the default size, 25 pages at one per page.
  const expectedAccounts = seed.accounts.map(({ accountId, accountName, emailAddress }) => ({
    accountId,
    accountName,
    emailAddress,
  }));
  let before = emulator.requests().length;
  expect(await portal.listAllAccounts({ accessToken })).toEqual(expectedAccounts);
  expect(emulator.requests().length - before).toBe(2);
  before = emulator.requests().length;
  expect(await portal.listAllAccounts({ accessToken, maxResults: 1 })).toEqual(expectedAccounts);
  const pages = emulator.requests().slice(before);
  expect(pages).toHaveLength(ACCOUNT_COUNT);
  expect(pages.every((request) => request.status === 200)).toBe(true);
  // The opaque next_token holds + / =, so it must travel percent-encoded.
  expect(pages[1]?.rawQuery).toMatch(/^max_result=1&next_token=[^&]*%2B[^&]*%3D$/);

  const accountId = expectedAccounts[ACCOUNT_COUNT - 1]?.accountId ?? '';
  const roles = await portal.listAllAccountRoles({ accessToken, accountId, maxResults: 1 });
  expect(roles).toEqual(ROLES.map((roleName) => ({ roleName, accountId })));
  const firstPage = await portal.listAccountRoles({ accessToken, accountId, maxResults: 3 });
  expect(firstPage.roleList).toHaveLength(3);
  expect(firstPage.nextToken).toEqual(expect.any(String));

  const { roleCredentials } = await portal.getRoleCredentials({
    accessToken,
    accountId,
    roleName: 'ReadOnly',
  });
  expect(roleCredentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
  expect(roleCredentials.secretAccessKey).toEqual(expect.any(String));
  expect(roleCredentials.sessionToken).toEqual(expect.any(String));
  // Epoch milliseconds, one hour after the emulator's now: in the future, and not mistaken for seconds.
  expect(roleCredentials.expiration).toBe(emulator.now() + 3600 * 1000);
  expect(roleCredentials.expiration).toBeGreaterThan(emulator.now());

  await expect(portal.logout({ accessToken })).resolves.toBeUndefined();
  const afterLogout = await rejectionOf(portal.listAccounts({ accessToken }));
  expect(afterLogout).toBeInstanceOf(ServiceError);
  expect(afterLogout).toMatchObject({
    code: 'unauthorized',
    exception: 'UnauthorizedException',
    status: 401,
    operation: 'ListAccounts',
  });
  // The session is over for the refresh token too.
  expect(
    await rejectionOf(
      oidc.createToken({ ...client, grantType: 'refresh_token', refreshToken: refreshed.refreshToken ?? '' }),
    ),
  ).toMatchObject({ code: 'invalid_grant' });
}

describe('over real HTTP (startEmulator)', () => {
  let aws: RunningEmulator;
  const clock = manualClock(EPOCH);
  let oidc: SsoOidcClient;
  let portal: SsoPortalClient;

  beforeAll(async () => {
    aws = await startEmulator({ seed, now: clock.now });
    oidc = createSsoOidcClient({ endpoint: aws.url });
    portal = createSsoPortalClient({ endpoint: aws.url });
  });
  afterAll(() => aws.close());
  beforeEach(() => {
    aws.reset();
    clock.set(EPOCH);
  });

  const transport = (): Transport => ({ oidc, portal, emulator: aws, origin: aws.url, tick: clock.tick });

  /** Registers, starts and returns a poll function for a fresh device authorization. */
  async function started(scopes = ['sso:account:access']) {
    const registration = await oidc.registerClient({
      clientName: 'integration',
      clientType: 'public',
      scopes,
    });
    const client = { clientId: registration.clientId, clientSecret: registration.clientSecret };
    const authorization = await oidc.startDeviceAuthorization({ ...client, startUrl: START_URL });
    const poll = (options?: { signal?: AbortSignal }) =>
      oidc.createToken({ ...client, grantType: DEVICE_GRANT, deviceCode: authorization.deviceCode }, options);
    return { client, authorization, poll };
  }

  async function signedIn() {
    const flow = await started();
    aws.approve({ userCode: flow.authorization.userCode });
    const token = await flow.poll();
    return { ...flow, accessToken: token.accessToken };
  }

  it('runs the whole lifecycle: register → token → refresh → accounts → roles → credentials → logout', async () => {
    const t = transport();
    await afterApproval(t, await fullFlow(t));
    // Every call went over the wire to the emulator and was recorded there.
    expect(aws.requests().map((request) => request.operation)).toContain('Logout');
  });

  it('slow_down when polling faster than the interval; the interval grows by 5 s', async () => {
    const { authorization, poll } = await started();
    await expect(poll()).rejects.toMatchObject({ code: 'authorization_pending' });
    clock.tick(999);
    const error = await rejectionOf(poll());
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'slow_down', exception: 'SlowDownException', status: 400 });
    expect(isTransientError(error)).toBe(false);
    expect(aws.pendingAuthorizations().find((a) => a.userCode === authorization.userCode)?.interval).toBe(6);
    clock.tick(6000);
    await expect(poll()).rejects.toMatchObject({ code: 'authorization_pending' });
  });

  it('a 500 is a transient server_error, and the device code still works afterwards', async () => {
    const { authorization, poll } = await started();
    aws.approve({ userCode: authorization.userCode });
    aws.fault({ operation: 'CreateToken', error: 'InternalServerException' });
    const error = await rejectionOf(poll());
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'server_error', exception: 'InternalServerException', status: 500 });
    expect(isTransientError(error)).toBe(true);
    // Nothing was lost: the approved authorization is still there to exchange.
    expect((await poll()).accessToken).toEqual(expect.any(String));
  });

  it('throttling: 429 TooManyRequestsException on the portal is a transient `throttled`', async () => {
    const { accessToken } = await signedIn();
    aws.fault({ operation: 'ListAccounts', error: 'TooManyRequestsException', count: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await rejectionOf(portal.listAllAccounts({ accessToken }));
      expect(error).toBeInstanceOf(ServiceError);
      expect(error).toMatchObject({ code: 'throttled', exception: 'TooManyRequestsException', status: 429 });
      expect(isTransientError(error)).toBe(true);
    }
    expect(await portal.listAllAccounts({ accessToken })).toHaveLength(ACCOUNT_COUNT);
  });

  it('throttling in the middle of a listing fails the listing, not silently short', async () => {
    const { accessToken } = await signedIn();
    const pages = portal.paginateAccounts({ accessToken, maxResults: 10 });
    expect((await pages.next()).value?.accountList).toHaveLength(10);
    aws.fault({ operation: 'ListAccounts', error: 'TooManyRequestsException' });
    await expect(pages.next()).rejects.toMatchObject({ code: 'throttled' });
  });

  it.each([
    ['RegisterClient', () => oidc.registerClient({ clientName: 'x', clientType: 'public' })],
    ['StartDeviceAuthorization', async () => (await started()).authorization],
    ['CreateToken', async () => (await started()).poll()],
  ] as const)('a dropped connection on %s is a NetworkError coded network_error', async (operation, call) => {
    aws.fault({ operation, drop: true });
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network_error' });
    expect(isTransientError(error)).toBe(true);
    expect(aws.requests().at(-1)).toMatchObject({ operation, status: 0, fault: 'drop' });
  });

  it('a dropped connection on the portal is a NetworkError too', async () => {
    const { accessToken } = await signedIn();
    aws.fault({ operation: 'GetRoleCredentials', drop: true });
    const error = await rejectionOf(
      portal.getRoleCredentials({ accessToken, accountId: '100000000000', roleName: 'ReadOnly' }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).not.toContain(accessToken);
  });

  it('a delayed answer can be aborted: the call rejects with `aborted` and the emulator sees the hang-up', async () => {
    const { poll } = await started();
    // Long enough that only the abort can end it; the emulator clears its timer when the socket closes.
    aws.fault({ operation: 'CreateToken', delayMs: 600_000 });
    const controller = new AbortController();
    const call = rejectionOf(poll({ signal: controller.signal }));
    // Abort only once the request is inside the emulator, waiting on the fault's delay.
    await until(() => aws.requests().some((r) => r.operation === 'CreateToken' && r.fault === 'delay'));
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(DeviceLoginError);
    expect(error).toMatchObject({ code: 'aborted' });
    await until(() => aws.requests().at(-1)?.status === 0);
    expect(aws.requests().at(-1)).toMatchObject({ operation: 'CreateToken', status: 0, fault: 'delay' });
  });

  it('an already-aborted signal sends nothing', async () => {
    const { poll } = await started();
    const before = aws.requests().length;
    await expect(poll({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    expect(aws.requests()).toHaveLength(before);
  });

  describe('malformed 200 answers are ProtocolErrors coded invalid_response', () => {
    type Call = (ctx: { accessToken: string }) => Promise<unknown>;
    const calls: [string, 'oidc' | 'portal', Call][] = [
      ['RegisterClient', 'oidc', () => oidc.registerClient({ clientName: 'x', clientType: 'public' })],
      [
        'StartDeviceAuthorization',
        'oidc',
        async () => {
          const registration = await oidc.registerClient({ clientName: 'x', clientType: 'public' });
          return oidc.startDeviceAuthorization({
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            startUrl: START_URL,
          });
        },
      ],
      ['CreateToken', 'oidc', async () => (await started()).poll()],
      ['ListAccounts', 'portal', ({ accessToken }) => portal.listAccounts({ accessToken })],
      [
        'ListAccountRoles',
        'portal',
        ({ accessToken }) => portal.listAccountRoles({ accessToken, accountId: '100000000000' }),
      ],
      [
        'GetRoleCredentials',
        'portal',
        ({ accessToken }) =>
          portal.getRoleCredentials({ accessToken, accountId: '100000000000', roleName: 'ReadOnly' }),
      ],
    ];

    it.each(
      calls.flatMap(([operation, service, run]) =>
        (['non-json', 'wrong-shape'] as const).map((malformed) => ({ operation, service, run, malformed })),
      ),
    )('$operation, $malformed', async ({ operation, service, run, malformed }) => {
      const accessToken = service === 'portal' ? (await signedIn()).accessToken : '';
      aws.fault({ operation: operation as never, malformed });
      const error = await rejectionOf(run({ accessToken }));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
      expect((error as ProtocolError).requestId).toEqual(expect.any(String));
      expect((error as ProtocolError).message).toContain(operation);
      expect(aws.requests().at(-1)).toMatchObject({ operation, status: 200, fault: 'malformed' });
    });

    it('Logout with an HTML page instead of an empty answer', async () => {
      const { accessToken } = await signedIn();
      aws.fault({ operation: 'Logout', malformed: 'non-json' });
      await expect(portal.logout({ accessToken })).rejects.toMatchObject({ code: 'invalid_response' });
      // The fault answered, so the session was not ended: the token still works.
      expect(await portal.listAllAccounts({ accessToken })).toHaveLength(ACCOUNT_COUNT);
    });
  });
});

describe('in-process (emulator.fetch)', () => {
  let emulator: Emulator;
  afterEach(() => {
    vi.useRealTimers();
  });

  const clientsFor = (target: Emulator) => ({
    oidc: createSsoOidcClient({ endpoint: target.config.baseUrl, fetch: target.fetch }),
    portal: createSsoPortalClient({ endpoint: target.config.baseUrl, fetch: target.fetch }),
  });

  it('answers on http://emulator.local by default', () => {
    emulator = createEmulator();
    expect(emulator.config.baseUrl).toBe('http://emulator.local');
  });

  it('runs the whole lifecycle with no port', async () => {
    const clock = manualClock(EPOCH);
    emulator = createEmulator({ seed, now: clock.now });
    const { oidc, portal } = clientsFor(emulator);
    expect(oidc.endpoint).toBe('http://emulator.local');
    const t: Transport = { oidc, portal, emulator, origin: 'http://emulator.local', tick: clock.tick };
    await afterApproval(t, await fullFlow(t));
  });

  it('a dropped connection is a NetworkError, as with a browser fetch', async () => {
    emulator = createEmulator();
    const { oidc } = clientsFor(emulator);
    emulator.fault({ operation: 'RegisterClient', drop: true });
    const error = await rejectionOf(oidc.registerClient({ clientName: 'x', clientType: 'public' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network_error' });
  });

  it('a delay runs on fake timers: pending until aborted, then `aborted`; the next call is answered', async () => {
    vi.useFakeTimers();
    emulator = createEmulator();
    const { oidc } = clientsFor(emulator);
    emulator.fault({ operation: 'RegisterClient', delayMs: 30_000 });
    const controller = new AbortController();
    let settled = false;
    const call = rejectionOf(
      oidc.registerClient({ clientName: 'x', clientType: 'public' }, { signal: controller.signal }),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    controller.abort();
    expect(await call).toMatchObject({ code: 'aborted' });
    // A faulted request changes nothing; with the fault used up, the next registration goes through.
    expect((await oidc.registerClient({ clientName: 'x', clientType: 'public' })).clientId).toEqual(
      expect.any(String),
    );
  });

  it('a delay shorter than the caller’s patience is just a slow answer', async () => {
    vi.useFakeTimers();
    emulator = createEmulator();
    const { oidc } = clientsFor(emulator);
    emulator.fault({ operation: 'RegisterClient', delayMs: 5_000 });
    const call = oidc.registerClient({ clientName: 'x', clientType: 'public' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await call).clientId).toEqual(expect.any(String));
    expect(emulator.requests()[0]).toMatchObject({ status: 200, fault: 'delay' });
  });
});

/** Yields to the event loop (no timers) until `condition` holds; fails after many turns. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
