import { DeviceLoginError } from '@oidc-device-login/core';
import {
  DeviceCodePrompt,
  type DeviceCodePromptMessages,
  type DeviceCodePromptProps,
  type HeadingLevel,
} from '@oidc-device-login/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { Component, type CSSProperties, type ReactNode, useState } from 'react';
import { expect, fn, spyOn, userEvent, waitFor, within } from 'storybook/test';
import {
  createStoryLogin,
  fixedClock,
  HIDDEN_CHARACTER_URI,
  loadedLogin,
  OPENID_USER_CODE,
  OPENID_VERIFICATION_URI,
  type StoryState,
  spokenText,
  storyViews,
  USER_CODE,
  USER_INFO_URI,
  VERIFICATION_URI,
  VERIFICATION_URI_COMPLETE,
} from './storyLogins.ts';

const usage = `
The sign-in prompt of the OAuth device authorization grant (RFC 8628), for AWS IAM Identity Center or any OpenID
provider. Every story here is driven by \`createTestDeviceLogin\` (\`@oidc-device-login/core/testing\`) with a fixed
view and a fixed clock, except *Live*, which runs the real login against the in-process emulator.

There are three ways to use it.

**1. Drop-in**: the styled prompt.

\`\`\`tsx
import { DeviceCodePrompt, DeviceLoginProvider } from '@oidc-device-login/react';
import '@oidc-device-login/react/styles.css';

<DeviceLoginProvider login={login}>
  <DeviceCodePrompt autoStart />
</DeviceLoginProvider>
\`\`\`

**2. The hook and your own UI** (see *React/useOidcDeviceLogin*).

\`\`\`tsx
const { status, userCode, verificationUriComplete, start, cancel } = useOidcDeviceLogin();
if (status === 'awaitingUser') return <p>Enter {userCode} at <a href={verificationUriComplete}>the page</a></p>;
\`\`\`

**3. Headless parts**: your layout, your elements (\`asChild\`), the prompt's state and accessibility (see
*React/DeviceCodePrompt/Headless*).

\`\`\`tsx
<DeviceCodePrompt.Root login={login} className="my-prompt">
  <DeviceCodePrompt.UserCode className="my-code" />
  <DeviceCodePrompt.CopyButton asChild><MyButton /></DeviceCodePrompt.CopyButton>
  <DeviceCodePrompt.VerificationLink />
  <DeviceCodePrompt.Countdown />
  <DeviceCodePrompt.Status />
  <DeviceCodePrompt.Actions />
</DeviceCodePrompt.Root>
\`\`\`

Theme it with \`data-theme="light" | "dark"\` and the \`--odl-*\` custom properties; translate it with \`messages\`
and \`locale\`.
`;

/** A story's loader: a fresh fake login in `state` for each render, read back with `loadedLogin`. */
const loginIn = (state: StoryState) => async () => ({ login: createStoryLogin(state) });

const meta = {
  title: 'React/DeviceCodePrompt',
  component: DeviceCodePrompt,
  tags: ['autodocs'],
  parameters: { docs: { description: { component: usage } } },
  args: { qrCode: true, headingLevel: 2, aboutToExpireSeconds: 60, locale: 'en' },
  argTypes: {
    login: { table: { disable: true } },
    locale: { control: 'text' },
    headingLevel: { control: 'inline-radio', options: [1, 2, 3, 4, 5, 6] },
    qrCode: { control: 'boolean' },
    autoStart: { control: 'boolean' },
    autoOpen: { control: 'boolean' },
  },
  beforeEach: fixedClock,
  loaders: [loginIn('idle')],
  render: (args, { loaded }) => <DeviceCodePrompt {...args} login={loadedLogin(loaded)} />,
} satisfies Meta<typeof DeviceCodePrompt>;

export default meta;
type Story = StoryObj<typeof meta>;

