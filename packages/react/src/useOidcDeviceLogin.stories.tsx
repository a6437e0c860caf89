import { awsSsoOidc, type DeviceLogin, memoryStorage } from '@oidc-device-login/core';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { DeviceLoginProvider, useOidcDeviceLogin } from '@oidc-device-login/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { type CSSProperties, useEffect, useRef } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { createStoryLogin, loadedLogin, storyViews, USER_CODE } from './storyLogins.ts';

const panel: CSSProperties = {
  maxWidth: '30rem',
  padding: '1rem 1.25rem',
  borderRadius: '0.5rem',
  background: '#0b1020',
  color: '#e6edf3',
  fontFamily: 'ui-monospace, "SF Mono", Menlo, monospace',
  fontSize: '0.9375rem',
  lineHeight: 1.6,
};

const action: CSSProperties = {
  marginRight: '0.5rem',
  padding: '0.25rem 0.75rem',
  border: '1px solid #7ee787',
  borderRadius: '0.25rem',
  background: 'transparent',
  color: '#7ee787',
  font: 'inherit',
  cursor: 'pointer',
};

/**
 * A hand-made sign-in, terminal style, on `useOidcDeviceLogin()`: no `<DeviceCodePrompt>` at all. The hook returns
 * the login's view (`status`, `userCode`, `verificationUriComplete`, `error`…) and its actions. Without `login`,
 * the hook uses the nearest `<DeviceLoginProvider>`.
 */
function TerminalSignIn({ login }: { login?: DeviceLogin | undefined }) {
  const {
    status,
    userCode,
    verificationUri,
    verificationUriComplete,
    codeSource,
    error,
    start,
    cancel,
    retry,
    logout,
  } = useOidcDeviceLogin({ login });
  return (
    <section style={panel} aria-label="Terminal sign-in">
      <p style={{ margin: 0 }}>$ login --device</p>
      <p style={{ margin: 0 }} data-testid="hook-status">
        status: {status}
      </p>
      {status === 'awaitingUser' && userCode ? (
        <p style={{ margin: 0 }}>
          enter <strong style={{ color: '#ffa657' }}>{userCode}</strong> at{' '}
          <a href={verificationUriComplete ?? verificationUri} style={{ color: '#79c0ff' }}>
            {verificationUri}
          </a>
        </p>
      ) : null}
      {status === 'awaitingUser' && codeSource === 'otherTab' ? (
        <p style={{ margin: 0, color: '#8b949e' }}># signing in from another tab</p>
      ) : null}
      {error && status !== 'idle' ? <p style={{ margin: 0, color: '#ff7b72' }}>error: {error.code}</p> : null}
      <p style={{ margin: '0.5rem 0 0' }}>
        {status === 'idle' ? (
          <button type="button" style={action} onClick={() => start()}>
            sign in
          </button>
        ) : null}
        {status === 'registering' || status === 'authorizing' || status === 'awaitingUser' ? (
          <button type="button" style={action} onClick={cancel}>
            cancel
          </button>
        ) : null}
        {status === 'expired' || status === 'denied' || status === 'error' ? (
          <button type="button" style={action} onClick={retry}>
            retry
          </button>
        ) : null}
        {status === 'authenticated' ? (
          <button type="button" style={action} onClick={() => void logout()}>
            sign out
          </button>
        ) : null}
      </p>
    </section>
  );
}

const meta = {
  title: 'React/useOidcDeviceLogin',
  component: TerminalSignIn,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'Your own UI on the hook. `useOidcDeviceLogin()` gives the view and `start`, `cancel`, `retry`, ' +
          '`logout` (stable identities). Here a fake login (`createTestDeviceLogin`) moves when clicked.\n\n' +
          '```tsx\nconst { status, userCode, verificationUriComplete, start, cancel } = useOidcDeviceLogin();\n```',
      },
    },
  },
  argTypes: { login: { table: { disable: true } } },
  loaders: [async () => ({ login: createStoryLogin('idle') })],
  render: (_args, { loaded }) => <TerminalSignIn login={loadedLogin(loaded)} />,
} satisfies Meta<typeof TerminalSignIn>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Sign in, see the code, get approved (the story plays the server with `setView`), sign out: every click goes to
 * the login.
 */
export const CustomUi: Story = {
  name: 'Custom UI',
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'sign in' }));
    await expect(login.calls.start).toHaveLength(1);
    await expect(await canvas.findByText(USER_CODE)).toBeVisible();
    await expect(canvas.getByTestId('hook-status')).toHaveTextContent('status: awaitingUser');

    login.setView({ ...storyViews.signedIn, userCode: undefined });
    await expect(await canvas.findByRole('button', { name: 'sign out' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'sign out' }));
    await expect(login.calls.logout).toHaveLength(1);
    await expect(await canvas.findByRole('button', { name: 'sign in' })).toBeVisible();
  },
};

