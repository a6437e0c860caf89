import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import { type DeviceLoginStorage, memoryStorage, type StoredSession } from '../storage.ts';
import { scriptedProvider, serviceError } from './helpers/scriptedProvider.ts';

const T0 = Date.UTC(2026, 0, 1);
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

async function signIn(
  options: Parameters<typeof scriptedProvider>[0] = {},
  extra: { refreshWindowSeconds?: number; storage?: DeviceLoginStorage } = {},
) {
  const script = scriptedProvider({ interval: 1, ...options });
  const storage = extra.storage ?? memoryStorage();
  const login = createDeviceLogin({ provider: script.provider, storage, random: () => 0.5, ...extra });
  script.polls.push('approve');
  login.start();
  await vi.advanceTimersByTimeAsync(1000);
  expect(login.getView().status).toBe('authenticated');
  return { script, storage, login };
}

describe('registration', () => {
  it('reuses a stored registration: a second login sends no RegisterClient', async () => {
    const { script, storage, login } = await signIn();
    expect(await storage.getRegistration(script.provider.scope)).toMatchObject({ clientId: 'client-1' });
    await login.logout();
    const second = createDeviceLogin({ provider: script.provider, storage });
    script.polls.push('approve');
    second.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(second.getView().status).toBe('authenticated');
    expect(script.count('register')).toBe(1);
    expect(script.count('start')).toBe(2);
    login.dispose();
    second.dispose();
  });

  it('registers again when the stored one expires within the window (15 min by default)', async () => {
    const script = scriptedProvider({ interval: 1 });
    const storage = memoryStorage();
    await storage.setRegistration(script.provider.scope, {
      clientId: 'old',
      clientSecret: 'old-secret',
      expiresAt: T0 + 15 * 60_000,
    });
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    await flush();
    expect(script.count('register')).toBe(1);
    expect(script.calls.find((c) => c.op === 'start')?.clientId).toBe('client-1');
    expect((await storage.getRegistration(script.provider.scope))?.clientId).toBe('client-1');
    login.dispose();

    const later = createDeviceLogin({ provider: script.provider, storage, registrationWindowSeconds: 60 });
    await storage.setRegistration(script.provider.scope, {
      clientId: 'fresh',
      clientSecret: 's',
      expiresAt: T0 + 120_000,
    });
    later.start();
    await flush();
    expect(script.count('register')).toBe(1);
    expect(script.calls.filter((c) => c.op === 'start').at(-1)?.clientId).toBe('fresh');
    later.dispose();
  });

  it('does not reuse a registration the provider says does not match', async () => {
    const script = scriptedProvider({ interval: 1 });
    const storage = memoryStorage();
    await storage.setRegistration(script.provider.scope, {
      clientId: 'pkce',
      grantTypes: ['authorization_code'],
    });
    const provider = {
      ...script.provider,
      registrationMatches: (r: { grantTypes?: string[] | undefined }) =>
        !r.grantTypes?.includes('authorization_code'),
    };
    const login = createDeviceLogin({ provider, storage });
    login.start();
    await flush();
    expect(script.count('register')).toBe(1);
    login.dispose();
  });

  it('on invalid_client from StartDeviceAuthorization: drops it, registers once more and continues', async () => {
    const script = scriptedProvider({ interval: 1 });
    const storage = memoryStorage();
    await storage.setRegistration(script.provider.scope, { clientId: 'revoked', clientSecret: 's' });
    script.starts.push('invalid_client');
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    await flush();
    expect(login.getView().status).toBe('awaitingUser');
    expect(script.calls.map((c) => `${c.op}:${c.clientId ?? ''}`)).toEqual([
      'start:revoked',
      'register:',
      'start:client-1',
    ]);
    expect((await storage.getRegistration(script.provider.scope))?.clientId).toBe('client-1');
    login.dispose();
  });

  it('on invalid_client during polling: registers again and gets a new code', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.polls.push('pending', 'invalid_client', 'approve');
    const login = createDeviceLogin({ provider: script.provider });
    login.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(login.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-2' });
    expect(script.calls.map((c) => c.op)).toEqual(['register', 'start', 'poll', 'poll', 'register', 'start']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(login.getView().status).toBe('authenticated');
    login.dispose();
  });

  it('never loops: a second invalid_client in the same flow is an error', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.starts.push('invalid_client', 'invalid_client', 'invalid_client');
    const login = createDeviceLogin({ provider: script.provider });
    login.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(login.getView().status).toBe('error');
    expect(login.getView().error?.code).toBe('invalid_client');
    expect(script.calls.map((c) => c.op)).toEqual(['register', 'start', 'register', 'start']);
    login.dispose();
  });

  it('retries a failing registration with backoff, then reports the fault; retry() starts over', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.registers.push('network', 'server_error', 'network', 'server_error', 'network');
    const login = createDeviceLogin({ provider: script.provider, random: () => 0 });
    login.start();
    await flush();
    expect(login.getView()).toMatchObject({ status: 'registering' });
    expect(login.getView().error?.code).toBe('network_error');
    await vi.advanceTimersByTimeAsync(120_000);
    // 1 + 4 retries, waiting ½ of 2 s, 4 s, 8 s, 16 s (random = 0).
    const times = script.times('register').map((t) => t - T0);
    expect(times).toEqual([0, 1000, 3000, 7000, 15_000]);
    expect(login.getView().status).toBe('error');
    expect(login.getView().error?.code).toBe('network_error');
    login.retry();
    await flush();
    expect(login.getView().status).toBe('awaitingUser');
    login.dispose();
  });

  it('keeps a registration obtained before a fault', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.starts.push('invalid_grant');
    const storage = memoryStorage();
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    await flush();
    expect(login.getView().status).toBe('error');
    expect((await storage.getRegistration(script.provider.scope))?.clientId).toBe('client-1');
    login.retry();
    await flush();
    expect(script.count('register')).toBe(1);
    login.dispose();
  });
});