/* -------------------------------------------------------------------------------------------------------------
 * Every status. These plays only look: the story keeps showing its state.
 * -----------------------------------------------------------------------------------------------------------*/

/** Not signed in, nothing running. */
export const Idle: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { level: 2 })).toHaveTextContent('Sign in on another device');
    await expect(canvas.getByRole('status')).toHaveTextContent('You are not signed in.');
    await expect(canvas.getByRole('button', { name: 'Sign in' })).toBeVisible();
  },
};

/** Just mounted, looking for a stored session: nothing to click yet, so a signed-in person never sees "Sign in". */
export const Restoring: Story = {
  loaders: [loginIn('restoring')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { level: 2 })).toBeVisible();
    await expect(canvas.getByRole('status')).toHaveTextContent('Checking for a saved session…');
    await expect(canvas.queryAllByRole('button')).toHaveLength(0);
    await expect(canvas.queryByRole('group', { name: 'Your code' })).toBeNull();
  },
};

/** Registering the client (AWS RegisterClient), before a code exists. */
export const Registering: Story = {
  loaders: [loginIn('registering')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Getting a code…');
    await expect(canvas.queryByRole('group', { name: 'Your code' })).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

/** Asking for a device code (StartDeviceAuthorization). */
export const Authorizing: Story = {
  loaders: [loginIn('authorizing')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Getting a code…');
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

/**
 * The code is shown and the login polls until the person approves: the grouped code, the copy button, the link
 * (new tab, `noopener noreferrer`), the plain URI, the QR code and the countdown.
 */
export const AwaitingUser: Story = {
  loaders: [loginIn('awaitingUser')],
  play: async ({ canvas }) => {
    const code = canvas.getByRole('group', { name: 'Your code' });
    await expect(code).toHaveTextContent('WDJB-MJHT');
    // Screen readers get the code one character at a time.
    await expect(code).toHaveTextContent('W D J B, M J H T');
    const link = canvas.getByRole('link', { name: 'Open the verification page (opens in a new tab)' });
    await expect(link).toHaveAttribute('href', VERIFICATION_URI_COMPLETE);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(canvas.getByText(VERIFICATION_URI)).toBeVisible();
    await expect(canvas.getByRole('timer')).toHaveTextContent('Code expires in 9:41');
    await expect(await canvas.findByRole('img', { name: 'QR code of the verification page' })).toBeVisible();
    await expect(canvas.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

/** The server answered `slow_down`: the login polls less often and says so. */
export const SlowedDown: Story = {
  loaders: [loginIn('slowedDown')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Still waiting for approval. Checking less often, as the server asked.',
    );
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
  },
};

/**
 * The same prompt against any RFC 8628 OpenID provider (`oidcDeviceProvider({ issuer })`, here a Keycloak-style
 * server that sends no `verification_uri_complete`): the link and the QR code fall back to the plain verification
 * URI, and the code stays in view because the person must type it.
 */
export const OpenIdProvider: Story = {
  loaders: [loginIn('openIdProvider')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(OPENID_USER_CODE);
    const link = canvas.getByRole('link', { name: 'Open the verification page (opens in a new tab)' });
    await expect(link).toHaveAttribute('href', OPENID_VERIFICATION_URI);
    await expect(canvas.getByText(OPENID_VERIFICATION_URI)).toBeVisible();
    await expect(canvas.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
  },
};

/** Less than `aboutToExpireSeconds` left: said once in the status, the countdown turns red. */
export const AboutToExpire: Story = {
  loaders: [loginIn('aboutToExpire')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Less than 1 minute left to approve the code.',
    );
    const timer = canvas.getByRole('timer');
    await expect(timer).toHaveTextContent('Code expires in 0:42');
    await expect(timer).toHaveAttribute('data-expiring');
  },
};

/** The code expired before approval. */
export const Expired: Story = {
  loaders: [loginIn('expired')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('The code expired before it was approved.');
    await expect(canvas.getByRole('button', { name: 'Get a new code' })).toBeVisible();
    await expect(canvas.queryByRole('group', { name: 'Your code' })).toBeNull();
  },
};

/** The person denied the sign-in. */
export const Denied: Story = {
  loaders: [loginIn('denied')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('The sign-in was denied.');
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};

/** Something failed: the server's description is shown. */
export const Failed: Story = {
  name: 'Error',
  loaders: [loginIn('error')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Sign-in failed: The client registration has expired.',
    );
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};

/** Idle again after a session ended on the server (refresh token rejected): asks to sign in again. */
export const SessionEnded: Story = {
  loaders: [loginIn('sessionEnded')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Your session ended. Sign in again.');
    await expect(canvas.getByRole('button', { name: 'Sign in' })).toBeVisible();
  },
};

/** Signed in: only the status remains. */
export const SignedIn: Story = {
  loaders: [loginIn('signedIn')],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('You are signed in.');
    await expect(canvas.queryAllByRole('button')).toHaveLength(0);
  },
};

/** Signed in while the access token is being refreshed: shown, not announced. */
export const Refreshing: Story = {
  loaders: [loginIn('refreshing')],
  play: async ({ canvas }) => {
    // Shown on screen, hidden from the live region: a refresh that runs on its own is not announced.
    await expect(canvas.getByText('You are signed in. Refreshing your session…')).toBeVisible();
    await expect(canvas.getByText('You are signed in. Refreshing your session…')).toHaveAttribute(
      'aria-hidden',
      'true',
    );
    await expect(canvas.getByText('You are signed in.')).toHaveAttribute('data-odl-part', 'status-text');
    // For styling the refresh: the status region says it is refreshing.
    await expect(canvas.getByRole('status')).toHaveAttribute('data-refreshing');
    await expect(spokenText(canvas.getByRole('status'))).toBe('You are signed in.');
  },
};

/* -------------------------------------------------------------------------------------------------------------
 * Verification URLs the server sends: refused when they are not what they read as, too long for a QR code.
 * -----------------------------------------------------------------------------------------------------------*/

/**
 * `verification_uri_complete` reads as AWS's but carries user info (`https://device.sso…amazonaws.com@evil.example`
 * opens evil.example): refused and handed to `onUnsafeUrl` once. The link and the QR code fall back to the plain
 * `verification_uri`, which is safe.
 */
export const UnsafeCompleteUrl: Story = {
  name: 'Unsafe verification URL (user info)',
  loaders: [loginIn('userInfoUrl')],
  args: { onUnsafeUrl: fn() },
  play: async ({ args, canvas, canvasElement }) => {
    const link = canvas.getByRole('link', { name: /Open the verification page/ });
    await expect(link).toHaveAttribute('href', VERIFICATION_URI);
    await expect(await canvas.findByRole('img', { name: 'QR code of the verification page' })).toBeVisible();
    await expect(canvasElement.innerHTML).not.toContain('evil.example');
    await expect(args.onUnsafeUrl).toHaveBeenCalledTimes(1);
    await expect(args.onUnsafeUrl).toHaveBeenCalledWith(USER_INFO_URI);
  },
};

/**
 * Neither URL is safe (user info in one, a right-to-left override in the other): no link, no address, no QR code,
 * each URL handed to `onUnsafeUrl` once. The code stays, for a person who knows where to enter it.
 */
export const NoSafeUrl: Story = {
  name: 'Unsafe verification URLs (user info, hidden character)',
  loaders: [loginIn('noSafeUrl')],
  args: { onUnsafeUrl: fn() },
  play: async ({ args, canvas, canvasElement }) => {
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
    await expect(canvas.queryByRole('link')).toBeNull();
    await expect(canvas.queryByText(/amazonaws/)).toBeNull();
    await expect(canvasElement.querySelector('.odl-qr')).toBeNull();
    await expect(canvas.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    await expect(args.onUnsafeUrl).toHaveBeenCalledTimes(2);
    await expect(args.onUnsafeUrl).toHaveBeenCalledWith(USER_INFO_URI);
    await expect(args.onUnsafeUrl).toHaveBeenCalledWith(HIDDEN_CHARACTER_URI);
  },
};

/* -------------------------------------------------------------------------------------------------------------
 * Behaviour: these plays click, so each story ends somewhere else than it starts. The fake login moves like a
 * real one (start and retry show a code, cancel goes back to idle) and records every call.
 * -----------------------------------------------------------------------------------------------------------*/

/** "Sign in" calls `start()`. The button goes away, so focus moves on to "Cancel" rather than to the page. */
export const StartSignIn: Story = {
  name: 'Sign in → start()',
  tags: ['!autodocs'],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'Sign in' }));
    await expect(login.calls.start).toHaveLength(1);
    await expect(await canvas.findByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  },
};

/** "Cancel" calls `cancel()`, while getting a code and while waiting for approval. */
export const CancelSignIn: Story = {
  name: 'Cancel → cancel()',
  tags: ['!autodocs'],
  loaders: [loginIn('awaitingUser')],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel' }));
    await expect(login.calls.cancel).toHaveLength(1);
    await expect(canvas.queryByRole('group', { name: 'Your code' })).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Sign in' })).toHaveFocus();
    await expect(login.calls.start).toHaveLength(0);
  },
};

/** "Get a new code" after expiry calls `retry()` (not `start()`), and the new code shows. */
export const RetryAfterExpiry: Story = {
  name: 'Get a new code → retry()',
  tags: ['!autodocs'],
  loaders: [loginIn('expired')],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'Get a new code' }));
    await expect(login.calls.retry).toHaveLength(1);
    await expect(login.calls.start).toHaveLength(0);
    await expect(await canvas.findByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  },
};

