import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '@oidc-device-login/emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsSsoOidc } from '../awsSsoOidc.ts';
import { type CreateDeviceLoginOptions, createDeviceLogin } from '../createDeviceLogin.ts';
import { type DeviceLoginStorage, memoryStorage } from '../storage.ts';

const START_URL = 'https://d-1234567890.awsapps.com/start';
const T0 = Date.UTC(2026, 0, 1);
const flush = () => vi.advanceTimersByTimeAsync(0);

/** A login against the emulator's in-process fetch: real wire format, real client, no port. */
function emulatorLogin(
  options: {
    emulator?: EmulatorOptions;
    storage?: DeviceLoginStorage;
    login?: Partial<CreateDeviceLoginOptions>;
  } = {},
) {
  const emulator = createEmulator({ interval: 5, ...options.emulator });
  const storage = options.storage ?? memoryStorage();
  const provider = awsSsoOidc({
    region: 'us-east-1',
    startUrl: START_URL,
    clientName: 'machine tests',
    endpoint: emulator.config.baseUrl,
    portalEndpoint: emulator.config.baseUrl,
    fetch: emulator.fetch,
  });
  const login = createDeviceLogin({ provider, storage, random: () => 0.5, ...options.login });
  return { emulator, storage, provider, login };
}

const operations = (emulator: Emulator) => emulator.requests().map((r) => r.operation);
const polls = (emulator: Emulator) => emulator.requests().filter((r) => r.operation === 'CreateToken');
const userCode = (emulator: Emulator) => emulator.pendingAuthorizations()[0]!.userCode;

