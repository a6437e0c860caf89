import { describe, expect, it, vi } from 'vitest';
import { DeviceLoginError } from '../errors.ts';
import { createTestDeviceLogin, initialDeviceLoginView } from '../testing.ts';

describe('createTestDeviceLogin', () => {
  it('starts idle with nothing shown, merged with the given view, frozen', () => {
    const login = createTestDeviceLogin({ status: 'awaitingUser', userCode: 'ABCD-EFGH' });
    const view = login.getView();
    expect(view).toEqual({ ...initialDeviceLoginView, status: 'awaitingUser', userCode: 'ABCD-EFGH' });
    expect(Object.isFrozen(view)).toBe(true);
    expect(createTestDeviceLogin().getView()).toEqual(initialDeviceLoginView);
  });

  it('keeps the same view object and calls no listener when setView changes nothing', () => {
    const login = createTestDeviceLogin({ status: 'awaitingUser', interval: 5 });
    const listener = vi.fn();
    login.subscribe(listener);
    const before = login.getView();
    login.setView({ status: 'awaitingUser', interval: 5 });
    login.setView({});
    expect(login.getView()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });

  it('replaces the view with a new frozen object and notifies each listener once per change', () => {
    const login = createTestDeviceLogin();
    const first = vi.fn();
    const second = vi.fn();
    login.subscribe(first);
    const unsubscribe = login.subscribe(second);
    const before = login.getView();
    login.setView({ status: 'registering' });
    const after = login.getView();
    expect(after).not.toBe(before);
    expect(after.status).toBe('registering');
    expect(Object.isFrozen(after)).toBe(true);
    expect(first).toHaveBeenCalledExactlyOnceWith(after);
    expect(second).toHaveBeenCalledOnce();
    unsubscribe();
    login.setView({ status: 'authorizing' });
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledOnce();
    expect(login.listenerCount).toBe(1);
  });

  it('records the arguments of each call', async () => {
    const login = createTestDeviceLogin();
    login.start();
    login.start({ force: true });
    login.cancel();
    login.retry();
    login.wake();
    await login.logout();
    await login.refresh();
    expect(login.calls.start).toEqual([[], [{ force: true }]]);
    expect(login.calls.cancel).toHaveLength(1);
    expect(login.calls.retry).toHaveLength(1);
    expect(login.calls.wake).toHaveLength(1);
    expect(login.calls.logout).toHaveLength(1);
    expect(login.calls.refresh).toHaveLength(1);
  });

  it("resolves getAccessToken from the view's session and rejects not_signed_in without one", async () => {
    const login = createTestDeviceLogin();
    const rejection = login.getAccessToken();
    await expect(rejection).rejects.toBeInstanceOf(DeviceLoginError);
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'not_signed_in' });
    login.setView({
      status: 'authenticated',
      session: { expiresAt: 1_000, tokenType: 'Bearer', refreshable: true, accessToken: 'token-1' },
    });
    await expect(login.getAccessToken({ forceRefresh: true })).resolves.toBe('token-1');
    expect(login.calls.getAccessToken).toEqual([[], [], [{ forceRefresh: true }]]);
  });

  it('drops its listeners on dispose', () => {
    const login = createTestDeviceLogin();
    const listener = vi.fn();
    login.subscribe(listener);
    login.dispose();
    login.setView({ status: 'registering' });
    expect(listener).not.toHaveBeenCalled();
    expect(login.disposed).toBe(true);
    expect(login.listenerCount).toBe(0);
  });
});

describe('createTestDeviceLogin behaviour', () => {
  it('runs the given behaviour and still records the calls', async () => {
    const login = createTestDeviceLogin(
      {},
      {
        start: () => login.setView({ status: 'registering' }),
        getAccessToken: async (options) => (options?.forceRefresh ? 'fresh' : 'stale'),
      },
    );
    login.start();
    expect(login.getView().status).toBe('registering');
    await expect(login.getAccessToken()).resolves.toBe('stale');
    await expect(login.getAccessToken({ forceRefresh: true })).resolves.toBe('fresh');
    expect(login.calls.start).toHaveLength(1);
    expect(login.calls.getAccessToken).toEqual([[], [{ forceRefresh: true }]]);
  });
});
