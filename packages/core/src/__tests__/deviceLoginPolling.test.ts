import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import { memoryStorage } from '../storage.ts';
import { scriptedProvider, serviceError } from './helpers/scriptedProvider.ts';

const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets promise chains (provider calls, storage) settle without moving the clock. */
const flush = () => vi.advanceTimersByTimeAsync(0);

function setup(options: Parameters<typeof scriptedProvider>[0] = {}, random = () => 0.5) {
  const script = scriptedProvider(options);
  const storage = memoryStorage();
  const login = createDeviceLogin({ provider: script.provider, storage, random });
  return { script, storage, login };
}

describe('polling (RFC 8628 §3.4–3.5)', () => {
  it('registers, starts, and polls first after exactly one interval', async () => {
    const { script, login } = setup({ interval: 5 });
    login.start();
    await flush();
    expect(login.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-1', interval: 5 });
    expect(script.count('register')).toBe(1);
    expect(script.count('start')).toBe(1);
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(4999);
    expect(script.count('poll')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.count('poll')).toBe(1);
    expect(script.times('poll')[0]! - startedAt).toBe(5000);
    login.dispose();
  });

  it('never polls early when a timer fires before the clock reaches the interval', async () => {
    // Node's timers can fire a millisecond before Date.now() says the delay passed; model that with a clock
    // that falls 2 ms behind the timers after the device code arrives.
    let skew = 0;
    const script = scriptedProvider({ interval: 5 });
    const login = createDeviceLogin({
      provider: script.provider,
      storage: memoryStorage(),
      random: () => 0.5,
      now: () => Date.now() + skew,
    });
    login.start();
    await flush();
    skew = -2;
    await vi.advanceTimersByTimeAsync(5000);
    expect(script.count('poll')).toBe(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(script.count('poll')).toBe(1);
    login.dispose();
  });

  it('uses 5 s when the server sends no interval', async () => {
    const { script, login } = setup({ interval: null });
    login.start();
    await flush();
    expect(login.getView().interval).toBe(5);
    await vi.advanceTimersByTimeAsync(4999);
    expect(script.count('poll')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.count('poll')).toBe(1);
    login.dispose();
  });

  it('keeps polling on authorization_pending and signs in on approval', async () => {
    const { script, login } = setup({ interval: 2 });
    script.polls.push('pending', 'pending', 'approve');
    login.start();
    await flush();
    await vi.advanceTimersByTimeAsync(6000);
    expect(script.count('poll')).toBe(3);
    const view = login.getView();
    expect(view.status).toBe('authenticated');
    expect(view.session).toMatchObject({
      tokenType: 'Bearer',
      expiresAt: Date.now() + 3600_000,
      refreshable: true,
    });
    expect(view.userCode).toBeUndefined();
    expect(await login.getAccessToken()).toBe('access-1-client-1');
    login.dispose();
  });

  it.each([
    ['resolved', 'result'],
    ['rejected (the older provider contract)', 'error'],
  ] as const)(
    'adds 5 s after slow_down, for this and every later poll ("not yet" %s)',
    async (_how, pendingAs) => {
      const { script, login } = setup({ interval: 5, pendingAs });
      script.polls.push('slow_down', 'pending', 'pending');
      login.start();
      await flush();
      await vi.advanceTimersByTimeAsync(5000); // poll 1 → slow_down
      expect(login.getView()).toMatchObject({ interval: 10, isSlowedDown: true });
      await vi.advanceTimersByTimeAsync(9999);
      expect(script.count('poll')).toBe(1);
      await vi.advanceTimersByTimeAsync(1); // poll 2 at +10 s
      expect(script.count('poll')).toBe(2);
      await vi.advanceTimersByTimeAsync(9999);
      expect(script.count('poll')).toBe(2);
      await vi.advanceTimersByTimeAsync(1); // poll 3 at +10 s again
      expect(script.count('poll')).toBe(3);
      const times = script.times('poll');
      expect([times[1]! - times[0]!, times[2]! - times[1]!]).toEqual([10_000, 10_000]);
      login.dispose();
    },
  );

  it('makes no transition (and notifies nobody) for a poll answered authorization_pending', async () => {
    const { script, login } = setup({ interval: 5 });
    login.start();
    await flush();
    const views: unknown[] = [];
    login.subscribe((view) => views.push(view));
    let snapshots = 0;
    const subscription = login.actor.subscribe(() => snapshots++);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(script.count('poll')).toBe(10);
    expect(snapshots).toBe(0);
    expect(views).toEqual([]);
    subscription.unsubscribe();
    login.dispose();
  });

  it('takes a provider that throws synchronously or answers garbage as a failed poll, with a coded error', async () => {
    const outcomes: unknown[] = [];
    for (const pollToken of [
      () => {
        throw new Error('sync boom, device-code-1');
      },
      () => ({ pending: 'not_a_pending_answer' }),
      () => null,
    ]) {
      const script = scriptedProvider({ interval: 5 });
      const provider = { ...script.provider, pollToken } as unknown as typeof script.provider;
      const login = createDeviceLogin({ provider, storage: memoryStorage() });
      login.start();
      await vi.advanceTimersByTimeAsync(5000);
      const { status, error } = login.getView();
      outcomes.push({ status, code: error?.code, leaks: error?.message.includes('device-code-1') });
      login.dispose();
    }
    expect(outcomes).toEqual([
      { status: 'error', code: 'unknown_error', leaks: false },
      { status: 'error', code: 'invalid_response', leaks: false },
      { status: 'error', code: 'invalid_response', leaks: false },
    ]);
  });

  it('goes to expired on expired_token and to denied on access_denied, with no further polls', async () => {
    const a = setup();
    a.script.polls.push('pending', 'expire');
    a.login.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.login.getView()).toMatchObject({ status: 'expired', userCode: undefined });
    expect(a.login.getView().error?.code).toBe('expired_token');
    const b = setup();
    b.script.polls.push('deny');
    b.login.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(b.login.getView().status).toBe('denied');
    expect(b.login.getView().error?.code).toBe('access_denied');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(a.script.count('poll')).toBe(2);
    expect(b.script.count('poll')).toBe(1);
    a.login.dispose();
    b.login.dispose();
  });

  it('fails with the code on any other poll error', async () => {
    const { script, login } = setup();
    script.polls.push('invalid_grant');
    login.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView().status).toBe('error');
    expect(login.getView().error?.code).toBe('invalid_grant');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(script.count('poll')).toBe(1);
    login.dispose();
  });

  it('stops at the deadline when the server never says expired, after a last poll before it', async () => {
    const { script, login } = setup({ interval: 5, expiresIn: 12 });
    login.start();
    await flush();
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(11_999);
    expect(login.getView().status).toBe('awaitingUser');
    // 5 s and 10 s; the next (15 s) would be past the 12 s deadline.
    expect(script.times('poll').map((t) => t - startedAt)).toEqual([5000, 10_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(login.getView().status).toBe('expired');
    expect(login.getView().error?.code).toBe('expired_token');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(script.count('poll')).toBe(2);
    login.dispose();
  });

  it('pulls a backed-off poll in to just before the deadline, never closer than the interval', async () => {
    const { script, login } = setup({ interval: 5, expiresIn: 20 }, () => 1);
    script.polls.push('pending', 'server_error');
    login.start();
    await flush();
    const startedAt = Date.now();
    // Polls at 5 s (pending), 10 s (500). Backoff would wait 20 s → 30 s, past the 20 s deadline: the last poll
    // goes at 19 s (deadline − 1 s), which is more than one interval after 10 s.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(script.times('poll').map((t) => t - startedAt)).toEqual([5000, 10_000, 19_000]);
    expect(login.getView().status).toBe('expired');
    login.dispose();
  });

  it('backs off transient poll faults exponentially with jitter, honouring Retry-After', async () => {
    const { script, login } = setup({ interval: 5, expiresIn: 900 }, () => 0.5);
    script.polls.push(
      'server_error',
      'network',
      'throttled',
      'server_error',
      { error: serviceError('throttled', 429, 90) },
      'approve',
    );
    login.start();
    await flush();
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(900_000);
    const times = script.times('poll').map((t) => t - startedAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // ceiling = min(60 s, 5 s × 2ⁿ); wait = ceiling × (½ + ½ × 0.5) = 0.75 × ceiling; Retry-After 90 s wins.
    expect(gaps).toEqual([7500, 15_000, 30_000, 45_000, 90_000]);
    expect(login.getView().status).toBe('authenticated');
    login.dispose();
  });

  it('shows a transient fault while it keeps polling, then clears it', async () => {
    const { script, login } = setup({ interval: 5 }, () => 0);
    script.polls.push('network', 'pending');
    login.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView()).toMatchObject({ status: 'awaitingUser' });
    expect(login.getView().error?.code).toBe('network_error');
    await vi.advanceTimersByTimeAsync(5000);
    expect(script.count('poll')).toBe(2);
    expect(login.getView().error).toBeUndefined();
    login.dispose();
  });

  it('reports the fault when the code expires during an outage', async () => {
    const { script, login } = setup({ interval: 5, expiresIn: 30 }, () => 0);
    script.polls.push('network', 'network', 'network', 'network', 'network', 'network');
    login.start();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(login.getView().status).toBe('error');
    expect(login.getView().error?.code).toBe('network_error');
    expect(script.count('poll')).toBeGreaterThan(1);
    login.dispose();
  });

  it('never has two requests in flight and never polls after cancel (the in-flight poll is aborted)', async () => {
    const { script, login } = setup({ interval: 5 });
    script.polls.push('pending', 'hang');
    login.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(script.inFlight).toBe(1);
    const hanging = script.calls.at(-1)!;
    login.cancel();
    await flush();
    expect(hanging.signal?.aborted).toBe(true);
    expect(login.getView()).toMatchObject({ status: 'idle', userCode: undefined, error: undefined });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(script.count('poll')).toBe(2);
    expect(script.maxInFlight).toBe(1);
    login.dispose();
  });

  it('sends nothing after dispose', async () => {
    const { script, login } = setup({ interval: 5 });
    script.polls.push('hang');
    login.start();
    await vi.advanceTimersByTimeAsync(5000);
    const hanging = script.calls.at(-1)!;
    login.dispose();
    expect(hanging.signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(script.calls.length).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('polls at once on wake when a throttled timer missed the interval, not before', async () => {
    const { script, login } = setup({ interval: 5 });
    login.start();
    await flush();
    // The clock moves but timers do not fire: a background tab whose timers are throttled.
    vi.setSystemTime(Date.now() + 4000);
    login.wake();
    await flush();
    expect(script.count('poll')).toBe(0);
    vi.setSystemTime(Date.now() + 1000);
    login.wake();
    await flush();
    expect(script.count('poll')).toBe(1);
    login.dispose();
  });

  it('goes to expired on wake after the deadline passed in the background', async () => {
    const { script, login } = setup({ interval: 5, expiresIn: 60 });
    login.start();
    await flush();
    vi.setSystemTime(Date.now() + 61_000);
    login.wake();
    await flush();
    expect(login.getView().status).toBe('expired');
    expect(script.count('poll')).toBe(0);
    login.dispose();
  });
});

describe('request timeout', () => {
  it('abandons a hung poll after 30 s as a transient timeout and polls again', async () => {
    const { script, login } = setup({ interval: 5 }, () => 0);
    script.polls.push('hang', 'approve');
    login.start();
    await vi.advanceTimersByTimeAsync(5000);
    const hung = script.calls.at(-1)!;
    await vi.advanceTimersByTimeAsync(29_999);
    expect(hung.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(hung.signal?.aborted).toBe(true);
    expect(login.getView().error?.code).toBe('timeout');
    await vi.advanceTimersByTimeAsync(5000);
    expect(login.getView().status).toBe('authenticated');
    expect(script.count('poll')).toBe(2);
    login.dispose();
  });

  it('retries a hung registration', async () => {
    const script = scriptedProvider();
    script.registers.push('hang');
    const login = createDeviceLogin({
      provider: script.provider,
      requestTimeoutSeconds: 10,
      random: () => 0,
    });
    login.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(login.getView()).toMatchObject({ status: 'registering' });
    expect(login.getView().error?.code).toBe('timeout');
    await vi.advanceTimersByTimeAsync(1000);
    expect(login.getView().status).toBe('awaitingUser');
    login.dispose();
  });
});