describe('against the emulator (in-process fetch, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a full login is 1 register + 1 start + polls until approval, nothing more', async () => {
    const { emulator, login, storage, provider } = emulatorLogin();
    login.start();
    await flush();
    const view = login.getView();
    expect(view).toMatchObject({ status: 'awaitingUser', interval: 5 });
    expect(view.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(view.verificationUriComplete).toBe(`http://emulator.local/device?user_code=${view.userCode}`);
    await vi.advanceTimersByTimeAsync(12_000); // polls at 5 s and 10 s: pending
    emulator.approve({ userCode: view.userCode! });
    await vi.advanceTimersByTimeAsync(5000); // poll at 15 s: token
    expect(login.getView().status).toBe('authenticated');
    expect(operations(emulator)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken',
      'CreateToken',
      'CreateToken',
    ]);
    expect(polls(emulator).map((r) => r.errorType)).toEqual([
      'AuthorizationPendingException',
      'AuthorizationPendingException',
      undefined,
    ]);
    // Polls no sooner than the interval: the emulator would have answered SlowDownException.
    const times = polls(emulator).map((r) => r.time - T0);
    expect(times).toEqual([5000, 10_000, 15_000]);
    const session = await storage.getSession(provider.scope);
    expect(session).toMatchObject({ region: 'us-east-1', startUrl: START_URL, tokenType: 'Bearer' });
    expect(session?.refreshToken).toBeDefined();
    expect(await login.getAccessToken()).toBe(session?.accessToken);
    login.dispose();
  });

  it('a second login with the stored registration sends no RegisterClient', async () => {
    const storage = memoryStorage();
    const first = emulatorLogin({ storage });
    first.login.start();
    await flush();
    first.emulator.approve({ userCode: userCode(first.emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    await first.login.logout();
    expect(operations(first.emulator).filter((op) => op === 'RegisterClient')).toHaveLength(1);
    first.login.start();
    await flush();
    first.emulator.approve({ userCode: userCode(first.emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.login.getView().status).toBe('authenticated');
    expect(operations(first.emulator)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken',
      'Logout',
      'StartDeviceAuthorization',
      'CreateToken',
    ]);
    first.login.dispose();
  });

  it('slow_down from the server adds 5 s for the rest of the authorization', async () => {
    const { emulator, login } = emulatorLogin();
    login.start();
    await flush();
    emulator.fault({ operation: 'CreateToken', error: 'SlowDownException' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView()).toMatchObject({ interval: 10, isSlowedDown: true });
    await vi.advanceTimersByTimeAsync(20_000);
    const times = polls(emulator).map((r) => r.time - T0);
    expect(times).toEqual([5000, 15_000, 25_000]);
    expect(polls(emulator).filter((r) => r.errorType === 'SlowDownException' && !r.fault)).toEqual([]);
    login.dispose();
  });

  it('deny → denied; expire → expired; no poll afterwards', async () => {
    const a = emulatorLogin();
    a.login.start();
    await flush();
    a.emulator.deny({ userCode: userCode(a.emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(a.login.getView().status).toBe('denied');
    expect(a.login.getView().error).toMatchObject({
      code: 'access_denied',
      exception: 'AccessDeniedException',
    });
    const b = emulatorLogin();
    b.login.start();
    await flush();
    b.emulator.expire({ userCode: userCode(b.emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(b.login.getView().status).toBe('expired');
    expect(b.login.getView().error?.code).toBe('expired_token');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(polls(a.emulator)).toHaveLength(1);
    expect(polls(b.emulator)).toHaveLength(1);
    a.login.dispose();
    b.login.dispose();
  });

  it('stops by itself at the device-code deadline', async () => {
    const { emulator, login } = emulatorLogin({ emulator: { deviceCodeTtl: 60 } });
    login.start();
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(login.getView().status).toBe('expired');
    // 5 s … 55 s: eleven polls, the last one 5 s before the deadline; none at or after it.
    expect(polls(emulator).map((r) => r.time - T0)).toEqual(
      Array.from({ length: 11 }, (_, i) => (i + 1) * 5000),
    );
    login.dispose();
  });

  it('refreshes with rotation at expiry − window, and the rotated token works next time', async () => {
    const { emulator, login, storage, provider } = emulatorLogin({ emulator: { accessTokenTtl: 3600 } });
    login.start();
    await flush();
    emulator.approve({ userCode: userCode(emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    const first = await storage.getSession(provider.scope);
    await vi.advanceTimersByTimeAsync(3300_000);
    const second = await storage.getSession(provider.scope);
    expect(second?.accessToken).not.toBe(first?.accessToken);
    expect(second?.refreshToken).not.toBe(first?.refreshToken);
    await vi.advanceTimersByTimeAsync(3300_000);
    const third = await storage.getSession(provider.scope);
    expect(third?.refreshToken).not.toBe(second?.refreshToken);
    const refreshes = polls(emulator).filter(
      (r) => (r.body as { grantType?: string }).grantType === 'refresh_token',
    );
    expect(refreshes.map((r) => r.status)).toEqual([200, 200]);
    expect(login.getView().status).toBe('authenticated');
    login.dispose();
  });

  it('re-registers once when the client expires (expireClient) and continues', async () => {
    const storage = memoryStorage();
    const first = emulatorLogin({ storage });
    first.login.start();
    await flush();
    first.login.cancel();
    const clientId = (await storage.getRegistration(first.provider.scope))!.clientId;
    first.emulator.expireClient({ clientId });
    first.login.start();
    await flush();
    expect(first.login.getView().status).toBe('awaitingUser');
    expect(operations(first.emulator)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'StartDeviceAuthorization', // 401 InvalidClientException
      'RegisterClient',
      'StartDeviceAuthorization',
    ]);
    expect(first.emulator.requests()[2]).toMatchObject({ status: 401, errorType: 'InvalidClientException' });
    expect((await storage.getRegistration(first.provider.scope))?.clientId).not.toBe(clientId);
    first.login.dispose();
  });

  it('a client that expires during polling is replaced and the flow restarts with a new code', async () => {
    const { emulator, login, storage, provider } = emulatorLogin();
    login.start();
    await flush();
    const oldCode = login.getView().userCode;
    emulator.expireClient({ clientId: (await storage.getRegistration(provider.scope))!.clientId });
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView().status).toBe('awaitingUser');
    expect(login.getView().userCode).not.toBe(oldCode);
    expect(operations(emulator).slice(-3)).toEqual([
      'CreateToken',
      'RegisterClient',
      'StartDeviceAuthorization',
    ]);
    login.dispose();
  });

  it('rides out injected 500s, drops and throttling; nothing obtained is lost', async () => {
    const { emulator, login } = emulatorLogin();
    emulator.fault({ operation: 'RegisterClient', error: 'InternalServerException' });
    emulator.fault({ operation: 'StartDeviceAuthorization', drop: true });
    login.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(login.getView().status).toBe('awaitingUser');
    emulator.fault({ operation: 'CreateToken', error: 'InternalServerException', count: 2 });
    emulator.fault({ operation: 'CreateToken', drop: true });
    emulator.fault({ operation: 'CreateToken', error: 'TooManyRequestsException', status: 429 });
    emulator.approve({ userCode: login.getView().userCode! });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(login.getView().status).toBe('authenticated');
    const ops = operations(emulator);
    expect(ops.filter((op) => op === 'RegisterClient')).toHaveLength(2); // one faulted, one real
    expect(ops.filter((op) => op === 'StartDeviceAuthorization')).toHaveLength(2);
    expect(polls(emulator).map((r) => r.fault ?? r.errorType ?? r.status)).toEqual([
      'AuthorizationPendingException',
      'error',
      'error',
      'drop',
      'error',
      200,
    ]);
    login.dispose();
  });

  it('a malformed token response is an invalid_response error, not a session', async () => {
    for (const malformed of ['non-json', 'wrong-shape'] as const) {
      const { emulator, login, storage, provider } = emulatorLogin();
      login.start();
      await flush();
      emulator.fault({ operation: 'CreateToken', malformed });
      await vi.advanceTimersByTimeAsync(5000);
      expect(login.getView().status).toBe('error');
      expect(login.getView().error?.code).toBe('invalid_response');
      expect(await storage.getSession(provider.scope)).toBeUndefined();
      expect(await storage.getRegistration(provider.scope)).toBeDefined();
      login.dispose();
    }
  });

  it('a refresh that fails on a 500 keeps the session; logout makes the old refresh token invalid_grant', async () => {
    const { emulator, login, storage, provider } = emulatorLogin();
    // Injected before sign-in: the device code polls pass it by, and the first refresh takes it.
    emulator.fault({
      operation: 'CreateToken',
      grantType: 'refresh_token',
      error: 'InternalServerException',
    });
    login.start();
    await flush();
    await vi.advanceTimersByTimeAsync(12_000); // polls at 5 s and 10 s: pending
    emulator.approve({ userCode: userCode(emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView()).toMatchObject({ status: 'authenticated' });
    expect(polls(emulator).map((r) => [r.errorType, r.fault])).toEqual([
      ['AuthorizationPendingException', undefined],
      ['AuthorizationPendingException', undefined],
      [undefined, undefined],
    ]);
    await vi.advanceTimersByTimeAsync(3300_000);
    expect(login.getView()).toMatchObject({ status: 'authenticated' });
    expect(login.getView().error?.code).toBe('server_error');
    expect(polls(emulator).at(-1)).toMatchObject({ body: { grantType: 'refresh_token' }, fault: 'error' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(login.getView().error).toBeUndefined();
    const session = (await storage.getSession(provider.scope))!;
    await login.logout();
    expect(operations(emulator).at(-1)).toBe('Logout');
    expect(emulator.requests().at(-1)?.status).toBe(200);
    // The portal session is over: a login restored from a stale copy ends cleanly on its first refresh.
    const stale = memoryStorage();
    await stale.setSession(provider.scope, session);
    const again = createDeviceLogin({ provider, storage: stale });
    await expect(again.refresh()).rejects.toMatchObject({ code: 'session_expired' });
    expect(emulator.requests().at(-1)).toMatchObject({
      operation: 'CreateToken',
      errorType: 'InvalidGrantException',
    });
    expect(again.getView().status).toBe('idle');
    expect(again.getView().error?.code).toBe('session_expired');
    login.dispose();
    again.dispose();
  });

  it('logout() while a slow storage is still being read ends the stored session on the server', async () => {
    const first = emulatorLogin();
    const { emulator, provider, storage } = first;
    first.login.start();
    await flush();
    emulator.approve({ userCode: userCode(emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.login.getView().status).toBe('authenticated');
    const stored = (await storage.getSession(provider.scope))!;
    first.login.dispose();

    // The next start-up: an encrypting or remote adapter takes a second to read the session.
    const slow: DeviceLoginStorage = {
      ...storage,
      getSession: async (scope) => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return storage.getSession(scope);
      },
    };
    const login = createDeviceLogin({ provider, storage: slow, random: () => 0.5 });
    const seen: string[] = [];
    login.subscribe((view) => seen.push(view.status));
    let done = false;
    void login.logout().then(() => {
      done = true;
    });
    await flush();
    expect(login.getView()).toMatchObject({ status: 'idle', isRestoring: false, session: undefined });
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(true);
    expect(seen).not.toContain('authenticated');
    expect(await storage.getSession(provider.scope)).toBeUndefined();
    expect(emulator.requests().at(-1)).toMatchObject({ operation: 'Logout', status: 200 });
    // The server-side session is over: its refresh token is refused.
    const registration = (await storage.getRegistration(provider.scope))!;
    await expect(provider.refresh(registration, stored, {})).rejects.toMatchObject({ code: 'invalid_grant' });
    login.dispose();
  });

  it('logout() during a forced sign-in ends the session it was replacing on the server', async () => {
    const { emulator, login, provider, storage } = emulatorLogin();
    login.start();
    await flush();
    emulator.approve({ userCode: userCode(emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    const stored = (await storage.getSession(provider.scope))!;
    login.start({ force: true });
    await flush();
    expect(login.getView().status).toBe('awaitingUser');
    await login.logout();
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(await storage.getSession(provider.scope)).toBeUndefined();
    expect(emulator.requests().at(-1)).toMatchObject({ operation: 'Logout', status: 200 });
    const registration = (await storage.getRegistration(provider.scope))!;
    await expect(provider.refresh(registration, stored, {})).rejects.toMatchObject({ code: 'invalid_grant' });
    login.dispose();
  });

  it('logout ignores the portal 401 of an already-ended session', async () => {
    const { emulator, login } = emulatorLogin();
    login.start();
    await flush();
    emulator.approve({ userCode: userCode(emulator) });
    await vi.advanceTimersByTimeAsync(5000);
    emulator.fault({ operation: 'Logout', error: 'UnauthorizedException' });
    await expect(login.logout()).resolves.toBeUndefined();
    expect(emulator.requests().at(-1)).toMatchObject({ operation: 'Logout', status: 401 });
    expect(login.getView().status).toBe('idle');
    login.dispose();
  });
});

describe('against the emulator over real HTTP (real time, no waiting)', () => {
  it('signs in end to end: approve, poll, token, refresh, logout', async () => {
    const aws = await startEmulator();
    // No waiting for the 1 s interval: the login's clock is moved past it and woken, as a throttled tab is.
    let offset = 0;
    const now = () => Date.now() + offset;
    try {
      const provider = awsSsoOidc({
        region: 'us-east-1',
        startUrl: START_URL,
        clientName: 'machine tests over HTTP',
        endpoint: aws.url,
        portalEndpoint: aws.url,
      });
      const login = createDeviceLogin({ provider, crossTab: false, now });
      const seen: string[] = [];
      const reached = (status: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            const view = login.getView();
            if (view.status === status) resolve();
            else if (view.status === 'error') reject(view.error);
            else return false;
            return true;
          };
          if (check()) return;
          const unsubscribe = login.subscribe(() => {
            if (check()) unsubscribe();
          });
        });
      login.subscribe((view) => seen.push(view.status));
      login.start();
      await reached('awaitingUser');
      aws.approve({ userCode: login.getView().userCode! });
      offset += 1000;
      aws.advance(1);
      login.wake();
      await reached('authenticated');
      const token = await login.getAccessToken();
      expect(token.length).toBeGreaterThan(10);
      expect(seen).toEqual(['registering', 'authorizing', 'awaitingUser', 'authenticated']);
      expect(aws.requests().map((r) => r.operation)).toEqual([
        'RegisterClient',
        'StartDeviceAuthorization',
        'CreateToken',
      ]);
      await login.refresh();
      expect(await login.getAccessToken()).not.toBe(token);
      await login.logout();
      expect(
        aws
          .requests()
          .map((r) => `${r.operation}:${r.status}`)
          .slice(-2),
      ).toEqual(['CreateToken:200', 'Logout:200']);
      login.dispose();
    } finally {
      await aws.close();
    }
  });
});