/** "Try again" after a denial calls `retry()`. */
export const RetryAfterDenial: Story = {
  name: 'Try again (denied) → retry()',
  tags: ['!autodocs'],
  loaders: [loginIn('denied')],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await expect(login.calls.retry).toHaveLength(1);
    await expect(login.calls.start).toHaveLength(0);
  },
};

/** "Try again" after an error calls `retry()`. */
export const RetryAfterError: Story = {
  name: 'Try again (error) → retry()',
  tags: ['!autodocs'],
  loaders: [loginIn('error')],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await expect(login.calls.retry).toHaveLength(1);
    await expect(await canvas.findByRole('status')).toHaveTextContent(
      'Waiting for you to approve the sign-in.',
    );
  },
};

/** "Copy code" puts the code on the clipboard and confirms with "Copied", on the button and in the status. */
export const CopyCode: Story = {
  name: 'Copy code',
  tags: ['!autodocs'],
  loaders: [loginIn('awaitingUser')],
  play: async ({ canvas }) => {
    const writeText = spyOn(navigator.clipboard, 'writeText');
    await userEvent.click(canvas.getByRole('button', { name: 'Copy code' }));
    await expect(writeText).toHaveBeenCalledWith(USER_CODE);
    const button = await canvas.findByRole('button', { name: 'Copied' });
    await expect(button).toHaveAttribute('data-copy', 'copied');
    await expect(canvas.getByRole('status')).toHaveTextContent('Copied');
  },
};