describe('tokens and refresh', () => {
  it('refreshes exactly at expiry minus the window and keeps the refresh token when none is returned', async () => {
    const { script, storage, login } = await signIn({ tokenExpiresIn: 3600 });
    const issued = Date.now();
    await vi.advanceTimersByTimeAsync(3600_000 - 300_000 - 1);
    expect(script.count('refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.count('refresh')).toBe(1);
    expect(script.times('refresh')[0]! - issued).toBe(3300_000);
    await flush();
    const stored = await storage.getSession(script.provider.scope);
    expect(stored).toMatchObject({ accessToken: 'access-2-client-1', refreshToken: 'refresh-1' });
    expect(login.getView().session?.expiresAt).toBe(Date.now() + 3600_000);
    login.dispose();
  });

  it('uses a configurable window and stores a rotated refresh token', async () => {
    const { script, storage, login } = await signIn(
      { tokenExpiresIn: 3600, rotate: true },
      { refreshWindowSeconds: 600 },
    );
    await vi.advanceTimersByTimeAsync(3000_000);
    expect(script.count('refresh')).toBe(1);
    expect((await storage.getSession(script.provider.scope))?.refreshToken).toBe('refresh-2');
    await vi.advanceTimersByTimeAsync(3000_000);
    expect(script.calls.filter((c) => c.op === 'refresh').map((c) => c.refreshToken)).toEqual([
      'refresh-1',
      'refresh-2',
    ]);
    login.dispose();
  });

  it('refreshes short-lived tokens at half-life rather than in a loop', async () => {
    const { script, login } = await signIn({ tokenExpiresIn: 120 });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(script.count('refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.count('refresh')).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(script.count('refresh')).toBe(2);
    login.dispose();
  });

  it('single-flight: concurrent getAccessToken calls inside the window share one refresh', async () => {
    const { script, login } = await signIn({ tokenExpiresIn: 3600 }, { refreshWindowSeconds: 300 });
    vi.setSystemTime(Date.now() + 3400_000); // inside the window; the timer has not fired (throttled tab)
    const tokens = await Promise.all(Array.from({ length: 10 }, () => login.getAccessToken()));
    expect(script.count('refresh')).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['access-2-client-1']));
    login.dispose();
  });

  it('returns the current token without a request outside the window', async () => {
    const { script, login } = await signIn();
    expect(await login.getAccessToken()).toBe('access-1-client-1');
    expect(script.count('refresh')).toBe(0);
    login.dispose();
  });

  it('attempts at most one refresh per 30 s; a transient failure keeps the valid token', async () => {
    const { script, login } = await signIn({ tokenExpiresIn: 3600 });
    script.refreshes.push('server_error', 'network');
    await vi.advanceTimersByTimeAsync(3300_000);
    expect(script.count('refresh')).toBe(1);
    expect(login.getView()).toMatchObject({ status: 'authenticated', isRefreshing: false });
    expect(login.getView().error?.code).toBe('server_error');
    // Forced attempts within 30 s are refused; the still-valid token is served.
    expect(await login.getAccessToken({ forceRefresh: true })).toBe('access-1-client-1');
    await login.refresh();
    expect(script.count('refresh')).toBe(1);
    // Backoff: max(30 s, ¾ × min(5 min, 30 s × 2)) = 45 s (random 0.5), then 90 s after the second failure.
    await vi.advanceTimersByTimeAsync(44_999);
    expect(script.count('refresh')).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.count('refresh')).toBe(2);
    await vi.advanceTimersByTimeAsync(90_000);
    expect(script.count('refresh')).toBe(3);
    expect(login.getView().error).toBeUndefined();
    expect(await login.getAccessToken()).toBe('access-2-client-1');
    login.dispose();
  });

  it('invalid_grant on refresh ends the session cleanly: idle, session_expired, registration kept', async () => {
    const { script, storage, login } = await signIn();
    script.refreshes.push('invalid_grant');
    await vi.advanceTimersByTimeAsync(3300_000);
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(login.getView().error?.code).toBe('session_expired');
    await flush();
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    expect(await storage.getRegistration(script.provider.scope)).toBeDefined();
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'not_signed_in' });
    login.dispose();
  });

  it('invalid_client on refresh also drops the registration', async () => {
    const { script, storage, login } = await signIn();
    script.refreshes.push('invalid_client');
    await vi.advanceTimersByTimeAsync(3300_000);
    expect(login.getView().error?.code).toBe('session_expired');
    await flush();
    expect(await storage.getRegistration(script.provider.scope)).toBeUndefined();
    login.dispose();
  });

  it('without a refresh token the session ends when the token expires', async () => {
    const { script, login } = await signIn({ refreshTokens: false, tokenExpiresIn: 600 });
    expect(login.getView().session?.refreshable).toBe(false);
    await vi.advanceTimersByTimeAsync(599_999);
    expect(login.getView().status).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(1);
    expect(login.getView().status).toBe('idle');
    expect(login.getView().error?.code).toBe('session_expired');
    expect(script.count('refresh')).toBe(0);
    login.dispose();
  });

  it('refresh() refreshes now, single-flight, and rejects when not signed in', async () => {
    const { script, login } = await signIn();
    await Promise.all([login.refresh(), login.refresh()]);
    expect(script.count('refresh')).toBe(1);
    expect(await login.getAccessToken()).toBe('access-2-client-1');
    const other = createDeviceLogin({ provider: script.provider });
    await expect(other.refresh()).rejects.toMatchObject({ code: 'not_signed_in' });
    login.dispose();
    other.dispose();
  });
});

