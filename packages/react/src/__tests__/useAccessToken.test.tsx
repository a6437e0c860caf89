import type { SessionView } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, renderHook } from '@testing-library/react';
import { Profiler, type ReactNode } from 'react';
import { expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useAccessToken } from '../useAccessToken.ts';
import { describeEachReactMode } from './utils.tsx';

const session: SessionView = {
  expiresAt: Date.UTC(2026, 0, 1, 13),
  issuedAt: Date.UTC(2026, 0, 1, 12),
  tokenType: 'Bearer',
  refreshable: true,
  accessToken: 'access-1',
};

describeEachReactMode('useAccessToken', ({ wrap }) => {
  it('is none without a session, valid with one, refreshing during a refresh', () => {
    const login = createTestDeviceLogin();
    const { result } = renderHook(() => useAccessToken(), {
      wrapper: ({ children }: { children: ReactNode }) =>
        wrap(<DeviceLoginProvider login={login}>{children}</DeviceLoginProvider>),
    });
    expect(result.current).toEqual({
      status: 'none',
      expiresAt: undefined,
      getAccessToken: expect.any(Function),
    });
    act(() => login.setView({ status: 'authenticated', session }));
    expect(result.current).toMatchObject({ status: 'valid', expiresAt: session.expiresAt });
    act(() => login.setView({ isRefreshing: true }));
    expect(result.current.status).toBe('refreshing');
    const next = { ...session, expiresAt: session.expiresAt + 3_600_000, accessToken: 'access-2' };
    act(() => login.setView({ isRefreshing: false, session: next }));
    expect(result.current).toMatchObject({ status: 'valid', expiresAt: next.expiresAt });
  });

  it('does not re-render for sign-in progress', () => {
    const login = createTestDeviceLogin();
    const onCommit = vi.fn();
    renderHook(() => useAccessToken(), {
      wrapper: ({ children }: { children: ReactNode }) =>
        wrap(
          <Profiler id="token" onRender={onCommit}>
            <DeviceLoginProvider login={login}>{children}</DeviceLoginProvider>
          </Profiler>,
        ),
    });
    const mounted = onCommit.mock.calls.length;
    act(() => login.setView({ status: 'registering' }));
    act(() => login.setView({ status: 'awaitingUser', userCode: 'ABCD-EFGH', interval: 5 }));
    act(() => login.setView({ isSlowedDown: true, interval: 10 }));
    expect(onCommit).toHaveBeenCalledTimes(mounted);
  });

  it('gets the token from the login, with a stable function', async () => {
    const login = createTestDeviceLogin({ status: 'authenticated', session });
    const { result } = renderHook(() => useAccessToken({ login }));
    const { getAccessToken } = result.current;
    await expect(getAccessToken({ forceRefresh: true })).resolves.toBe('access-1');
    expect(login.calls.getAccessToken).toEqual([[{ forceRefresh: true }]]);
    act(() => login.setView({ isRefreshing: true }));
    expect(result.current.getAccessToken).toBe(getAccessToken);
  });
});