/**
 * Without the Clipboard API (plain-http pages, older browsers) the button selects the code in an off-screen text
 * area, runs `execCommand('copy')` and gives focus back. The label shows what the browser answered: "Copied", or
 * "Copy failed: select the code and copy it" when it refused (as it does for a scripted click in a test).
 */
export const CopyCodeFallback: Story = {
  name: 'Copy code (fallback)',
  tags: ['!autodocs'],
  loaders: [loginIn('awaitingUser')],
  beforeEach: () => {
    // An own property shadows Navigator.prototype.clipboard; deleting it brings the real one back.
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
    return () => {
      Reflect.deleteProperty(navigator, 'clipboard');
    };
  },
  play: async ({ canvas }) => {
    const copy = document.execCommand.bind(document);
    const selected: string[] = [];
    const execCommand = spyOn(document, 'execCommand').mockImplementation((command, showUi, value) => {
      const active = document.activeElement;
      if (active instanceof HTMLTextAreaElement) {
        selected.push(active.value.slice(active.selectionStart, active.selectionEnd));
      }
      return copy(command, showUi, value);
    });
    const button = canvas.getByRole('button', { name: 'Copy code' });
    await userEvent.click(button);
    await expect(execCommand).toHaveBeenCalledWith('copy');
    await expect(selected).toEqual([USER_CODE]);
    const copied = execCommand.mock.results[0]?.value === true;
    const label = copied ? 'Copied' : 'Copy failed: select the code and copy it';
    await expect(await canvas.findByRole('button', { name: label })).toHaveFocus();
    await expect(button).toHaveAttribute('data-copy', copied ? 'copied' : 'failed');
    await expect(canvas.getByRole('status')).toHaveTextContent(label);
  },
};