describe('persistence and resume', () => {
  const session = (over: Partial<StoredSession> = {}): StoredSession => ({
    accessToken: 'stored-access',
    tokenType: 'Bearer',
    expiresAt: T0 + 3600_000,
    issuedAt: T0 - 60_000,
    refreshToken: 'stored-refresh',
    clientId: 'stored-client',
    clientSecret: 'stored-secret',
    registrationExpiresAt: T0 + 86_400_000,
    ...over,
  });

  it('a stored valid session is authenticated at start-up, with no request', async () => {
    const script = scriptedProvider();
    const storage = memoryStorage();
    await storage.setSession(script.provider.scope, session());
    const login = createDeviceLogin({ provider: script.provider, storage });
    expect(login.getView()).toMatchObject({ status: 'idle', isRestoring: true });
    const seen: string[] = [];
    login.subscribe((view) => seen.push(`${view.status}${view.isRestoring ? ' (restoring)' : ''}`));
    await flush();
    expect(seen).toEqual(['authenticated']);
    expect(await login.getAccessToken()).toBe('stored-access');
    login.start(); // signed in: does nothing
    await flush();
    expect(script.calls).toEqual([]);
    login.dispose();
  });

  it('a stored session inside the refresh window is refreshed at start-up', async () => {
    const script = scriptedProvider();
    const storage = memoryStorage();
    await storage.setSession(script.provider.scope, session({ expiresAt: T0 + 60_000 }));
    const login = createDeviceLogin({ provider: script.provider, storage });
    expect(await login.getAccessToken()).toBe('access-1-stored-client');
    expect(script.calls.map((c) => `${c.op}:${c.clientId}:${c.refreshToken}`)).toEqual([
      'refresh:stored-client:stored-refresh',
    ]);
    login.dispose();
  });

  it('an expired stored session without a refresh token is idle with session_expired, and removed', async () => {
    const script = scriptedProvider();
    const storage = memoryStorage();
    await storage.setSession(script.provider.scope, session({ expiresAt: T0 - 1, refreshToken: undefined }));
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.subscribe(() => {});
    await flush();
    expect(login.getView()).toMatchObject({ status: 'idle', isRestoring: false });
    expect(login.getView().error?.code).toBe('session_expired');
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    login.dispose();
  });

  it('start() during restore waits for it: signed in → nothing; nothing stored → one flow', async () => {
    const script = scriptedProvider();
    const storage = memoryStorage();
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    login.start();
    await flush();
    expect(login.getView().status).toBe('awaitingUser');
    expect(script.count('start')).toBe(1);
    login.dispose();
  });

  it('a storage that fails to write keeps the tokens in memory and says so', async () => {
    const script = scriptedProvider({ interval: 1 });
    const base = memoryStorage();
    const storage: DeviceLoginStorage = {
      ...base,
      setSession: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const login = createDeviceLogin({ provider: script.provider, storage });
    script.polls.push('approve');
    login.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(login.getView().status).toBe('authenticated');
    expect(login.getView().error?.code).toBe('storage_error');
    expect(await login.getAccessToken()).toBe('access-1-client-1');
    login.dispose();
  });
});

describe('logout', () => {
  it('clears tokens in memory and storage and calls the provider logout', async () => {
    const { script, storage, login } = await signIn();
    await login.logout();
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined, error: undefined });
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    expect(await storage.getRegistration(script.provider.scope)).toBeDefined();
    expect(script.count('logout')).toBe(1);
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'not_signed_in' });
    login.dispose();
  });

  it('succeeds locally when the server logout fails', async () => {
    const { script, storage, login } = await signIn();
    script.logouts.push('network');
    await expect(login.logout()).resolves.toBeUndefined();
    expect(login.getView().status).toBe('idle');
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    login.dispose();
  });

  it('during a sign-in cancels it', async () => {
    const script = scriptedProvider({ interval: 1 });
    const login = createDeviceLogin({ provider: script.provider });
    login.start();
    await flush();
    await login.logout();
    expect(login.getView().status).toBe('idle');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(script.count('poll')).toBe(0);
    login.dispose();
  });
});

