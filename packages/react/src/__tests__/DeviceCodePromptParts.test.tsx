import type { DeviceLoginView } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { describeEachReactMode, expectNoAxeViolations } from './utils.tsx';

const awaiting: Partial<DeviceLoginView> = {
  status: 'awaitingUser',
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
  expiresAt: Date.now() + 600_000,
  interval: 5,
};

describeEachReactMode('DeviceCodePrompt parts', ({ render }) => {
  it('are unstyled, carry data-state, spread props and forward refs', () => {
    const login = createTestDeviceLogin(awaiting);
    const rootRef = createRef<HTMLDivElement>();
    const codeRef = createRef<HTMLSpanElement>();
    const copyRef = createRef<HTMLButtonElement>();
    const linkRef = createRef<HTMLAnchorElement>();
    const statusRef = createRef<HTMLDivElement>();
    render(
      <DeviceCodePrompt.Root login={login} ref={rootRef} id="prompt" data-testid="root">
        <DeviceCodePrompt.UserCode ref={codeRef} title="code" />
        <DeviceCodePrompt.CopyButton ref={copyRef} data-testid="copy" />
        <DeviceCodePrompt.VerificationLink ref={linkRef} className="link" />
        <DeviceCodePrompt.Status ref={statusRef} />
      </DeviceCodePrompt.Root>,
    );
    expect(rootRef.current).toBe(screen.getByTestId('root'));
    expect(rootRef.current).toHaveAttribute('id', 'prompt');
    expect(rootRef.current).not.toHaveAttribute('class');
    expect(codeRef.current).toBe(screen.getByRole('group', { name: 'Your code' }));
    expect(codeRef.current).toHaveAttribute('title', 'code');
    expect(copyRef.current).toBe(screen.getByTestId('copy'));
    expect(linkRef.current).toHaveClass('link');
    expect(statusRef.current).toBe(screen.getByRole('status'));
    for (const element of [
      rootRef.current,
      codeRef.current,
      copyRef.current,
      linkRef.current,
      statusRef.current,
    ]) {
      expect(element).toHaveAttribute('data-state', 'awaitingUser');
    }
    act(() => login.setView({ status: 'expired' }));
    expect(rootRef.current).toHaveAttribute('data-state', 'expired');
    expect(statusRef.current).toHaveAttribute('data-state', 'expired');
  });

  it('render into the child element with asChild, keeping its own content or filling in the default', async () => {
    const login = createTestDeviceLogin(awaiting);
    const onClick = vi.fn();
    render(
      <DeviceCodePrompt.Root login={login} asChild>
        <section aria-label="Sign in">
          <DeviceCodePrompt.UserCode asChild>
            <strong />
          </DeviceCodePrompt.UserCode>
          <DeviceCodePrompt.CopyButton asChild>
            <button type="button" className="mine" onClick={onClick}>
              Copy it
            </button>
          </DeviceCodePrompt.CopyButton>
          <DeviceCodePrompt.VerificationLink asChild>
            <a href="https://evil.example/" target="_self" rel="opener">
              Go
            </a>
          </DeviceCodePrompt.VerificationLink>
          <DeviceCodePrompt.Actions asChild>
            <footer />
          </DeviceCodePrompt.Actions>
        </section>
      </DeviceCodePrompt.Root>,
    );
    const section = screen.getByRole('region', { name: 'Sign in' });
    expect(section).toHaveAttribute('data-state', 'awaitingUser');
    expect(screen.getByRole('group', { name: 'Your code' }).tagName).toBe('STRONG');
    const copy = screen.getByRole('button', { name: 'Copy it' });
    expect(copy).toHaveClass('mine');
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(copy);
    expect(onClick).toHaveBeenCalledOnce();
    expect(writeText).toHaveBeenCalledWith('ABCD-EFGH');
    // The part's href, target and rel win over the child's: the link is always the verified page, in a new tab.
    const link = screen.getByRole('link', { name: 'Go' });
    expect(link).toHaveAttribute('href', awaiting.verificationUriComplete);
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(section.querySelector('footer')).toContainElement(screen.getByRole('button', { name: 'Cancel' }));
    await act(async () => expectNoAxeViolations(section));
  });

  it('let an onClick that prevents default stop the action', async () => {
    const login = createTestDeviceLogin();
    render(
      <DeviceCodePrompt.Root login={login}>
        <DeviceCodePrompt.StartButton onClick={(event) => event.preventDefault()} />
      </DeviceCodePrompt.Root>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in' }));
    expect(login.calls.start).toHaveLength(0);
  });

  it('say what to do when rendered outside a Root', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<DeviceCodePrompt.Status />)).toThrow(
      /DeviceCodePrompt parts must be rendered inside <DeviceCodePrompt.Root>/,
    );
  });

  it('render nothing while they do not apply', () => {
    const login = createTestDeviceLogin({ status: 'authenticated' });
    const { container } = render(
      <DeviceCodePrompt.Root login={login}>
        <DeviceCodePrompt.UserCode />
        <DeviceCodePrompt.CopyButton />
        <DeviceCodePrompt.VerificationLink />
        <DeviceCodePrompt.VerificationUri />
        <DeviceCodePrompt.QrCode />
        <DeviceCodePrompt.Countdown />
        <DeviceCodePrompt.StartButton />
        <DeviceCodePrompt.CancelButton />
        <DeviceCodePrompt.RetryButton />
      </DeviceCodePrompt.Root>,
    );
    expect(container.firstElementChild).toBeEmptyDOMElement();
  });
});