/**
 * Another tab of the app runs the sign-in and this one shows its code: `codeSource` is `'otherTab'`, so the UI says
 * so. Approving the code signs in both tabs.
 */
export const OtherTab: Story = {
  name: 'Custom UI, code from another tab',
  loaders: [async () => ({ login: createStoryLogin('otherTab') })],
  play: async ({ canvas, loaded }) => {
    await expect(canvas.getByText(USER_CODE)).toBeVisible();
    await expect(canvas.getByText('# signing in from another tab')).toBeVisible();
    // Its own flow's code (the other tab gave up, this one took over): nothing more to say.
    loadedLogin(loaded).setView(storyViews.awaitingUser);
    await waitFor(() => expect(canvas.queryByText('# signing in from another tab')).toBeNull());
    await expect(canvas.getByText(USER_CODE)).toBeVisible();
  },
};

/** The hook after a denial: the error's code, and "retry" calls `retry()`. */
export const RetryAfterDenial: Story = {
  name: 'Custom UI, retry after a denial',
  loaders: [async () => ({ login: createStoryLogin('denied') })],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await expect(canvas.getByText('error: access_denied')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'retry' }));
    await expect(login.calls.retry).toHaveLength(1);
  },
};

/**
 * Without `login`, the hook reads the nearest `<DeviceLoginProvider>`. Here its login failed: the error's code, and
 * "retry" shows a new code.
 */
export const FromProvider: Story = {
  name: 'Custom UI under a provider, retry after an error',
  loaders: [async () => ({ login: createStoryLogin('error') })],
  render: (_args, { loaded }) => (
    <DeviceLoginProvider login={loadedLogin(loaded)}>
      <TerminalSignIn />
    </DeviceLoginProvider>
  ),
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await expect(canvas.getByTestId('hook-status')).toHaveTextContent('status: error');
    await expect(canvas.getByText('error: invalid_client')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'retry' }));
    await expect(login.calls.retry).toHaveLength(1);
    await expect(await canvas.findByText(USER_CODE)).toBeVisible();
    await expect(canvas.queryByText(/^error:/)).toBeNull();
  },
};

/**
 * A component that owns its login: `useOidcDeviceLogin` gets the options of `createDeviceLogin` (here the real
 * `awsSsoOidc` on the emulator's in-process `fetch`), creates the login once and disposes it on unmount. It starts
 * in an effect, which StrictMode runs twice.
 */
function OwnedSignIn({ emulator }: { emulator: Emulator }) {
  const { status, userCode, start } = useOidcDeviceLogin({
    provider: awsSsoOidc({
      region: 'us-east-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
      clientName: 'Storybook',
      endpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    }),
    storage: memoryStorage(),
    crossTab: false,
  });
  const panelRef = useRef<HTMLElement>(null);
  const effectRuns = useRef(0);
  useEffect(() => {
    effectRuns.current += 1;
    panelRef.current?.setAttribute('data-effect-runs', String(effectRuns.current));
    start();
  }, [start]);
  return (
    <section ref={panelRef} style={panel} aria-label="Owned sign-in">
      <p style={{ margin: 0 }}>$ login --device --own</p>
      <p style={{ margin: 0 }} data-testid="owned-status">
        status: {status}
      </p>
      {userCode ? (
        <p style={{ margin: 0 }}>
          code: <strong style={{ color: '#ffa657' }}>{userCode}</strong>
        </p>
      ) : null}
    </section>
  );
}

/**
 * The hook creating the login itself, under React StrictMode (on in this Storybook and in its tests): the double
 * mount and the start effect run twice, yet one login runs, with one RegisterClient and one
 * StartDeviceAuthorization, and signs in once approved on the emulator.
 */
export const OwnedLogin: StoryObj<typeof OwnedSignIn> = {
  name: 'Login owned by the hook (StrictMode, emulator)',
  loaders: [async () => ({ emulator: createEmulator() })],
  render: (_args, { loaded }) => <OwnedSignIn emulator={loaded.emulator as Emulator} />,
  play: async ({ canvas, canvasElement, loaded }) => {
    const emulator = loaded.emulator as Emulator;
    const patience = { timeout: 5000 };
    await expect(canvasElement.querySelector('section')).toHaveAttribute('data-effect-runs', '2');
    let userCode = '';
    await waitFor(() => {
      userCode = emulator.pendingAuthorizations()[0]?.userCode ?? '';
      expect(canvas.getByText(userCode)).toBeVisible();
    }, patience);
    const count = (operation: string) => emulator.requests().filter((r) => r.operation === operation).length;
    await expect(count('RegisterClient')).toBe(1);
    await expect(count('StartDeviceAuthorization')).toBe(1);
    emulator.approve({ userCode });
    await waitFor(
      () => expect(canvas.getByTestId('owned-status')).toHaveTextContent('authenticated'),
      patience,
    );
  },
};
