import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useDeviceLogin } from '../useDeviceLogin.ts';
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

  it('points a caller without a provider to the hook that takes a login, not to an argument it does not take', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      renderHook(() => useDeviceLogin(), { wrapper: ({ children }) => wrap(children as ReactElement) }),
    ).toThrow(/use useOidcDeviceLogin\(\{ login \}\) instead: useDeviceLogin takes no login\./);
  });
});
