// @vitest-environment node
import { awsSsoOidc, createDeviceLogin, type DeviceLoginView, webStorage } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useSsoAccounts } from '../useSsoAccounts.ts';

const awaiting: Partial<DeviceLoginView> = {
  status: 'awaitingUser',
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
  expiresAt: Date.now() + 600_000,
  interval: 5,
};

function Accounts() {
  const accounts = useSsoAccounts();
  return <p>{accounts.status}</p>;
}

describe('server rendering', () => {
  it('runs where there is no browser', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    expect(typeof navigator === 'undefined' || navigator.clipboard === undefined).toBe(true);
  });

  it('renders the prompt to a string without touching a browser API', () => {
    const login = createTestDeviceLogin(awaiting);
    const html = renderToString(
      <StrictMode>
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt autoStart autoOpen />
        </DeviceLoginProvider>
      </StrictMode>,
    );
    expect(html).toContain('role="status"');
    expect(html).toContain('Waiting for you to approve the sign-in.');
    expect(html).toContain('>ABCD<');
    expect(html).toContain('href="https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"');
    // Time-dependent and lazy parts wait for the client, so the server HTML cannot disagree with it.
    expect(html).toMatch(/<span [^>]*role="timer"[^>]*><\/span>/);
    expect(html).not.toContain('<svg');
    // Effects (autoStart, autoOpen, wake listeners) never run on the server.
    expect(login.calls.start).toHaveLength(0);
    expect(login.listenerCount).toBe(0);
  });

  it('renders with a real login, which makes no request on the server', () => {
    const requests: string[] = [];
    const login = createDeviceLogin({
      provider: awsSsoOidc({
        region: 'us-east-1',
        startUrl: 'https://d-1234567890.awsapps.com/start',
        clientName: 'ssr',
        fetch: async (input) => {
          requests.push(String(input));
          throw new Error('no request may be made while rendering on the server');
        },
      }),
    });
    const html = renderToString(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt autoStart />
      </DeviceLoginProvider>,
    );
    expect(html).toContain('data-state="idle"');
    expect(html).toContain('role="status"');
    expect(requests).toEqual([]);
    login.dispose();
  });

  it('renders the portal hooks without reading storage or making a request', () => {
    const touched: string[] = [];
    const login = createDeviceLogin({
      provider: awsSsoOidc({
        region: 'us-east-1',
        startUrl: 'https://d-1234567890.awsapps.com/start',
        clientName: 'ssr',
        fetch: async (input) => {
          touched.push(`fetch ${String(input)}`);
          throw new Error('no request may be made while rendering on the server');
        },
      }),
      storage: webStorage(() => {
        touched.push('storage');
        throw new Error('no storage on the server');
      }),
    });
    const html = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <DeviceLoginProvider login={login} portal={{ endpoint: 'https://portal.example' }}>
          <Accounts />
        </DeviceLoginProvider>
      </QueryClientProvider>,
    );
    expect(html).toBe('<p>pending</p>');
    expect(touched).toEqual([]);
    login.dispose();
  });

  it('renders every status', () => {
    for (const status of ['idle', 'registering', 'authorizing', 'expired', 'denied', 'error'] as const) {
      const html = renderToString(
        <DeviceLoginProvider login={createTestDeviceLogin({ status })}>
          <DeviceCodePrompt />
        </DeviceLoginProvider>,
      );
      expect(html).toContain(`data-state="${status}"`);
    }
  });
});
