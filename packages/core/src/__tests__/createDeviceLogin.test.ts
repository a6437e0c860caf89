import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import type { DeviceFlowProvider } from '../provider.ts';
import { type DeviceLoginStorage, memoryStorage } from '../storage.ts';
import type { DeviceLoginView } from '../view.ts';
import { scriptedProvider } from './helpers/scriptedProvider.ts';

const T0 = Date.UTC(2026, 0, 1);
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('construction (SSR-safe)', () => {
  it('touches no window, document, storage or provider until used', async () => {
    const touched: string[] = [];
    const trap = (name: string) =>
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    trap('window');
    trap('document');
    try {
      const script = scriptedProvider();
      const storage = memoryStorage();
      const spied: DeviceLoginStorage = Object.fromEntries(
        Object.entries(storage).map(([name, fn]) => [
          name,
          (...args: unknown[]) => {
            touched.push(`storage.${name}`);
            return (fn as (...a: unknown[]) => unknown)(...args);
          },
        ]),
      ) as unknown as DeviceLoginStorage;
      const login = createDeviceLogin({ provider: script.provider, storage: spied });
      expect(login.getView()).toMatchObject({ status: 'idle', isRestoring: true });
      await flush();
      expect(touched).toEqual([]);
      expect(script.calls).toEqual([]);
      login.dispose();
    } finally {
      delete (globalThis as Record<string, unknown>).window;
      delete (globalThis as Record<string, unknown>).document;
    }
  });

  it('rejects bad options with a coded error that names the option', () => {
    const { provider } = scriptedProvider();
    expect(() => createDeviceLogin({} as never)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', argument: 'options.provider' }),
    );
    expect(() =>
      createDeviceLogin({
        provider: { ...provider, pollToken: undefined } as unknown as DeviceFlowProvider,
      }),
    ).toThrow(/options\.provider\.pollToken/);
    expect(() => createDeviceLogin({ provider, refreshWindowSeconds: -1 })).toThrow(
      /options\.refreshWindowSeconds/,
    );
    expect(() => createDeviceLogin({ provider, retry: { retries: Number.NaN } })).toThrow(
      /options\.retry\.retries/,
    );
    expect(() => createDeviceLogin({ provider, storage: {} as DeviceLoginStorage })).toThrow(
      /options\.storage\.getRegistration/,
    );
  });

  it('says a provider is missing when called without options, and rejects a null storage', () => {
    const { provider } = scriptedProvider();
    for (const options of [undefined, null, 'aws']) {
      expect(() => createDeviceLogin(options as never)).toThrow(
        expect.objectContaining({
          code: 'invalid_argument',
          argument: 'options.provider',
          message: expect.stringContaining('createDeviceLogin({ provider: awsSsoOidc('),
        }),
      );
    }
    expect(() => createDeviceLogin({ provider, storage: null as unknown as DeviceLoginStorage })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', argument: 'options.storage.getRegistration' }),
    );
  });

  it('treats null retry options as unset (plain-JS callers), like undefined', async () => {
    const script = scriptedProvider({ interval: 1 });
    const login = createDeviceLogin({ provider: script.provider, retry: null as never });
    login.start();
    await flush();
    expect(login.getView().status).toBe('awaitingUser');
    login.dispose();
  });
});

