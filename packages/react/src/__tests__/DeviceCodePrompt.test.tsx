import { DeviceLoginError, type DeviceLoginView, ServiceError } from '@oidc-device-login/core';
import { createTestDeviceLogin, type TestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { encode } from 'uqr';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt, type DeviceCodePromptProps } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import {
  advanceTimers,
  awaitingView,
  COMPLETE,
  describeEachReactMode,
  expectNoAxeViolations,
  NOW,
  PLAIN,
} from './utils.tsx';

const awaiting = awaitingView;

const session = { expiresAt: NOW + 3_600_000, tokenType: 'Bearer', refreshable: true, accessToken: 'token' };

/**
 * What a polite live region would say: the text of nodes added to it and of text changed in it (ARIA's default
 * `aria-relevant="additions text"`), leaving out what is hidden from assistive technology (`aria-hidden`).
 * Read after each step with `said()`, which takes the pending mutation records synchronously.
 */
function liveRegionRecorder(region: Element) {
  const observer = new MutationObserver(() => {});
  observer.observe(region, { subtree: true, childList: true, characterData: true });
  const hidden = (node: Node) =>
    (node instanceof Element ? node : node.parentElement)?.closest('[aria-hidden="true"]') != null;
  const spoken = (node: Node): string => {
    if (hidden(node)) return '';
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    return [...node.childNodes].map(spoken).join('');
  };
  return {
    said(): string[] {
      const texts: string[] = [];
      for (const record of observer.takeRecords()) {
        if (record.type === 'characterData') texts.push(spoken(record.target));
        for (const node of record.addedNodes) texts.push(spoken(node));
      }
      return texts.map((text) => text.trim()).filter((text) => text !== '');
    },
    stop: () => observer.disconnect(),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
});