/**
 * The one live region, through a whole session: the same `role="status"` node from mount on, whose words change
 * once per status. A background refresh shows on screen (`data-refreshing`) but what is read stays "You are signed
 * in."; the end of the session is read once.
 */
export const OneLiveRegion: Story = {
  name: 'One live region (sign in → refresh → session ends)',
  tags: ['!autodocs'],
  play: async ({ canvas, canvasElement, loaded }) => {
    const login = loadedLogin(loaded);
    const liveRegions = () => canvasElement.querySelectorAll('[role="status"], [role="alert"], [aria-live]');
    await expect(liveRegions()).toHaveLength(1);
    const live = canvas.getByRole('status');
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await expect(spokenText(live)).toBe('You are not signed in.');

    await userEvent.click(canvas.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(spokenText(live)).toBe('Waiting for you to approve the sign-in.'));

    login.setView(storyViews.signedIn);
    await waitFor(() => expect(spokenText(live)).toBe('You are signed in.'));
    const words = live.querySelector('[data-odl-part="status-text"]');

    login.setView({ isRefreshing: true });
    await expect(await canvas.findByText('You are signed in. Refreshing your session…')).toBeVisible();
    await expect(live).toHaveAttribute('data-refreshing');
    // Not re-announced: the read words keep their node and their text.
    await expect(spokenText(live)).toBe('You are signed in.');
    await expect(live.querySelector('[data-odl-part="status-text"]')).toBe(words);

    login.setView({ isRefreshing: false });
    await waitFor(() => expect(live).not.toHaveAttribute('data-refreshing'));
    await expect(canvas.getByText('You are signed in.')).toBeVisible();

    login.setView({ ...storyViews.sessionEnded, session: undefined });
    await waitFor(() => expect(spokenText(live)).toBe('Your session ended. Sign in again.'));
    await expect(canvas.getByRole('status')).toBe(live);
    await expect(liveRegions()).toHaveLength(1);
  },
};

/**
 * `autoOpen`: the verification page opens in a new tab (`noopener,noreferrer`) once per code, even under
 * StrictMode's double mount; a new code opens it again. (Here `window.open` is stubbed: no tab opens.)
 */
export const AutoOpen: Story = {
  name: 'autoOpen',
  tags: ['!autodocs'],
  loaders: [loginIn('awaitingUser')],
  args: { autoOpen: true },
  beforeEach: () => {
    const open = spyOn(window, 'open').mockReturnValue(null);
    return () => open.mockRestore();
  },
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
    await expect(window.open).toHaveBeenCalledTimes(1);
    await expect(window.open).toHaveBeenCalledWith(
      VERIFICATION_URI_COMPLETE,
      '_blank',
      'noopener,noreferrer',
    );
    // A new code (the first one expired and the person asked again): its page opens too.
    login.setView(storyViews.openIdProvider);
    await expect(await canvas.findByRole('group', { name: 'Your code' })).toHaveTextContent(OPENID_USER_CODE);
    await waitFor(() => expect(window.open).toHaveBeenCalledTimes(2));
    await expect(window.open).toHaveBeenLastCalledWith(
      OPENID_VERIFICATION_URI,
      '_blank',
      'noopener,noreferrer',
    );
  },
};