describe('logout races a slow storage write', () => {
  /** memoryStorage whose session writes take 1 s while `slow` (an encrypting or remote adapter); removals are quick. */
  function slowSessionWrites() {
    const inner = memoryStorage();
    const control = { slow: true };
    const storage: DeviceLoginStorage = {
      ...inner,
      setSession: async (scope, session) => {
        if (control.slow) await new Promise((resolve) => setTimeout(resolve, 1000));
        return inner.setSession(scope, session);
      },
    };
    return { storage, control };
  }

  it('a refresh whose save finishes after logout() does not bring the session back', async () => {
    const { storage, control } = slowSessionWrites();
    control.slow = false;
    const { script, login } = await signIn({}, { storage });
    expect(await storage.getSession(script.provider.scope)).toBeDefined();
    control.slow = true;
    const refreshed = login.refresh().catch(() => {});
    await flush();
    expect(script.count('refresh')).toBe(1);
    // The server answered; the new tokens are being written.
    await vi.advanceTimersByTimeAsync(10);
    await login.logout();
    await vi.advanceTimersByTimeAsync(5000);
    await refreshed;
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    // A reload (a new login on the same storage) is signed out too.
    const reloaded = createDeviceLogin({ provider: script.provider, storage });
    reloaded.subscribe(() => {});
    await flush();
    expect(reloaded.getView()).toMatchObject({ status: 'idle', session: undefined });
    reloaded.dispose();
    login.dispose();
  });

  it('an approval whose save finishes after logout() does not bring the session back', async () => {
    const { storage } = slowSessionWrites();
    const script = scriptedProvider({ interval: 1 });
    script.polls.push('approve');
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    await vi.advanceTimersByTimeAsync(1100);
    expect(script.count('poll')).toBe(1);
    await login.logout();
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    login.dispose();
  });

  it('a save that finishes after cancel() is kept: start() then signs in without a new code', async () => {
    const { storage } = slowSessionWrites();
    const script = scriptedProvider({ interval: 1 });
    script.polls.push('approve');
    const login = createDeviceLogin({ provider: script.provider, storage });
    login.start();
    await vi.advanceTimersByTimeAsync(1100);
    login.cancel();
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView().status).toBe('idle');
    login.start();
    await flush();
    expect(login.getView().status).toBe('authenticated');
    expect(script.count('start')).toBe(1);
    login.dispose();
  });
});

