import type { DeviceLoginView } from '@oidc-device-login/core';
import { createTestDeviceLogin, type TestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, renderHook } from '@testing-library/react';
import { Profiler, type ReactElement, type ReactNode } from 'react';
import { expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useOidcDeviceLogin } from '../useOidcDeviceLogin.ts';
import { describeEachReactMode } from './utils.tsx';

const awaiting: Partial<DeviceLoginView> = {
  status: 'awaitingUser',
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
  expiresAt: Date.UTC(2026, 0, 1, 12, 10),
  interval: 5,
};

describeEachReactMode('useOidcDeviceLogin', ({ wrap }) => {
  function providerWrapper(login: TestDeviceLogin, onCommit?: () => void) {
    return ({ children }: { children: ReactNode }) =>
      wrap(
        <Profiler id="hook" onRender={() => onCommit?.()}>
          <DeviceLoginProvider login={login}>{children}</DeviceLoginProvider>
        </Profiler>,
      );
  }

  it('returns every view field and the actions', () => {
    const login = createTestDeviceLogin(awaiting);
    const { result } = renderHook(() => useOidcDeviceLogin(), { wrapper: providerWrapper(login) });
    expect(result.current).toEqual({
      ...login.getView(),
      start: expect.any(Function),
      cancel: expect.any(Function),
      retry: expect.any(Function),
      logout: expect.any(Function),
    });
  });

  it('follows the view, and keeps the action identities across changes', () => {
    const login = createTestDeviceLogin();
    const { result } = renderHook(() => useOidcDeviceLogin(), { wrapper: providerWrapper(login) });
    const { start, cancel, retry, logout } = result.current;
    act(() => login.setView({ status: 'registering' }));
    expect(result.current.status).toBe('registering');
    act(() => login.setView(awaiting));
    expect(result.current.userCode).toBe('ABCD-EFGH');
    expect(result.current.start).toBe(start);
    expect(result.current.cancel).toBe(cancel);
    expect(result.current.retry).toBe(retry);
    expect(result.current.logout).toBe(logout);
  });

  it('calls the login from each action', async () => {
    const login = createTestDeviceLogin();
    const { result } = renderHook(() => useOidcDeviceLogin(), { wrapper: providerWrapper(login) });
    result.current.start({ force: true });
    result.current.cancel();
    result.current.retry();
    await result.current.logout();
    expect(login.calls.start).toEqual([[{ force: true }]]);
    expect(login.calls.cancel).toHaveLength(1);
    expect(login.calls.retry).toHaveLength(1);
    expect(login.calls.logout).toHaveLength(1);
  });

  it('commits nothing when the login notifies without a change', () => {
    const login = createTestDeviceLogin(awaiting);
    const onCommit = vi.fn();
    renderHook(() => useOidcDeviceLogin(), { wrapper: providerWrapper(login, onCommit) });
    const mounted = onCommit.mock.calls.length;
    act(() => login.setView({ ...awaiting }));
    expect(onCommit).toHaveBeenCalledTimes(mounted);
    act(() => login.setView({ isSlowedDown: true, interval: 10 }));
    expect(onCommit).toHaveBeenCalledTimes(mounted + 1);
  });

  it('with select, re-renders only when the selection changes', () => {
    const login = createTestDeviceLogin();
    const onCommit = vi.fn();
    const { result } = renderHook(
      // An inline selector, as people write it: must not cost renders either.
      () => useOidcDeviceLogin({ select: (view) => ({ status: view.status }) }),
      { wrapper: providerWrapper(login, onCommit) },
    );
    const mounted = onCommit.mock.calls.length;
    const first = result.current;
    expect(first).toEqual({
      status: 'idle',
      start: expect.any(Function),
      cancel: expect.any(Function),
      retry: expect.any(Function),
      logout: expect.any(Function),
    });
    act(() => login.setView({ isRestoring: true }));
    act(() => login.setView({ interval: 5 }));
    expect(onCommit).toHaveBeenCalledTimes(mounted);
    expect(result.current).toBe(first);
    act(() => login.setView({ status: 'registering' }));
    expect(onCommit).toHaveBeenCalledTimes(mounted + 1);
    expect(result.current.status).toBe('registering');
  });

  it('uses isEqual to compare selections', () => {
    const login = createTestDeviceLogin({ interval: 5 });
    const onCommit = vi.fn();
    const { result } = renderHook(
      () =>
        useOidcDeviceLogin({
          select: (view) => ({ slow: (view.interval ?? 0) > 5, interval: view.interval }),
          isEqual: (a, b) => a.slow === b.slow,
        }),
      { wrapper: providerWrapper(login, onCommit) },
    );
    const mounted = onCommit.mock.calls.length;
    act(() => login.setView({ interval: 4 }));
    expect(onCommit).toHaveBeenCalledTimes(mounted);
    expect(result.current.interval).toBe(5);
    act(() => login.setView({ interval: 10 }));
    expect(result.current).toMatchObject({ slow: true, interval: 10 });
  });

  it('reads { login } without a provider, and unsubscribes on unmount', () => {
    const login = createTestDeviceLogin(awaiting);
    const { result, unmount } = renderHook(() => useOidcDeviceLogin({ login }), {
      wrapper: ({ children }) => wrap(children as ReactElement),
    });
    expect(result.current.userCode).toBe('ABCD-EFGH');
    expect(login.listenerCount).toBe(1);
    unmount();
    expect(login.listenerCount).toBe(0);
    expect(login.disposed).toBe(false);
  });

  it('prefers { login } over the provider, and follows a new login', () => {
    const provided = createTestDeviceLogin({ status: 'authenticated' });
    const first = createTestDeviceLogin({ status: 'denied' });
    const second = createTestDeviceLogin({ status: 'expired' });
    const { result, rerender } = renderHook(({ login }) => useOidcDeviceLogin({ login }), {
      wrapper: providerWrapper(provided),
      initialProps: { login: first },
    });
    expect(result.current.status).toBe('denied');
    rerender({ login: second });
    expect(result.current.status).toBe('expired');
    expect(first.listenerCount).toBe(0);
    result.current.retry();
    expect(second.calls.retry).toHaveLength(1);
    expect(first.calls.retry).toHaveLength(0);
  });

  it('says what to do without a provider or a login', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      renderHook(() => useOidcDeviceLogin(), { wrapper: ({ children }) => wrap(children as ReactElement) }),
    ).toThrow(
      /useOidcDeviceLogin must be used inside <DeviceLoginProvider login=\{…\}>, or be given \{ login \}/,
    );
  });
});