/**
 * Another tab of the app runs the sign-in: this one waits for it and shows its code (`codeSource: 'otherTab'`, and
 * `data-code-source="otherTab"` on the root and every part). `autoOpen` is on, but the verification page is the other
 * tab's to open: nothing opens here. (`window.open` is stubbed.)
 */
export const OtherTab: Story = {
  name: 'Another tab’s code',
  tags: ['!autodocs'],
  loaders: [loginIn('otherTab')],
  args: { autoOpen: true },
  beforeEach: () => {
    const open = spyOn(window, 'open').mockReturnValue(null);
    return () => open.mockRestore();
  },
  play: async ({ canvas, canvasElement }) => {
    const code = canvas.getByRole('group', { name: 'Your code' });
    await expect(code).toHaveTextContent(USER_CODE);
    await expect(code).toHaveAttribute('data-code-source', 'otherTab');
    await expect(canvasElement.querySelector('.odl-prompt')).toHaveAttribute('data-code-source', 'otherTab');
    await expect(window.open).not.toHaveBeenCalled();
  },
};

/** Every control is reachable with Tab, in reading order; Enter on "Cancel" cancels. */
export const KeyboardNavigation: Story = {
  tags: ['!autodocs'],
  loaders: [loginIn('awaitingUser')],
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: 'Copy code' })).toHaveFocus();
    await userEvent.tab();
    await expect(canvas.getByRole('link', { name: /Open the verification page/ })).toHaveFocus();
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(login.calls.cancel).toHaveLength(1);
    // The focused button went away: focus moved to "Sign in", not to <body>.
    await expect(await canvas.findByRole('button', { name: 'Sign in' })).toHaveFocus();
    await userEvent.keyboard(' ');
    await expect(login.calls.start).toHaveLength(1);
  },
};

/* -------------------------------------------------------------------------------------------------------------
 * Options
 * -----------------------------------------------------------------------------------------------------------*/

/** `qrCode={false}`: no QR code (nor its encoder chunk); the link and the address stay. */
export const WithoutQrCode: Story = {
  name: 'Without QR code',
  loaders: [loginIn('awaitingUser')],
  args: { qrCode: false },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvasElement.querySelector('.odl-qr')).toBeNull();
    await expect(canvas.queryByRole('img')).toBeNull();
    await expect(canvas.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute(
      'href',
      VERIFICATION_URI_COMPLETE,
    );
    await expect(canvas.getByText(VERIFICATION_URI)).toBeVisible();
  },
};

/** `headingLevel={1}`, on a page that is only the sign-in. */
export const HeadingLevel1: Story = {
  name: 'Heading level 1',
  args: { headingLevel: 1 },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in on another device');
    await expect(canvas.queryByRole('heading', { level: 2 })).toBeNull();
  },
};

/** Shows what a render threw, as an app's error boundary would. */
class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return (
      <p role="alert">
        {error instanceof DeviceLoginError
          ? `${error.name} (${error.code}): ${error.message}`
          : String(error)}
      </p>
    );
  }
}

/**
 * A heading level outside 1–6 (here 7, from untyped code) throws an `InvalidArgumentError` while rendering rather
 * than break the page outline unseen; the nearest error boundary shows it.
 */