describe('backoff and wake', () => {
  it('wake() does not cut a Retry-After short; it only catches up on a missed retry', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.registers.push({ error: serviceError('throttled', 429, 20) });
    const login = createDeviceLogin({ provider: script.provider, random: () => 0 });
    login.start();
    await flush();
    expect(script.count('register')).toBe(1);
    vi.setSystemTime(Date.now() + 19_000);
    login.wake();
    await flush();
    expect(script.count('register')).toBe(1);
    vi.setSystemTime(Date.now() + 1000);
    login.wake();
    await flush();
    expect(script.count('register')).toBe(2);
    expect(login.getView().status).toBe('awaitingUser');
    login.dispose();
  });
});

describe('a clock that jumps', () => {
  it('backwards: a session without a refresh token still ends when the clock reaches its expiry', async () => {
    const { login } = await signIn({ refreshTokens: false, tokenExpiresIn: 600 });
    const { expiresAt } = login.getView().session!;
    // NTP or the person sets the clock back 5 min: the expiry timer fires while the clock says 5 min are left.
    vi.setSystemTime(Date.now() - 300_000);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(Date.now()).toBeLessThan(expiresAt);
    expect(login.getView().status).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(300_000);
    expect(Date.now()).toBe(expiresAt);
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(login.getView().error?.code).toBe('session_expired');
    login.dispose();
  });

  it('forwards with no wake (Node: timers pause during sleep): getAccessToken() ends a dead session', async () => {
    const { login } = await signIn({ refreshTokens: false, tokenExpiresIn: 600 });
    // Resumed from sleep: the clock moved 1 h, the expiry timer has not fired yet.
    vi.setSystemTime(Date.now() + 3600_000);
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(login.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(login.getView().error?.code).toBe('session_expired');
    login.dispose();
    // refresh() says the session is over rather than resolving as if it had been kept.
    const again = await signIn({ refreshTokens: false, tokenExpiresIn: 600 });
    vi.setSystemTime(Date.now() + 3600_000);
    await expect(again.login.refresh()).rejects.toMatchObject({ code: 'session_expired' });
    expect(again.login.getView().status).toBe('idle');
    again.login.dispose();
  });

  it('forwards with no wake: getAccessToken() refreshes a refreshable session first', async () => {
    const { script, login } = await signIn({ tokenExpiresIn: 600 });
    vi.setSystemTime(Date.now() + 3600_000);
    expect(await login.getAccessToken()).toBe('access-2-client-1');
    expect(script.count('refresh')).toBe(1);
    expect(login.getView().status).toBe('authenticated');
    login.dispose();
  });
});

describe('long-lived tokens', () => {
  it('does not refresh a token that lives longer than a timer can wait (2^31 - 1 ms, about 24.8 days)', async () => {
    // Timers clamp longer delays to 1 ms (Node, browsers, fake timers alike): 60-day tokens (long-lived tokens
    // of several providers, or a large defaultExpiresIn) would otherwise be refreshed in a tight loop.
    const day = 86_400;
    const { script, login } = await signIn({ tokenExpiresIn: 60 * day, refreshTokens: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(script.count('refresh')).toBe(0);
    expect(login.getView().status).toBe('authenticated');
    // Still refreshed when due: the window (5 min by default) before the expiry, 60 days on.
    await vi.advanceTimersByTimeAsync(60 * day * 1000 - 7 * 60_000);
    expect(script.count('refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(script.count('refresh')).toBe(1);
    expect(login.getView().status).toBe('authenticated');
    login.dispose();
  });
});
