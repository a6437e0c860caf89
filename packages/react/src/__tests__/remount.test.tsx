import { type DeviceLoginView, ServiceError } from '@oidc-device-login/core';
import { createTestDeviceLogin, type TestDeviceLogin } from '@oidc-device-login/core/testing';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt, type DeviceCodePromptProps } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useOidcDeviceLogin } from '../useOidcDeviceLogin.ts';
import { advanceTimers, awaitingView, describeEachReactMode, NOW } from './utils.tsx';

const session = { expiresAt: NOW + 3_600_000, tokenType: 'Bearer', refreshable: true };

const awaiting = awaitingView;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const states: Array<[string, Partial<DeviceLoginView>, string, string | null]> = [
  ['idle', { status: 'idle' }, 'You are not signed in.', 'Sign in'],
  ['registering', { status: 'registering' }, 'Getting a code…', 'Cancel'],
  ['awaitingUser', awaiting(), 'Waiting for you to approve the sign-in.', 'Cancel'],
  [
    'about to expire',
    awaiting({ expiresAt: NOW + 45_000 }),
    'Less than 1 minute left to approve the code.',
    'Cancel',
  ],
  [
    'slowed down',
    awaiting({ isSlowedDown: true, interval: 10 }),
    'Still waiting for approval. Checking less often, as the server asked.',
    'Cancel',
  ],
  [
    'a fault shown while waiting',
    awaiting({ error: new ServiceError({ code: 'server_error', status: 500 }) }),
    'Waiting for you to approve the sign-in.',
    'Cancel',
  ],
  ['expired', { status: 'expired' }, 'The code expired before it was approved.', 'Get a new code'],
  ['denied', { status: 'denied' }, 'The sign-in was denied.', 'Try again'],
  [
    'error',
    {
      status: 'error',
      error: new ServiceError({ code: 'server_error', status: 500, errorDescription: 'Down.' }),
    },
    'Sign-in failed: Down.',
    'Try again',
  ],
  ['authenticated', { status: 'authenticated', session }, 'You are signed in.', null],
  ['refreshing', { status: 'authenticated', session, isRefreshing: true }, 'Refreshing your session…', null],
];

/** A sign-in UI of one's own on the hook: what it shows from its first render. */
function CustomPrompt() {
  const { status, userCode } = useOidcDeviceLogin({
    select: (view) => ({ status: view.status, userCode: view.userCode }),
  });
  return (
    <p data-testid="custom">
      {status}
      {userCode === undefined ? '' : ` ${userCode}`}
    </p>
  );
}

describeEachReactMode('remounting a prompt', ({ render, wrap }) => {
  function renderToggle(login: TestDeviceLogin, props: DeviceCodePromptProps = {}) {
    const user = userEvent.setup({ advanceTimers });
    const app = (shown: boolean, key = 'a'): ReactElement => (
      <DeviceLoginProvider login={login}>
        {shown ? <DeviceCodePrompt key={key} qrCode={false} {...props} /> : null}
        {shown ? <CustomPrompt key={`custom-${key}`} /> : null}
        <button type="button">Elsewhere</button>
      </DeviceLoginProvider>
    );
    const result = render(app(true));
    return {
      ...result,
      user,
      hide: () => result.rerender(wrap(app(false))),
      show: (key = 'a') => result.rerender(wrap(app(true, key))),
    };
  }

  it.each(states)('shows the same state at once when mounted again: %s', (_name, view, text, action) => {
    const login = createTestDeviceLogin(view);
    const { hide, show, container } = renderToggle(login, { autoStart: true });
    const startsBefore = login.calls.start.length;
    hide();
    // Record every state the remounted prompt commits: a flash of another state would show up here.
    const seen: string[] = [];
    const observer = new MutationObserver(() => {});
    observer.observe(container, { subtree: true, childList: true, attributeFilter: ['data-state'] });
    show();
    for (const record of observer.takeRecords()) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement) {
          for (const element of [node, ...node.querySelectorAll<HTMLElement>('[data-state]')]) {
            if (element.dataset.state) seen.push(element.dataset.state);
          }
        }
      }
      if (record.type === 'attributes' && record.target instanceof HTMLElement) {
        seen.push(record.target.dataset.state ?? '');
      }
    }
    observer.disconnect();
    expect(new Set(seen)).toEqual(new Set([view.status]));
    expect(screen.getByRole('status')).toHaveTextContent(text);
    const buttons = within(container.querySelector('.odl-actions')!).queryAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual(action ? [action] : []);
    expect(screen.getByTestId('custom')).toHaveTextContent(
      view.userCode ? `${view.status} ${view.userCode}` : `${view.status}`,
    );
    // No second StartDeviceAuthorization: autoStart decided when the prompt first mounted.
    expect(login.calls.start.length).toBe(startsBefore);
  });

  it('autoStart does not start again when the prompt is mounted again after the person cancelled', async () => {
    const login = createTestDeviceLogin(
      { status: 'idle' },
      {
        start: () => login.setView(awaiting()),
        cancel: () => login.setView({ status: 'idle', userCode: undefined, expiresAt: undefined }),
      },
    );
    const { user, hide, show } = renderToggle(login, { autoStart: true });
    expect(login.calls.start).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(login.calls.cancel).toHaveLength(1);
    hide();
    show();
    show('b');
    expect(login.calls.start).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('reports a refused verification URL once per login and URL, however often the prompt mounts', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin(awaiting({ verificationUriComplete: 'javascript:alert(1)' }));
    const onUnsafeUrl = vi.fn();
    const { hide, show } = renderToggle(login, { onUnsafeUrl });
    hide();
    show();
    show('b');
    expect(onUnsafeUrl).toHaveBeenCalledExactlyOnceWith('javascript:alert(1)');
    // The default report (console.error) follows the same rule, for another login.
    const other = createTestDeviceLogin(awaiting({ verificationUriComplete: 'data:text/html,hi' }));
    const second = renderToggle(other);
    second.hide();
    second.show();
    expect(error.mock.calls.filter(([message]) => String(message).includes('"data:"'))).toHaveLength(1);
  });

  it('keeps focus in the prompt when it is replaced by another one for the same login', async () => {
    const login = createTestDeviceLogin(awaiting());
    const { user, show } = renderToggle(login);
    await user.click(screen.getByRole('button', { name: 'Copy code' }));
    expect(document.activeElement).toHaveTextContent(/Copied|Copy/);
    // A layout swap (a key change) replaces the prompt in one commit: focus would fall to <body>.
    show('b');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('does not take focus when mounted while focus is elsewhere', async () => {
    const login = createTestDeviceLogin(awaiting());
    const { user, hide, show } = renderToggle(login);
    await user.click(screen.getByRole('button', { name: 'Elsewhere' }));
    hide();
    show();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Elsewhere' }));
  });
});