export const InvalidHeadingLevel: Story = {
  name: 'Heading level 7 (throws)',
  tags: ['!autodocs'],
  render: (args, { loaded }) => (
    <ErrorBoundary>
      <DeviceCodePrompt {...args} headingLevel={7 as number as HeadingLevel} login={loadedLogin(loaded)} />
    </ErrorBoundary>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('alert')).toHaveTextContent(
      'InvalidArgumentError (invalid_argument): headingLevel: must be 1, 2, 3, 4, 5 or 6; got 7.',
    );
    await expect(canvas.queryByRole('heading')).toBeNull();
  },
};

/** An invalid locale tag (`en_GB`) is ignored with a `console.error`: the prompt renders in the browser's locale. */
export const InvalidLocale: Story = {
  name: 'Invalid locale (falls back)',
  loaders: [loginIn('aboutToExpire')],
  args: { locale: 'en_GB' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('timer')).toHaveTextContent(/^Code expires in \S+:\S+$/);
    await expect(canvas.getByRole('status')).toHaveTextContent(
      /^Less than \S+ minute left to approve the code\.$/,
    );
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
  },
};

/* -------------------------------------------------------------------------------------------------------------
 * Gallery, themes, languages, sizes
 * -----------------------------------------------------------------------------------------------------------*/

const galleryStates: Array<[StoryState, string]> = [
  ['idle', 'Idle'],
  ['restoring', 'Restoring'],
  ['registering', 'Registering'],
  ['authorizing', 'Authorizing'],
  ['awaitingUser', 'Awaiting the user'],
  ['slowedDown', 'Slowed down'],
  ['aboutToExpire', 'About to expire'],
  ['expired', 'Expired'],
  ['denied', 'Denied'],
  ['error', 'Error'],
  ['sessionEnded', 'Session ended'],
  ['signedIn', 'Signed in'],
  ['refreshing', 'Refreshing'],
];

const galleryStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(22rem, 1fr))',
  gap: '1.5rem',
  alignItems: 'start',
};

function Gallery(props: DeviceCodePromptProps) {
  const [logins] = useState(() => galleryStates.map(([state]) => createStoryLogin(state)));
  return (
    <div style={galleryStyle}>
      {galleryStates.map(([state, label], index) => (
        <section key={state} aria-labelledby={`gallery-${state}`}>
          <h2 id={`gallery-${state}`} style={{ fontSize: '1rem', margin: '0 0 0.5rem' }}>
            {label}
          </h2>
          <DeviceCodePrompt {...props} headingLevel={3} login={logins[index]} />
        </section>
      ))}
    </div>
  );
}

/** Every status side by side, each on a login of its own. */
export const AllStates: Story = {
  name: 'All states',
  parameters: { layout: 'fullscreen' },
  render: (args) => <Gallery {...args} />,
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('status')).toHaveLength(galleryStates.length);
    await expect(canvas.getAllByRole('group', { name: 'Your code' })).toHaveLength(3);
  },
};

/** The dark theme, chosen with `data-theme="dark"` on an ancestor (the toolbar's Theme sets it too). */
export const Dark: Story = {
  loaders: [loginIn('awaitingUser')],
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const prompt = canvasElement.querySelector('.odl-prompt');
    await expect(prompt?.closest('[data-theme="dark"]')).not.toBeNull();
    await expect(getComputedStyle(prompt as Element).backgroundColor).toBe('rgb(24, 25, 27)');
  },
};

const brandStyle = {
  '--odl-color-accent': '#6d28d9',
  '--odl-color-focus': '#6d28d9',
  '--odl-color-code-bg': '#f5f3ff',
  '--odl-radius': '4px',
  '--odl-code-font-family': 'Georgia, serif',
  '--odl-max-width': '34rem',
} as CSSProperties;

/** Custom properties on the prompt override the theme: accent, radius, code font, width. */
export const CustomProperties: Story = {
  name: 'Custom properties',
  loaders: [loginIn('awaitingUser')],
  args: { style: brandStyle },
  play: async ({ canvas }) => {
    const link = canvas.getByRole('link', { name: /Open the verification page/ });
    await expect(getComputedStyle(link).backgroundColor).toBe('rgb(109, 40, 217)');
    await expect(getComputedStyle(link).borderTopLeftRadius).not.toBe('0px');
  },
};

