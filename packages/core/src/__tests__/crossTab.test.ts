import { createEmulator } from '@oidc-device-login/emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsSsoOidc } from '../awsSsoOidc.ts';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import { crossTab } from '../crossTab.ts';
import { type DeviceLoginStorage, memoryStorage, type StoredSession } from '../storage.ts';
import { memoryLocks } from '../testing.ts';
import type { DeviceLoginView } from '../view.ts';
import { scriptedProvider } from './helpers/scriptedProvider.ts';

const T0 = Date.UTC(2026, 0, 1);

// BroadcastChannel delivers on a real event-loop turn: keep setImmediate real, fake only timers and Date.
beforeEach(() => {
  vi.useFakeTimers({
    now: T0,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets messages between "tabs" and promise chains settle, without moving the clock. */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

/** Two tabs of one origin: one shared storage and lock manager, one BroadcastChannel each. */
function twoTabs(options: { locks?: boolean; channel?: boolean } = {}) {
  const script = scriptedProvider({ interval: 5 });
  const storage: DeviceLoginStorage = memoryStorage();
  const locks = options.locks === false ? null : memoryLocks();
  const name = `test-${Math.random()}`;
  const tab = () => {
    const channel = options.channel === false ? null : new BroadcastChannel(name);
    if (channel) channels.push(channel);
    return createDeviceLogin({ provider: script.provider, storage, crossTab: { locks, channel } });
  };
  return { script, storage, locks, a: tab(), b: tab(), tab };
}

/**
 * Two tabs like {@link twoTabs}, but tab B sees the storage late, as browsers propagate localStorage between tabs
 * asynchronously (a BroadcastChannel message or a lock can arrive first): while `lag.on`, B's storage shows
 * `lag.seen` as the session.
 */
function laggingTabs() {
  const script = scriptedProvider({ interval: 5 });
  const shared = memoryStorage();
  const lag: { on: boolean; seen: StoredSession | undefined } = { on: false, seen: undefined };
  const lagged: DeviceLoginStorage = {
    ...shared,
    getSession: async (scope) => (lag.on ? lag.seen : shared.getSession(scope)),
  };
  const name = `test-${Math.random()}`;
  const [channelA, channelB] = [new BroadcastChannel(name), new BroadcastChannel(name)];
  channels.push(channelA, channelB);
  const locks = memoryLocks();
  const tab = (storage: DeviceLoginStorage, channel: BroadcastChannel) =>
    createDeviceLogin({ provider: script.provider, storage, crossTab: { locks, channel } });
  return { script, shared, lag, a: tab(shared, channelA), b: tab(lagged, channelB) };
}

describe('cross-tab', () => {
  it('runs one device flow: the second tab shows the first tab’s code and receives its session', async () => {
    const { script, a, b } = twoTabs();
    b.subscribe(() => {});
    a.start();
    await settle();
    b.start();
    await settle();
    expect(a.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-1' });
    expect(b.getView()).toMatchObject({
      status: 'awaitingUser',
      userCode: 'USER-1',
      expiresAt: a.getView().expiresAt,
    });
    script.polls.push('pending', 'approve');
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(a.getView().status).toBe('authenticated');
    expect(b.getView().status).toBe('authenticated');
    expect(await b.getAccessToken()).toBe(await a.getAccessToken());
    expect(script.calls.map((c) => c.op)).toEqual(['register', 'start', 'poll', 'poll']);
    a.dispose();
    b.dispose();
  });

  it('the waiting tab runs its own flow when the first tab gives up, at once', async () => {
    const { script, a, b } = twoTabs();
    a.start();
    await settle();
    b.start();
    await settle();
    expect(b.getView().codeSource).toBe('otherTab');
    a.cancel();
    await settle();
    // No timer moved: the other tab's "flow ended" message, with no session announced before it, is enough (no
    // `handingOver` wait).
    expect(b.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-2', codeSource: 'thisTab' });
    expect(script.count('register')).toBe(1); // the registration is shared through storage
    a.dispose();
    b.dispose();
  });

  it('says whose flow the code shown is: this tab’s, or another tab’s that it mirrors', async () => {
    const { a, b, tab } = twoTabs();
    const seenByB: DeviceLoginView[] = [];
    b.subscribe((view) => seenByB.push(view));
    a.start();
    await settle();
    expect(a.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-1', codeSource: 'thisTab' });
    b.start();
    await settle();
    expect(b.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-1', codeSource: 'otherTab' });
    // A third tab asks for the prompt and A sends it again: the same prompt is no change for B.
    const viewsBefore = seenByB.length;
    const c = tab();
    c.start();
    await settle();
    expect(c.getView()).toMatchObject({ userCode: 'USER-1', codeSource: 'otherTab' });
    expect(seenByB).toHaveLength(viewsBefore);
    c.dispose();
    // A gives up: B runs its own flow, and its new code is its own.
    a.cancel();
    await settle();
    expect(a.getView()).toMatchObject({ status: 'idle', codeSource: undefined });
    expect(b.getView()).toMatchObject({ status: 'awaitingUser', userCode: 'USER-2', codeSource: 'thisTab' });
    // Named exactly while a code is shown, from B's first view on.
    for (const view of seenByB) expect(view.codeSource === undefined).toBe(view.userCode === undefined);
    expect(
      seenByB.filter((view) => view.userCode).map((view) => `${view.userCode}:${view.codeSource}`),
    ).toEqual(['USER-1:otherTab', 'USER-2:thisTab']);
    a.dispose();
    b.dispose();
  });

  it('sends one refresh for both tabs', async () => {
    const { script, a, b } = twoTabs();
    b.subscribe(() => {});
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(b.getView().status).toBe('authenticated');
    // Both tabs' refresh timers fire at the same moment.
    await vi.advanceTimersByTimeAsync(3300_000);
    await settle();
    expect(script.count('refresh')).toBe(1);
    expect(await a.getAccessToken()).toBe('access-2-client-1');
    expect(await b.getAccessToken()).toBe('access-2-client-1');
    // And when each tab asks at once, inside the window, from a throttled background:
    vi.setSystemTime(Date.now() + 3400_000);
    const tokens = await Promise.all([a.getAccessToken(), b.getAccessToken(), a.getAccessToken()]);
    await settle();
    expect(script.count('refresh')).toBe(2);
    expect(new Set(tokens).size).toBe(1);
    a.dispose();
    b.dispose();
  });

  it('a forced sign-in in another tab is a new sign-in (signedInAt), a refresh is not', async () => {
    const { script, a, b } = twoTabs();
    a.subscribe(() => {});
    b.subscribe(() => {});
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    const first = a.getView().session?.signedInAt;
    expect(first).toBe(T0 + 5000);
    expect(b.getView().session?.signedInAt).toBe(first);
    // A refresh in tab A renews the token: tab B gets it with the same signedInAt.
    await vi.advanceTimersByTimeAsync(60_000);
    await a.refresh();
    await settle();
    expect(b.getView().session?.issuedAt).toBe(T0 + 65_000);
    expect(b.getView().session?.signedInAt).toBe(first);
    // Another person signs in from tab B without signing out: tab A takes the session straight from authenticated.
    const statuses: string[] = [];
    a.subscribe((view) => statuses.push(view.status));
    b.start({ force: true });
    await settle();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(new Set(statuses)).toEqual(new Set(['authenticated']));
    expect(b.getView().session?.signedInAt).toBe(T0 + 70_000);
    expect(a.getView().session?.signedInAt).toBe(T0 + 70_000);
    a.dispose();
    b.dispose();
  });

  it('logout in one tab logs out the others', async () => {
    const { script, storage, a, b } = twoTabs();
    b.subscribe(() => {});
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(b.getView().status).toBe('authenticated');
    await b.logout();
    await settle();
    expect(a.getView()).toMatchObject({ status: 'idle', session: undefined, error: undefined });
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    expect(script.count('logout')).toBe(1);
    a.dispose();
    b.dispose();
  });

  it('logout in one tab while another saves a refresh: every tab stays signed out', async () => {
    const script = scriptedProvider({ interval: 5 });
    const inner = memoryStorage();
    let slow = false;
    // An encrypting or remote adapter: a session write can take a while; a removal is quick.
    const storage: DeviceLoginStorage = {
      ...inner,
      setSession: async (scope, session) => {
        if (slow) await new Promise((resolve) => setTimeout(resolve, 1000));
        return inner.setSession(scope, session);
      },
    };
    const name = `test-${Math.random()}`;
    const locks = memoryLocks();
    const tab = () => {
      const channel = new BroadcastChannel(name);
      channels.push(channel);
      return createDeviceLogin({ provider: script.provider, storage, crossTab: { locks, channel } });
    };
    const a = tab();
    const b = tab();
    b.subscribe(() => {});
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(b.getView().status).toBe('authenticated');
    slow = true;
    const refreshed = a.refresh().catch(() => {});
    await settle();
    expect(script.count('refresh')).toBe(1);
    await b.logout();
    await settle();
    expect(a.getView().status).toBe('idle');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    await refreshed;
    expect(await storage.getSession(script.provider.scope)).toBeUndefined();
    expect(a.getView()).toMatchObject({ status: 'idle', session: undefined });
    expect(b.getView()).toMatchObject({ status: 'idle', session: undefined });
    a.dispose();
    b.dispose();
  });

  it('a session that ends in one tab ends in the others, as session_expired', async () => {
    const { script, a, b } = twoTabs();
    b.subscribe(() => {});
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    script.refreshes.push('invalid_grant');
    await vi.advanceTimersByTimeAsync(3300_000);
    await settle();
    expect(script.count('refresh')).toBe(1);
    expect(a.getView().error?.code).toBe('session_expired');
    expect(b.getView().status).toBe('idle');
    expect(b.getView().error?.code).toBe('session_expired');
    a.dispose();
    b.dispose();
  });

  it('a tab whose storage has not caught up with the message reads again until it has', async () => {
    const { script, shared, lag, a, b } = laggingTabs();
    b.subscribe(() => {});
    await settle();

    // Sign-in in tab A, announced before tab B's storage shows it.
    lag.on = true;
    a.start();
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(a.getView().status).toBe('authenticated');
    expect(b.getView().status).toBe('idle');
    lag.on = false;
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(b.getView().status).toBe('authenticated');
    expect(b.getView().session?.issuedAt).toBe(a.getView().session?.issuedAt);

    // A refresh in tab A, while tab B's storage still shows the previous session.
    lag.seen = await shared.getSession(script.provider.scope);
    lag.on = true;
    await a.refresh();
    await settle();
    const refreshedAt = a.getView().session?.issuedAt;
    expect(refreshedAt).toBeGreaterThan(lag.seen!.issuedAt!);
    expect(b.getView().session?.issuedAt).toBe(lag.seen!.issuedAt);
    lag.on = false;
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(b.getView().session?.issuedAt).toBe(refreshedAt);
    expect(script.count('refresh')).toBe(1);
    a.dispose();
    b.dispose();
  });

  it('a tab that waited for the flow lock does not start a flow of its own when the flow it mirrored signed in', async () => {
    // The lock can reach tab B before its storage shows tab A's session: B must take A's session, not register a
    // device authorization of its own.
    const { script, lag, a, b } = laggingTabs();
    const statuses = new Set<string>();
    b.subscribe((view) => statuses.add(view.status));
    a.start();
    await settle();
    b.start();
    await settle();
    expect(b.getView()).toMatchObject({ status: 'awaitingUser', codeSource: 'otherTab' });

    lag.on = true;
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(a.getView().status).toBe('authenticated');
    lag.on = false;
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(b.getView().status).toBe('authenticated');
    expect(await b.getAccessToken()).toBe(await a.getAccessToken());
    expect(script.count('start')).toBe(1);
    expect(statuses.has('authorizing')).toBe(false);
    a.dispose();
    b.dispose();
  });

  it('degrades to per-tab behaviour without locks and channel', async () => {
    const { script, a, b } = twoTabs({ locks: false, channel: false });
    a.start();
    b.start();
    await settle();
    expect(a.getView().userCode).toBe('USER-1');
    expect(b.getView().userCode).toBe('USER-2');
    expect(script.count('start')).toBe(2);
    a.dispose();
    b.dispose();
  });

  it('releases the flow lock on dispose and ignores malformed messages', async () => {
    const { locks, a } = twoTabs();
    a.start();
    await settle();
    expect(locks!.held()).toHaveLength(1);
    a.dispose();
    await settle();
    expect(locks!.held()).toEqual([]);

    const coordinator = crossTab({ channel: null, locks: null });
    const received: unknown[] = [];
    const unsubscribe = coordinator.subscribe((m) => received.push(m));
    const channel = new BroadcastChannel('oidc-device-login-malformed');
    const other = new BroadcastChannel('oidc-device-login-malformed');
    channels.push(channel, other);
    const real = crossTab({ channel, locks: null });
    const got: unknown[] = [];
    real.subscribe((m) => got.push(m));
    for (const bad of [
      null,
      'x',
      {
        v: 1,
        type: 'prompt',
        key: 'k',
        prompt: { userCode: 'U', verificationUri: 'javascript:alert(1)', expiresAt: 1, interval: 5 },
      },
      // Another script of the origin can post prompts: one that reads as AWS but leads elsewhere is dropped.
      {
        v: 1,
        type: 'prompt',
        key: 'k',
        prompt: {
          userCode: 'U',
          verificationUri: 'https://device.sso.us-east-1.amazonaws.com@evil.example/',
          expiresAt: 1,
          interval: 5,
        },
      },
      {
        v: 1,
        type: 'prompt',
        key: 'k',
        prompt: {
          userCode: 'U',
          verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
          verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com\t.evil.example/',
          expiresAt: 1,
          interval: 5,
        },
      },
      { v: 2, type: 'flow-ended', key: 'k' },
      { v: 1, type: 'session-updated', key: 'k', issuedAt: 'yesterday' },
      { v: 1, type: 'nope', key: 'k' },
    ]) {
      other.postMessage(bad);
    }
    other.postMessage({ v: 1, type: 'flow-ended', key: 'k' });
    await settle();
    expect(got).toEqual([{ v: 1, type: 'flow-ended', key: 'k' }]);
    expect(received).toEqual([]);
    unsubscribe();
  });

  it('with rotating refresh tokens (emulator), many tabs refresh once and none is logged out', async () => {
    // The multi-tab bug of oidc-client-ts#430 / react-oidc-context#1472 / AxaFrance#1171: every tab refreshes,
    // the first rotation invalidates the others' refresh token, and they lose the session.
    const emulator = createEmulator({ interval: 1 });
    const provider = awsSsoOidc({
      region: 'us-east-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
      clientName: 'tabs',
      endpoint: emulator.config.baseUrl,
      portalEndpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    });
    const storage = memoryStorage();
    const locks = memoryLocks();
    const name = `rotation-${Math.random()}`;
    const tabs = Array.from({ length: 4 }, () => {
      const channel = new BroadcastChannel(name);
      channels.push(channel);
      return createDeviceLogin({ provider, storage, crossTab: { locks, channel } });
    });
    for (const tab of tabs) tab.subscribe(() => {});
    tabs[0]!.start();
    await settle();
    emulator.approve({ userCode: emulator.pendingAuthorizations()[0]!.userCode });
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(tabs.map((tab) => tab.getView().status)).toEqual(Array(4).fill('authenticated'));
    for (let round = 1; round <= 3; round++) {
      await vi.advanceTimersByTimeAsync(3300_000);
      await settle();
      const refreshes = emulator
        .requests()
        .filter((r) => (r.body as { grantType?: string } | undefined)?.grantType === 'refresh_token');
      expect(refreshes.map((r) => r.status)).toEqual(Array(round).fill(200));
      expect(tabs.map((tab) => tab.getView().status)).toEqual(Array(4).fill('authenticated'));
      const tokens = await Promise.all(tabs.map((tab) => tab.getAccessToken()));
      expect(new Set(tokens).size).toBe(1);
    }
    for (const tab of tabs) tab.dispose();
  });
});
