import {
  awsSsoOidc,
  createDeviceLogin,
  type DeviceLogin,
  type DeviceLoginStorage,
  memoryStorage,
} from '@oidc-device-login/core';
import { memoryLocks } from '@oidc-device-login/core/testing';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { describeEachReactMode } from './utils.tsx';

/**
 * Two tabs of one origin (shared storage and locks, one BroadcastChannel each), each with an `autoOpen` prompt of
 * its own login. Tab A runs the device flow; tab B waits for A's flow lock and shows A's code.
 */
const T0 = Date.UTC(2026, 0, 1);

let emulator: Emulator;
let storage: DeviceLoginStorage;
let channelName: string;
let locks: ReturnType<typeof memoryLocks>;
const channels: BroadcastChannel[] = [];
const logins: DeviceLogin[] = [];

// BroadcastChannel delivers on a real event-loop turn: keep setImmediate real, fake only timers and Date.
beforeEach(() => {
  vi.useFakeTimers({
    now: T0,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  emulator = createEmulator({ interval: 5 });
  storage = memoryStorage();
  channelName = `prompt-tabs-${Math.random()}`;
  locks = memoryLocks();
});

afterEach(() => {
  for (const login of logins.splice(0)) login.dispose();
  for (const channel of channels.splice(0)) channel.close();
  vi.useRealTimers();
});

function tab(): DeviceLogin {
  const channel = new BroadcastChannel(channelName);
  channels.push(channel);
  const login = createDeviceLogin({
    provider: awsSsoOidc({
      region: 'us-east-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
      clientName: 'cross-tab prompt tests',
      endpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    }),
    storage,
    crossTab: { locks, channel },
    random: () => 0.5,
  });
  logins.push(login);
  return login;
}

/** Lets messages between tabs, promise chains and re-renders settle. */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((resolve) => setImmediate(resolve));
    });
  }
}

const pageOf = (userCode: string) =>
  `${emulator.config.baseUrl}/device?user_code=${encodeURIComponent(userCode)}`;

describeEachReactMode('DeviceCodePrompt in two tabs', ({ render }) => {
  it('autoOpen opens the page in the tab that runs the flow, once, and not in the tab that mirrors it', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const a = tab();
    const b = tab();
    render(
      <>
        <DeviceCodePrompt login={a} qrCode={false} autoOpen aria-label="tab A" />
        <DeviceCodePrompt login={b} qrCode={false} autoOpen aria-label="tab B" />
      </>,
    );
    act(() => a.start());
    await settle();
    act(() => b.start());
    await settle();
    const [first] = emulator.pendingAuthorizations();
    const shared = first!.userCode;
    expect(emulator.pendingAuthorizations()).toHaveLength(1);
    expect(open).toHaveBeenCalledExactlyOnceWith(pageOf(shared), '_blank', 'noopener,noreferrer');
    for (const [name, source] of [
      ['tab A', 'thisTab'],
      ['tab B', 'otherTab'],
    ] as const) {
      const prompt = screen.getByLabelText(name);
      expect(prompt).toHaveAttribute('data-state', 'awaitingUser');
      expect(prompt).toHaveAttribute('data-code-source', source);
      expect(prompt.querySelector('[role="group"]')).toHaveAttribute('data-code-source', source);
    }

    // A gives up: B runs a flow of its own, whose code is B's to open.
    act(() => a.cancel());
    await settle();
    expect(screen.getByLabelText('tab A')).not.toHaveAttribute('data-code-source');
    expect(screen.getByLabelText('tab B')).toHaveAttribute('data-code-source', 'thisTab');
    const own = emulator.pendingAuthorizations().at(-1)!.userCode;
    expect(own).not.toBe(shared);
    expect(open).toHaveBeenCalledTimes(2);
    expect(open).toHaveBeenLastCalledWith(pageOf(own), '_blank', 'noopener,noreferrer');
    open.mockRestore();
  });
});