const germanMessages: Partial<DeviceCodePromptMessages> = {
  title: 'Auf einem anderen Gerät anmelden',
  instructions:
    'Öffnen Sie die Bestätigungsseite, prüfen Sie, dass sie diesen Code zeigt, und bestätigen Sie die Anmeldung.',
  userCodeLabel: 'Ihr Code',
  copy: 'Code kopieren',
  copied: 'Kopiert',
  copyFailed: 'Kopieren fehlgeschlagen: Code markieren und kopieren',
  openVerificationPage: 'Bestätigungsseite öffnen',
  opensInNewTab: '(öffnet in einem neuen Tab)',
  verificationUriLabel: 'Oder gehen Sie zu',
  qrCodeLabel: 'QR-Code der Bestätigungsseite',
  countdown: (time) => `Code läuft ab in ${time}`,
  statusIdle: 'Sie sind nicht angemeldet.',
  statusStarting: 'Code wird angefordert…',
  statusWaiting: 'Warten auf Ihre Bestätigung.',
  statusSlowedDown: 'Warten auf Bestätigung. Der Server bat, seltener nachzufragen.',
  statusAboutToExpire: (duration) => `Weniger als ${duration} übrig, um den Code zu bestätigen.`,
  statusExpired: 'Der Code ist abgelaufen, bevor er bestätigt wurde.',
  statusDenied: 'Die Anmeldung wurde abgelehnt.',
  statusError: (description) => `Anmeldung fehlgeschlagen: ${description}`,
  statusAuthenticated: 'Sie sind angemeldet.',
  statusRefreshing: 'Sie sind angemeldet. Die Sitzung wird erneuert…',
  statusSessionEnded: 'Ihre Sitzung ist beendet. Melden Sie sich erneut an.',
  start: 'Anmelden',
  cancel: 'Abbrechen',
  getNewCode: 'Neuen Code anfordern',
  tryAgain: 'Erneut versuchen',
};

/** A second language: German `messages` and `locale="de"` (durations and digits through `Intl`). */
export const German: Story = {
  name: 'German (i18n)',
  loaders: [loginIn('aboutToExpire')],
  args: { messages: germanMessages, locale: 'de' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { name: 'Auf einem anderen Gerät anmelden' })).toBeVisible();
    await expect(canvas.getByRole('timer')).toHaveTextContent('Code läuft ab in 0:42');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Weniger als 1 Minute übrig, um den Code zu bestätigen.',
    );
    await expect(canvas.getByRole('button', { name: 'Code kopieren' })).toBeVisible();
    await expect(canvas.getByRole('group', { name: 'Ihr Code' })).toHaveTextContent(USER_CODE);
  },
};

/** A 320 px wide phone: nothing overflows, the code wraps by groups, the QR code fits. */
export const Mobile: Story = {
  name: 'Mobile (320 px)',
  loaders: [loginIn('awaitingUser')],
  globals: { viewport: { value: 'mobile1', isRotated: false } },
  parameters: { layout: 'fullscreen' },
  play: async ({ canvasElement }) => {
    const prompt = canvasElement.querySelector<HTMLElement>('.odl-prompt');
    await waitFor(() => expect(window.innerWidth).toBeLessThanOrEqual(414));
    await expect(prompt).not.toBeNull();
    const root = document.documentElement;
    await expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth);
    for (const element of prompt?.querySelectorAll<HTMLElement>('*') ?? []) {
      await expect(element.getBoundingClientRect().right).toBeLessThanOrEqual(root.clientWidth);
    }
    await expect(within(prompt as HTMLElement).getByRole('button', { name: 'Copy code' })).toBeVisible();
  },
};