describe('view model', () => {
  it('is frozen, keeps its reference until something in it changes, and notifies only on change', async () => {
    const script = scriptedProvider({ interval: 5 });
    script.polls.push('pending', 'pending', 'pending', 'slow_down', 'pending');
    const login = createDeviceLogin({ provider: script.provider });
    const views: DeviceLoginView[] = [];
    login.subscribe((view) => views.push(view));
    await flush();
    login.start();
    await flush();
    const waiting = login.getView();
    expect(Object.isFrozen(waiting)).toBe(true);
    expect(views.at(-1)).toBe(waiting);
    const notified = views.length;
    // Three pending polls change nothing a UI shows: same object, no notification.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(script.count('poll')).toBe(3);
    expect(login.getView()).toBe(waiting);
    expect(views.length).toBe(notified);
    // slow_down changes interval and isSlowedDown: one new view.
    await vi.advanceTimersByTimeAsync(5000);
    expect(views.length).toBe(notified + 1);
    expect(login.getView()).toMatchObject({ interval: 10, isSlowedDown: true });
    expect(views.map((view) => view.status)).toEqual([
      'idle',
      'registering',
      'authorizing',
      'awaitingUser',
      'awaitingUser',
    ]);
    login.dispose();
  });

  it('session view has no tokens unless exposeTokens, and is stable across pending work', async () => {
    for (const exposeTokens of [false, true]) {
      const script = scriptedProvider({ interval: 1 });
      script.polls.push('approve');
      const login = createDeviceLogin({ provider: script.provider, exposeTokens });
      login.start();
      await vi.advanceTimersByTimeAsync(1000);
      const view = login.getView();
      expect(Object.isFrozen(view.session)).toBe(true);
      expect(view.session).toEqual({
        expiresAt: Date.now() + 3600_000,
        issuedAt: Date.now(),
        signedInAt: Date.now(),
        tokenType: 'Bearer',
        scopes: ['sso:account:access'],
        refreshable: true,
        ...(exposeTokens ? { accessToken: 'access-1-client-1' } : {}),
      });
      expect(JSON.stringify(view).includes('refresh-1')).toBe(false);
      expect(JSON.stringify(view).includes('access-1')).toBe(exposeTokens);
      await login.getAccessToken();
      expect(login.getView()).toBe(view);
      login.dispose();
    }
  });

  it('isRefreshing is true only while a refresh is in flight', async () => {
    const script = scriptedProvider({ interval: 1 });
    script.polls.push('approve');
    script.refreshes.push('hang');
    const login = createDeviceLogin({ provider: script.provider });
    login.start();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(3300_000);
    expect(login.getView()).toMatchObject({ status: 'authenticated', isRefreshing: true });
    login.dispose();
  });

  it('a throwing listener does not starve the others; its error is reported', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const script = scriptedProvider();
    const login = createDeviceLogin({ provider: script.provider });
    const seen: string[] = [];
    const bug = new Error('listener bug');
    login.subscribe(() => {
      throw bug;
    });
    login.subscribe((view) => seen.push(view.status));
    login.start();
    await flush();
    expect(seen).toContain('awaitingUser');
    expect(reportError).toHaveBeenCalledWith(bug);
    vi.unstubAllGlobals();
    login.dispose();
  });

  it('unsubscribe stops notifications; dispose drops listeners and stops everything', async () => {
    const script = scriptedProvider({ interval: 1 });
    const login = createDeviceLogin({ provider: script.provider });
    const seen: string[] = [];
    const unsubscribe = login.subscribe((view) => seen.push(view.status));
    login.start();
    await flush();
    unsubscribe();
    const count = seen.length;
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(1000);
    expect(login.getView().status).toBe('authenticated');
    expect(seen.length).toBe(count);
    login.dispose();
    login.start();
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'aborted' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('StrictMode-style double calls', () => {
  it('start() twice is one flow; start() while signed in does nothing unless forced', async () => {
    const script = scriptedProvider({ interval: 1 });
    const login = createDeviceLogin({ provider: script.provider });
    login.start();
    login.start();
    await flush();
    login.start();
    await flush();
    expect(script.count('start')).toBe(1);
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(1000);
    login.start();
    await flush();
    expect(script.count('start')).toBe(1);
    expect(login.getView().status).toBe('authenticated');
    login.start({ force: true });
    await flush();
    expect(script.count('start')).toBe(2);
    expect(login.getView()).toMatchObject({ status: 'awaitingUser', session: undefined });
    login.dispose();
  });
});

describe('browser glue', () => {
  it('sends WAKE on visibilitychange → visible and on online; removed on dispose', async () => {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const win = new EventTarget();
    Object.assign(globalThis, { document: doc, window: win });
    try {
      const script = scriptedProvider({ interval: 5 });
      const login = createDeviceLogin({ provider: script.provider, crossTab: false });
      login.start();
      await flush();
      vi.setSystemTime(Date.now() + 6000); // timers throttled in the background
      doc.dispatchEvent(new Event('visibilitychange'));
      await flush();
      expect(script.count('poll')).toBe(0); // still hidden
      doc.visibilityState = 'visible';
      doc.dispatchEvent(new Event('visibilitychange'));
      await flush();
      expect(script.count('poll')).toBe(1);
      vi.setSystemTime(Date.now() + 6000);
      win.dispatchEvent(new Event('online'));
      await flush();
      expect(script.count('poll')).toBe(2);
      login.dispose();
      vi.setSystemTime(Date.now() + 6000);
      win.dispatchEvent(new Event('online'));
      await flush();
      expect(script.count('poll')).toBe(2);
    } finally {
      delete (globalThis as Record<string, unknown>).window;
      delete (globalThis as Record<string, unknown>).document;
    }
  });
});