describeEachReactMode('DeviceCodePrompt', ({ render, wrap }) => {
  function renderPrompt(login: TestDeviceLogin, props: DeviceCodePromptProps = {}) {
    const user = userEvent.setup({ advanceTimers });
    const result = render(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt qrCode={false} {...props} />
      </DeviceLoginProvider>,
    );
    const rerenderPrompt = (next: DeviceCodePromptProps) =>
      result.rerender(
        wrap(
          <DeviceLoginProvider login={login}>
            <DeviceCodePrompt qrCode={false} {...next} />
          </DeviceLoginProvider>,
        ),
      );
    return { ...result, user, rerenderPrompt };
  }

  it('offers to sign in when idle, and starts on click', async () => {
    const login = createTestDeviceLogin();
    const { user, container } = renderPrompt(login);
    expect(screen.getByRole('heading', { name: 'Sign in on another device' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You are not signed in.');
    expect(container.firstElementChild).toHaveAttribute('data-state', 'idle');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(login.calls.start).toEqual([[undefined]]);
  });

  it('shows the code large, grouped, labelled and spelled out, with the link, the URI and the countdown', () => {
    const login = createTestDeviceLogin(awaiting());
    const { container } = renderPrompt(login);
    const code = screen.getByRole('group', { name: 'Your code' });
    expect(code).toHaveClass('odl-code');
    expect(code).toHaveTextContent('A B C D, E F G H');
    const groups = [...code.querySelectorAll('[data-odl-part="code-group"]')].map(
      (group) => group.textContent,
    );
    expect(groups).toEqual(['ABCD', 'EFGH']);
    expect(code.querySelector('[data-odl-part="code"]')).toHaveAttribute('aria-hidden', 'true');
    expect(code.querySelector('[data-odl-part="code"]')).toHaveTextContent('ABCD-EFGH');

    const link = screen.getByRole('link', { name: 'Open the verification page (opens in a new tab)' });
    expect(link).toHaveAttribute('href', COMPLETE);
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByText(PLAIN)).toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveTextContent('Code expires in 10:00');
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(container.firstElementChild).toHaveAttribute('data-state', 'awaitingUser');
  });

  it('shows the code when the verification URL does not carry it, or there is no complete URL', () => {
    // AWS's newer verification links hide the code (PROTOCOL §2.2): the code must be on screen regardless.
    const login = createTestDeviceLogin(
      awaiting({
        userCode: 'WDJBMJHT',
        verificationUri: 'https://us-east-1.signin.aws/platform/authorize?request_uri=urn%3Aaws%3Aabc',
        verificationUriComplete: undefined,
      }),
    );
    renderPrompt(login);
    const code = screen.getByRole('group', { name: 'Your code' });
    expect(code.querySelector('[data-odl-part="code"]')).toHaveTextContent('WDJB-MJHT');
    expect(screen.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute(
      'href',
      'https://us-east-1.signin.aws/platform/authorize?request_uri=urn%3Aaws%3Aabc',
    );
  });

  it.each<[string, Partial<DeviceLoginView>, string, string | null]>([
    ['idle', { status: 'idle' }, 'You are not signed in.', 'Sign in'],
    // Not "not signed in" while it is not known yet: a signed-in person sees this on every page load.
    ['restoring', { status: 'idle', isRestoring: true }, 'Checking for a saved session…', null],
    [
      'idle after a session ended',
      { status: 'idle', error: new ServiceError({ code: 'invalid_grant', status: 400 }) },
      'Your session ended. Sign in again.',
      'Sign in',
    ],
    ['registering', { status: 'registering' }, 'Getting a code…', 'Cancel'],
    ['authorizing', { status: 'authorizing' }, 'Getting a code…', 'Cancel'],
    ['awaitingUser', awaiting(), 'Waiting for you to approve the sign-in.', 'Cancel'],
    [
      'slowed down',
      awaiting({ isSlowedDown: true, interval: 10 }),
      'Still waiting for approval. Checking less often, as the server asked.',
      'Cancel',
    ],
    [
      'about to expire',
      awaiting({ expiresAt: NOW + 45_000 }),
      'Less than 1 minute left to approve the code.',
      'Cancel',
    ],
    ['expired', { status: 'expired' }, 'The code expired before it was approved.', 'Get a new code'],
    ['denied', { status: 'denied' }, 'The sign-in was denied.', 'Try again'],
    [
      'error',
      {
        status: 'error',
        error: new ServiceError({
          code: 'server_error',
          status: 500,
          errorDescription: 'The service is down.',
        }),
      },
      'Sign-in failed: The service is down.',
      'Try again',
    ],
    ['authenticated', { status: 'authenticated', session }, 'You are signed in.', null],
    [
      // Shown, and no longer announced (it was): see "keeps background refreshes out of the live region".
      'refreshing',
      { status: 'authenticated', session, isRefreshing: true },
      'Refreshing your session…',
      null,
    ],
  ])('says what happens and offers the next step: %s', async (_name, view, text, action) => {
    const login = createTestDeviceLogin(view);
    const { container } = renderPrompt(login);
    expect(screen.getByRole('status')).toHaveTextContent(text);
    const buttons = within(container.querySelector('.odl-actions')!).queryAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual(action ? [action] : []);
    // Axe in every state.
    await act(async () => expectNoAxeViolations(container));
  });

  it('calls retry from "Get a new code" and "Try again", cancel from "Cancel"', async () => {
    const login = createTestDeviceLogin({ status: 'expired' });
    const { user } = renderPrompt(login);
    await user.click(screen.getByRole('button', { name: 'Get a new code' }));
    act(() => login.setView({ status: 'denied' }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(login.calls.retry).toHaveLength(2);
    act(() => login.setView(awaiting()));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(login.calls.cancel).toHaveLength(1);
  });

  it('keeps one status region from mount to the end, changing only its text', () => {
    const login = createTestDeviceLogin();
    renderPrompt(login);
    const region = screen.getByRole('status');
    expect(region).toHaveAttribute('aria-live', 'polite');
    for (const view of [
      { status: 'registering' },
      awaiting(),
      { status: 'expired', userCode: undefined },
      { status: 'authenticated', session },
    ] as Array<Partial<DeviceLoginView>>) {
      act(() => login.setView(view));
      expect(screen.getAllByRole('status')).toEqual([region]);
    }
  });

  it('keeps background refreshes out of the live region, and says once that the session ended', () => {
    const login = createTestDeviceLogin({ status: 'authenticated', session });
    renderPrompt(login);
    const region = screen.getByRole('status');
    const live = liveRegionRecorder(region);
    // A refresh nobody asked for: shown, not announced.
    act(() => login.setView({ isRefreshing: true }));
    expect(region).toHaveTextContent('Refreshing your session…');
    expect(live.said()).toEqual([]);
    act(() => login.setView({ isRefreshing: false, session: { ...session, expiresAt: NOW + 7_200_000 } }));
    expect(region).not.toHaveTextContent('Refreshing');
    expect(live.said()).toEqual([]);
    // A refresh that fails for a while (the token is kept) is not news either.
    act(() => login.setView({ isRefreshing: true }));
    act(() =>
      login.setView({ isRefreshing: false, error: new DeviceLoginError('network_error', 'offline') }),
    );
    expect(live.said()).toEqual([]);
    // The end of the session is.
    act(() => login.setView({ isRefreshing: true, error: undefined }));
    act(() =>
      login.setView({
        status: 'idle',
        isRefreshing: false,
        session: undefined,
        error: new DeviceLoginError('session_expired', 'The session ended: sign in again.'),
      }),
    );
    expect(live.said()).toEqual(['Your session ended. Sign in again.']);
    // Signed in again, then signed out in another tab: said once.
    act(() => login.setView({ status: 'authenticated', session, error: undefined }));
    expect(live.said()).toEqual(['You are signed in.']);
    act(() => login.setView({ isRefreshing: true }));
    act(() => login.setView({ status: 'idle', isRefreshing: false, session: undefined }));
    expect(live.said()).toEqual(['You are not signed in.']);
    live.stop();
  });

  it('counts down each second, says once when the code is about to expire, and keeps the timer silent', () => {
    const login = createTestDeviceLogin(awaiting({ expiresAt: NOW + 62_000 }));
    renderPrompt(login);
    const timer = screen.getByRole('timer');
    // role=timer is aria-live="off" by default: screen readers read it on demand, not each second.
    expect(timer).not.toHaveAttribute('aria-live');
    expect(timer).toHaveTextContent('Code expires in 1:02');
    act(() => vi.advanceTimersByTime(1_000));
    expect(timer).toHaveTextContent('Code expires in 1:01');
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    expect(timer).not.toHaveAttribute('data-expiring');
    act(() => vi.advanceTimersByTime(1_000));
    expect(timer).toHaveTextContent('Code expires in 1:00');
    expect(screen.getByRole('status')).toHaveTextContent('Less than 1 minute left to approve the code.');
    expect(timer).toHaveAttribute('data-expiring', '');
    act(() => vi.advanceTimersByTime(59_000));
    expect(timer).toHaveTextContent('Code expires in 0:01');
    act(() => vi.advanceTimersByTime(5_000));
    expect(timer).toHaveTextContent('Code expires in 0:00');
  });

  it('copies the code with the Clipboard API and confirms it visibly and in the status region', async () => {
    const login = createTestDeviceLogin(awaiting());
    const { user } = renderPrompt(login);
    // user-event installs an in-memory Clipboard API on navigator; watch what reaches it.
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(screen.getByRole('button', { name: 'Copy code' }));
    expect(writeText).toHaveBeenCalledExactlyOnceWith('ABCD-EFGH');
    const button = await screen.findByRole('button', { name: 'Copied' });
    expect(button).toHaveAttribute('data-copy', 'copied');
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in. Copied');
    act(() => vi.advanceTimersByTime(3_000));
    expect(button).toHaveTextContent('Copy code');
    expect(screen.getByRole('status')).toHaveTextContent(/^Waiting for you to approve the sign-in\.$/);
  });

  it('copies with a selection and execCommand where the Clipboard API is missing', async () => {
    const login = createTestDeviceLogin(awaiting());
    const { user } = renderPrompt(login);
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    let selected: string | undefined;
    // jsdom has no execCommand: stand in for the browser's, reading what is selected at the time of the call.
    const execCommand = vi.fn((command: string) => {
      const area = document.querySelector('textarea');
      if (area && document.activeElement === area) {
        selected = area.value.slice(area.selectionStart, area.selectionEnd);
      }
      return command === 'copy';
    });
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    try {
      const button = screen.getByRole('button', { name: 'Copy code' });
      await user.click(button);
      expect(execCommand).toHaveBeenCalledExactlyOnceWith('copy');
      expect(selected).toBe('ABCD-EFGH');
      await screen.findByRole('button', { name: 'Copied' });
      // The temporary text area is gone and focus is back on the button.
      expect(document.querySelector('textarea')).toBeNull();
      expect(button).toHaveFocus();

      execCommand.mockReturnValue(false);
      act(() => vi.advanceTimersByTime(3_000));
      await user.click(button);
      await screen.findByRole('button', { name: 'Copy failed: select the code and copy it' });
      expect(button).toHaveAttribute('data-copy', 'failed');
    } finally {
      Reflect.deleteProperty(document, 'execCommand');
    }
  });

  it('never renders a verification URL that is not http(s) as a link, and reports it', () => {
    const onUnsafeUrl = vi.fn();
    const login = createTestDeviceLogin(
      awaiting({ verificationUriComplete: 'javascript:alert(document.cookie)' }),
    );
    const { container } = renderPrompt(login, { onUnsafeUrl });
    // Falls back to the safe plain URI.
    expect(screen.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute('href', PLAIN);
    expect(onUnsafeUrl).toHaveBeenCalledExactlyOnceWith('javascript:alert(document.cookie)');

    act(() => login.setView({ verificationUri: 'data:text/html,<script>alert(1)</script>' }));
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.innerHTML).not.toMatch(/javascript:|data:text/);
    expect(onUnsafeUrl).toHaveBeenCalledTimes(2);
    // The code is still there to type on the real page.
    expect(screen.getByRole('group', { name: 'Your code' })).toBeInTheDocument();
  });

  it('refuses an http(s) URL that reads as another host (user info, hidden characters) everywhere it would show', () => {
    const onUnsafeUrl = vi.fn();
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const lookalike = 'https://device.sso.us-east-1.amazonaws.com@evil.example/?user_code=ABCD-EFGH';
    const hidden = 'https://device.sso.us-east-1.amazonaws.com\t.evil.example/';
    const login = createTestDeviceLogin(awaiting({ verificationUriComplete: lookalike }));
    const { container } = renderPrompt(login, { onUnsafeUrl, autoOpen: true });
    // Link, QR code and the new tab fall back to the plain URI; the look-alike is never rendered.
    expect(screen.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute('href', PLAIN);
    expect(open).toHaveBeenCalledExactlyOnceWith(PLAIN, '_blank', 'noopener,noreferrer');
    expect(onUnsafeUrl).toHaveBeenCalledExactlyOnceWith(lookalike);
    act(() => login.setView({ verificationUri: hidden }));
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.innerHTML).not.toContain('evil.example');
    expect(onUnsafeUrl).toHaveBeenCalledWith(hidden);
    open.mockRestore();
  });

  it('says why an http(s) URL was refused without printing it', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin(
      awaiting({ verificationUriComplete: 'https://login.example@evil.example/?secret' }),
    );
    renderPrompt(login);
    const messages = error.mock.calls.map((call) => String(call[0]));
    expect(messages).toEqual([expect.stringContaining('refused a URL with user info')]);
    expect(messages.join('\n')).not.toContain('evil');
  });

  it('shows the link but no QR code when the URL is too long to encode, instead of crashing the page', async () => {
    vi.useRealTimers();
    // The encoder chunk, loaded before rendering: the lazy part then renders (or throws) within a few ticks.
    await import('../QrCodeSvg.tsx');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const long = `${COMPLETE}&pad=${'a'.repeat(4000)}`;
    const login = createTestDeviceLogin(awaiting({ verificationUriComplete: long }));
    render(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt />
      </DeviceLoginProvider>,
    );
    for (let tick = 0; tick < 5; tick++) await act(async () => {});
    expect(document.querySelector('.odl-qr')).toBeEmptyDOMElement();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute('href', long);
    expect(screen.getByRole('group', { name: 'Your code' })).toBeInTheDocument();
    error.mockRestore();
  });

  it('logs a refused URL by its scheme only when no onUnsafeUrl is given', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin(
      awaiting({
        verificationUriComplete: 'javascript:steal("secret")',
        verificationUri: 'ftp://example.com/x',
      }),
    );
    renderPrompt(login);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.queryByText('ftp://example.com/x')).toBeNull();
    const messages = error.mock.calls.map((call) => String(call[0]));
    expect(messages).toEqual([
      expect.stringContaining('refused a "javascript:" URL'),
      expect.stringContaining('refused a "ftp:" URL'),
    ]);
    expect(messages.join('\n')).not.toContain('secret');
  });

  it('loads the QR code of the complete URL lazily', async () => {
    // The encoder chunk is fetched (here: transformed) in real time.
    vi.useRealTimers();
    const login = createTestDeviceLogin(awaiting({ expiresAt: Date.now() + 600_000 }));
    render(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt />
      </DeviceLoginProvider>,
    );
    const qr = await screen.findByRole(
      'img',
      { name: 'QR code of the verification page' },
      { timeout: 5_000 },
    );
    const size = encode(COMPLETE, { ecc: 'M', border: 0 }).size + 8;
    expect(qr).toHaveAttribute('viewBox', `0 0 ${size} ${size}`);
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h\d+v1h-\d+z/);
  });

  it('renders no QR code when told not to', async () => {
    const login = createTestDeviceLogin(awaiting());
    renderPrompt(login, { qrCode: false });
    await act(async () => vi.advanceTimersByTimeAsync(50));
    expect(screen.queryByRole('img')).toBeNull();
    expect(document.querySelector('.odl-qr')).toBeNull();
  });

  it('takes every string from messages, and formats the countdown for the locale', () => {
    const login = createTestDeviceLogin(awaiting());
    renderPrompt(login, {
      locale: 'ar-EG',
      messages: {
        title: 'Anmelden',
        userCodeLabel: 'Ihr Code',
        spellUserCode: (groups) => groups.join(' dann '),
        copy: 'Code kopieren',
        openVerificationPage: 'Bestätigungsseite öffnen',
        opensInNewTab: '(neuer Tab)',
        verificationUriLabel: 'Oder gehen Sie zu',
        countdown: (time) => `Läuft ab in ${time}`,
        statusWaiting: 'Warte auf Ihre Bestätigung.',
        cancel: 'Abbrechen',
      },
    });
    expect(screen.getByRole('heading')).toHaveTextContent('Anmelden');
    expect(screen.getByRole('group', { name: 'Ihr Code' })).toHaveTextContent('ABCD dann EFGH');
    expect(screen.getByRole('button', { name: 'Code kopieren' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Bestätigungsseite öffnen (neuer Tab)' })).toBeInTheDocument();
    expect(screen.getByText('Oder gehen Sie zu')).toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveTextContent('Läuft ab in ١٠:٠٠');
    expect(screen.getByRole('status')).toHaveTextContent('Warte auf Ihre Bestätigung.');
    expect(screen.getByRole('button', { name: 'Abbrechen' })).toBeInTheDocument();
  });

  it('autoStart starts once, after a stored session was looked for, and not again after cancel', () => {
    const login = createTestDeviceLogin({ isRestoring: true });
    renderPrompt(login, { autoStart: true });
    expect(login.calls.start).toHaveLength(0);
    act(() => login.setView({ isRestoring: false }));
    expect(login.calls.start).toHaveLength(1);
    act(() => login.setView({ status: 'registering' }));
    act(() => login.setView({ status: 'idle' }));
    expect(login.calls.start).toHaveLength(1);
  });

  it('autoStart applies to a login swapped in later (the app rebuilt it for another region or start URL)', () => {
    const first = createTestDeviceLogin({ isRestoring: true });
    const second = createTestDeviceLogin({ isRestoring: true });
    const tree = (login: TestDeviceLogin) => (
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt qrCode={false} autoStart />
      </DeviceLoginProvider>
    );
    const { rerender } = render(tree(first));
    act(() => first.setView({ isRestoring: false }));
    expect(first.calls.start).toHaveLength(1);
    rerender(wrap(tree(second)));
    expect(second.calls.start).toHaveLength(0);
    act(() => second.setView({ isRestoring: false }));
    expect(second.calls.start).toHaveLength(1);
    // Back to the first: it already had its one start.
    rerender(wrap(tree(first)));
    act(() => first.setView({ status: 'idle' }));
    expect(first.calls.start).toHaveLength(1);
  });

  it('autoStart keeps a restored session', () => {
    const login = createTestDeviceLogin({ isRestoring: true });
    renderPrompt(login, { autoStart: true });
    act(() => login.setView({ isRestoring: false, status: 'authenticated', session }));
    act(() => login.setView({ status: 'idle', session: undefined }));
    expect(login.calls.start).toHaveLength(0);
  });

  it('autoOpen opens the verification page once per code, only when it is http(s)', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin({ status: 'authorizing' });
    renderPrompt(login, { autoOpen: true });
    expect(open).not.toHaveBeenCalled();
    act(() => login.setView(awaiting()));
    expect(open).toHaveBeenCalledExactlyOnceWith(COMPLETE, '_blank', 'noopener,noreferrer');
    act(() => login.setView({ isSlowedDown: true }));
    expect(open).toHaveBeenCalledOnce();
    act(() => login.setView({ status: 'expired' }));
    act(() =>
      login.setView(
        awaiting({
          userCode: 'WXYZ-QRST',
          verificationUriComplete: 'javascript:alert(1)',
          verificationUri: 'vbscript:x',
        }),
      ),
    );
    expect(open).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalledTimes(2);
    act(() => login.setView(awaiting({ userCode: 'JKLM-NPQR' })));
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('autoOpen does not open the same code again when the prompt is mounted again', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const login = createTestDeviceLogin(awaiting());
    // A dialog closed and opened again, a layout that swaps the prompt for another one: same login, same code.
    const first = renderPrompt(login, { autoOpen: true });
    expect(open).toHaveBeenCalledOnce();
    first.unmount();
    renderPrompt(login, { autoOpen: true }).unmount();
    expect(open).toHaveBeenCalledOnce();
    // A new code is opened, also by a prompt mounted while it is shown.
    act(() => login.setView(awaiting({ userCode: 'JKLM-NPQR' })));
    renderPrompt(login, { autoOpen: true });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('moves focus to the next action when the focused one disappears, and leaves it alone otherwise', async () => {
    const login = createTestDeviceLogin();
    const { user } = renderPrompt(login);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    act(() => login.setView({ status: 'registering' }));
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(cancel).toHaveFocus();
    // The code arriving does not move focus: Cancel stays where it was, the same element.
    act(() => login.setView(awaiting()));
    expect(screen.getByRole('button', { name: 'Cancel' })).toBe(cancel);
    expect(cancel).toHaveFocus();
    await user.click(cancel);
    act(() => login.setView({ status: 'idle', userCode: undefined }));
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveFocus();
  });

  it('does not take focus from the page when the code appears', async () => {
    const login = createTestDeviceLogin({ status: 'authorizing' });
    const user = userEvent.setup({ advanceTimers });
    render(
      <>
        <input aria-label="Elsewhere" />
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt qrCode={false} />
        </DeviceLoginProvider>
      </>,
    );
    await user.click(screen.getByRole('textbox', { name: 'Elsewhere' }));
    act(() => login.setView(awaiting()));
    act(() => login.setView({ status: 'authenticated', session, userCode: undefined }));
    expect(screen.getByRole('textbox', { name: 'Elsewhere' })).toHaveFocus();
  });

  it('moves focus to the prompt when the last action disappears', async () => {
    const login = createTestDeviceLogin(awaiting());
    const { user, container } = renderPrompt(login);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    act(() => login.setView({ status: 'authenticated', session, userCode: undefined }));
    expect(container.querySelector('.odl-prompt')).toHaveFocus();
  });

  it('has no axe violations with the QR code and after copying', async () => {
    vi.useRealTimers();
    const login = createTestDeviceLogin(awaiting({ expiresAt: Date.now() + 600_000 }));
    const { user, container } = renderPrompt(login, { qrCode: true });
    await screen.findByRole('img', {}, { timeout: 5_000 });
    await user.click(screen.getByRole('button', { name: 'Copy code' }));
    await act(async () => expectNoAxeViolations(container));
  });
});
