import { type CreateDeviceLoginOptions, createDeviceLogin, type DeviceLogin } from '@oidc-device-login/core';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Profiler, type ReactNode, useLayoutEffect } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { useOidcDeviceLogin } from '../useOidcDeviceLogin.ts';
import {
  advanceTimers,
  describeEachReactMode,
  emulatorLoginOptions,
  expectNoAxeViolations,
} from './utils.tsx';

/**
 * The real thing: `createDeviceLogin` + `awsSsoOidc` talking to the emulator's in-process `fetch` (real wire
 * format, no port), time on fake timers. Nothing of ours is replaced.
 */
const T0 = Date.UTC(2026, 0, 1);
const flush = () => act(() => vi.advanceTimersByTimeAsync(0));
const seconds = (s: number) => act(() => vi.advanceTimersByTimeAsync(s * 1000));

const count = (emulator: Emulator, operation: string) =>
  emulator.requests().filter((request) => request.operation === operation).length;
const pendingCode = (emulator: Emulator) => emulator.pendingAuthorizations()[0]?.userCode;

let emulator: Emulator;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  emulator = createEmulator({ interval: 5 });
});

afterEach(() => {
  vi.useRealTimers();
});

function StandaloneSignIn({ options }: { options: CreateDeviceLoginOptions }) {
  const { status, userCode, start } = useOidcDeviceLogin(options);
  return (
    <div>
      <p data-testid="status">{status}</p>
      <p data-testid="code">{userCode}</p>
      <button type="button" onClick={() => start()}>
        Sign in
      </button>
    </div>
  );
}

/**
 * Layout effects run before the browser paints. Placed after a prompt, this renders on every view change (the
 * hook) and runs its layout effect after the prompt's, in the same commit: it sees what the painted frame shows.
 */
function BeforePaint({ record }: { record: (renderedStatus: string) => void }) {
  const { status, isRestoring } = useOidcDeviceLogin();
  useLayoutEffect(() => {
    if (!isRestoring) record(status);
  });
  return null;
}

describeEachReactMode('against the emulator', ({ render }) => {
  /** The drop-in prompt with autoStart on `login`, and `after` as its next sibling. */
  const renderPrompt = (login: DeviceLogin, after?: ReactNode) =>
    render(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt autoStart qrCode={false} />
        {after}
      </DeviceLoginProvider>,
    );

  it('signs in with the drop-in prompt: autoStart, code, approval, signed in', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    const commits = vi.fn();
    const { container } = render(
      <Profiler id="prompt" onRender={commits}>
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt autoStart qrCode={false} />
        </DeviceLoginProvider>
      </Profiler>,
    );
    const mounted = commits.mock.calls.length;
    await flush();
    const code = pendingCode(emulator);
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const group = screen.getByRole('group', { name: 'Your code' });
    expect(group.querySelector('[data-odl-part="code"]')).toHaveTextContent(code!);
    expect(screen.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute(
      'href',
      `${emulator.config.baseUrl}/device?user_code=${code}`,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    await act(async () => expectNoAxeViolations(container));

    // Pending polls change nothing in the view: no commit but the countdown's own ticks.
    const beforePolls = commits.mock.calls.length;
    await seconds(10);
    expect(count(emulator, 'CreateToken')).toBe(2);
    expect(commits.mock.calls.length - beforePolls).toBe(10); // one per countdown second, nothing else

    emulator.approve({ userCode: code! });
    await seconds(5);
    expect(screen.getByRole('status')).toHaveTextContent('You are signed in.');
    expect(container.querySelector('.odl-prompt')).toHaveAttribute('data-state', 'authenticated');
    expect(count(emulator, 'StartDeviceAuthorization')).toBe(1);
    await act(async () => expectNoAxeViolations(container));

    // Commits for a whole login after mount: one per view change (stored session looked for, registering,
    // authorizing, code shown, signed in) and the countdown's own ticks while the code was shown (15 s: 14 ticks,
    // the 15th fell in the commit of the sign-in). Polls that changed nothing cost none.
    expect(commits.mock.calls.length - mounted).toBe(5 + 14);
    login.dispose();
  });

  it('makes one StartDeviceAuthorization, however often React mounts', async () => {
    const options = emulatorLoginOptions(emulator);
    const { unmount } = render(<StandaloneSignIn options={options} />);
    await userEvent.setup({ advanceTimers }).click(screen.getByRole('button', { name: 'Sign in' }));
    await flush();
    expect(screen.getByTestId('status')).toHaveTextContent('awaitingUser');
    expect(screen.getByTestId('code')).toHaveTextContent(pendingCode(emulator)!);
    expect(count(emulator, 'RegisterClient')).toBe(1);
    expect(count(emulator, 'StartDeviceAuthorization')).toBe(1);
    // Unmounting disposes the login the hook created: polling stops.
    unmount();
    await flush();
    const polls = count(emulator, 'CreateToken');
    await seconds(30);
    expect(count(emulator, 'CreateToken')).toBe(polls);
  });

  it('autoStart in StrictMode and without starts one flow', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    renderPrompt(login);
    await flush();
    await seconds(6);
    expect(count(emulator, 'StartDeviceAuthorization')).toBe(1);
    expect(emulator.pendingAuthorizations()).toHaveLength(1);
    login.dispose();
  });

  it('autoStart starts before the browser paints, so "not signed in" never shows for a frame', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    const beforePaint: string[] = [];
    renderPrompt(
      login,
      <BeforePaint record={(rendered) => beforePaint.push(`${rendered} -> ${login.getView().status}`)} />,
    );
    await flush();
    expect(count(emulator, 'StartDeviceAuthorization')).toBe(1);
    // The commit that first rendered "idle, restored" had already started the flow before it could be painted.
    expect(beforePaint[0]).toMatch(/^idle -> (?!idle$)/);
    login.dispose();
  });

  it('offers a new code after the code expired, and gets one', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    const user = userEvent.setup({ advanceTimers });
    renderPrompt(login);
    await flush();
    const first = pendingCode(emulator)!;
    emulator.expire({ userCode: first });
    await seconds(5);
    expect(screen.getByRole('status')).toHaveTextContent('The code expired before it was approved.');
    expect(screen.queryByRole('group', { name: 'Your code' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Get a new code' }));
    await flush();
    const second = pendingCode(emulator);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const group = screen.getByRole('group', { name: 'Your code' });
    expect(group.querySelector('[data-odl-part="code"]')).toHaveTextContent(second!);
    login.dispose();
  });

  it('says the sign-in was denied, and tries again', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    const user = userEvent.setup({ advanceTimers });
    renderPrompt(login);
    await flush();
    emulator.deny({ userCode: pendingCode(emulator)! });
    await seconds(5);
    expect(screen.getByRole('status')).toHaveTextContent('The sign-in was denied.');
    const retry = screen.getByRole('button', { name: 'Try again' });
    await user.click(retry);
    await flush();
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to approve the sign-in.');
    expect(count(emulator, 'StartDeviceAuthorization')).toBe(2);
    login.dispose();
  });

  it('cancels a running sign-in', async () => {
    const login = createDeviceLogin(emulatorLoginOptions(emulator));
    const user = userEvent.setup({ advanceTimers });
    renderPrompt(login);
    await flush();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await flush();
    expect(screen.getByRole('status')).toHaveTextContent('You are not signed in.');
    const polls = count(emulator, 'CreateToken');
    await seconds(20);
    expect(count(emulator, 'CreateToken')).toBe(polls);
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveFocus();
    login.dispose();
  });
});
