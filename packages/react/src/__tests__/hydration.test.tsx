import { type DeviceLoginView, ServiceError } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { describeEachReactMode } from './utils.tsx';

const session = { expiresAt: Date.now() + 3_600_000, tokenType: 'Bearer', refreshable: true };

const views: Array<[string, Partial<DeviceLoginView>]> = [
  ['idle', { status: 'idle' }],
  [
    'awaitingUser',
    {
      status: 'awaitingUser',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
      expiresAt: Date.now() + 600_000,
      interval: 5,
    },
  ],
  ['authenticated', { status: 'authenticated', session }],
  // What else a restored session (or one restoring) can show on the first render.
  ['restoring', { status: 'idle', isRestoring: true }],
  ['refreshing', { status: 'authenticated', session, isRefreshing: true }],
  [
    'idle after the session ended',
    { status: 'idle', error: new ServiceError({ code: 'invalid_grant', status: 400 }) },
  ],
  ['registering', { status: 'registering' }],
  [
    'awaitingUser, slowed down and about to expire',
    {
      status: 'awaitingUser',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
      expiresAt: Date.now() + 30_000,
      interval: 10,
      isSlowedDown: true,
    },
  ],
  ['expired', { status: 'expired' }],
  ['denied', { status: 'denied' }],
  [
    'error',
    {
      status: 'error',
      error: new ServiceError({ code: 'server_error', status: 500, errorDescription: 'Down.' }),
    },
  ],
];

let root: Root | undefined;
let container: HTMLElement | undefined;

afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
  root = undefined;
});

describeEachReactMode('hydration', ({ wrap }) => {
  it.each(views)('hydrates the server HTML without a mismatch: %s', async (_name, view) => {
    const login = createTestDeviceLogin(view);
    // Every prop that changes the markup, with an inline messages object (a new one on the client).
    const app = (): ReactElement =>
      wrap(
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt
            headingLevel={1}
            locale="de-DE"
            messages={{ title: 'Anmelden', countdown: (time) => `Noch ${time}` }}
            aboutToExpireSeconds={45}
          />
        </DeviceLoginProvider>,
      );
    container = document.createElement('div');
    container.innerHTML = renderToString(app());
    document.body.append(container);
    const error = vi.spyOn(console, 'error');
    const onRecoverableError = vi.fn();
    await act(async () => {
      root = hydrateRoot(container!, app(), { onRecoverableError });
    });
    expect(onRecoverableError).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toBeInTheDocument();
    if (view.status === 'awaitingUser') {
      // The client-only parts fill in right after hydration.
      expect(screen.getByRole('timer')).toHaveTextContent(/Noch \d+:\d\d/);
      await screen.findByRole('img', { name: 'QR code of the verification page' }, { timeout: 5_000 });
    }
  });
});
