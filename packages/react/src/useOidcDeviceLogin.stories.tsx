import type { DeviceLogin } from '@oidc-device-login/core';
import { useOidcDeviceLogin } from '@oidc-device-login/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import { expect, userEvent } from 'storybook/test';
import { createStoryLogin, fixedClock, loadedLogin, storyViews, USER_CODE } from './storyLogins.ts';

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
  const { status, userCode, verificationUri, verificationUriComplete, error, start, cancel, retry, logout } =
    useOidcDeviceLogin({ login });
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
  beforeEach: fixedClock,
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
