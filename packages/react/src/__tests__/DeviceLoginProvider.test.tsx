import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { fireEvent, renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { expect, it, vi } from 'vitest';
import { DeviceLoginProvider, useDeviceLogin } from '../DeviceLoginProvider.tsx';
import { describeEachReactMode } from './utils.tsx';

describeEachReactMode('DeviceLoginProvider', ({ wrap }) => {
  it('gives useDeviceLogin the login', () => {
    const login = createTestDeviceLogin();
    const { result } = renderHook(() => useDeviceLogin(), {
      wrapper: ({ children }: { children: ReactNode }) =>
        wrap(<DeviceLoginProvider login={login}>{children}</DeviceLoginProvider>),
    });
    expect(result.current).toBe(login);
  });

  it('says what to do when useDeviceLogin is used outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      renderHook(() => useDeviceLogin(), { wrapper: ({ children }) => wrap(children as ReactElement) }),
    ).toThrow(/useDeviceLogin must be used inside <DeviceLoginProvider login=\{…\}>/);
  });

  it('wakes the login when the tab becomes visible or the network comes back, until unmounted', () => {
    const login = createTestDeviceLogin();
    const { unmount } = renderHook(() => useDeviceLogin(), {
      wrapper: ({ children }: { children: ReactNode }) =>
        wrap(<DeviceLoginProvider login={login}>{children}</DeviceLoginProvider>),
    });
    fireEvent(document, new Event('visibilitychange'));
    expect(login.calls.wake).toHaveLength(1);
    fireEvent(window, new Event('online'));
    expect(login.calls.wake).toHaveLength(2);
    unmount();
    fireEvent(window, new Event('online'));
    expect(login.calls.wake).toHaveLength(2);
  });
});
