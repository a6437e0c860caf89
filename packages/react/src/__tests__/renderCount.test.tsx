import type { DeviceLoginView } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { act } from '@testing-library/react';
import { Profiler, type ProfilerOnRenderCallback } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import {
  awaitingView,
  CountingPart,
  describeEachReactMode,
  NOW,
  partCommits,
  resetPartCommits,
} from './utils.tsx';

const awaiting = awaitingView();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  resetPartCommits();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Counts commits per Profiler id. */
function commitCounter() {
  const counts = new Map<string, number>();
  const onRender: ProfilerOnRenderCallback = (id) => counts.set(id, (counts.get(id) ?? 0) + 1);
  return { onRender, count: (id: string) => counts.get(id) ?? 0 };
}

describeEachReactMode('render counts', ({ render }) => {
  it('commits once per visible status change and never for a poll that changes nothing', () => {
    const login = createTestDeviceLogin();
    const { onRender, count } = commitCounter();
    render(
      <Profiler id="prompt" onRender={onRender}>
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt qrCode={false} />
        </DeviceLoginProvider>
      </Profiler>,
    );
    const steps: Array<[Partial<DeviceLoginView>, number]> = [
      [{ status: 'registering' }, 1],
      [{ status: 'authorizing' }, 1],
      [awaiting, 1],
      // authorization_pending: the login keeps its view object, so nothing renders.
      [{ ...awaiting }, 0],
      [{ ...awaiting }, 0],
      [{ isSlowedDown: true, interval: 10 }, 1],
      [{ interval: 10 }, 0],
      [{ status: 'authenticated', userCode: undefined, expiresAt: undefined }, 1],
    ];
    for (const [view, commits] of steps) {
      const before = count('prompt');
      act(() => login.setView(view));
      expect({ view, commits: count('prompt') - before }).toEqual({ view, commits });
    }
  });

  it('re-renders only the countdown on each tick', () => {
    const login = createTestDeviceLogin(awaiting);
    const { onRender, count } = commitCounter();
    render(
      <Profiler id="prompt" onRender={onRender}>
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt.Root>
            <DeviceCodePrompt.UserCode asChild>
              <CountingPart id="code" />
            </DeviceCodePrompt.UserCode>
            <DeviceCodePrompt.Countdown asChild>
              <CountingPart id="countdown" />
            </DeviceCodePrompt.Countdown>
            <DeviceCodePrompt.Status asChild>
              <CountingPart id="status" />
            </DeviceCodePrompt.Status>
          </DeviceCodePrompt.Root>
        </DeviceLoginProvider>
      </Profiler>,
    );
    const mounted: Record<string, number> = { prompt: count('prompt'), ...partSnapshot() };
    // One second at a time: act() would batch several seconds into one commit.
    for (let second = 0; second < 5; second++) act(() => vi.advanceTimersByTime(1_000));
    expect({ prompt: count('prompt'), ...partSnapshot() }).toEqual({
      prompt: mounted.prompt! + 5,
      code: mounted.code,
      countdown: mounted.countdown! + 5,
      status: mounted.status,
    });
    expect(document.querySelector('[role="timer"]')).toHaveTextContent('Code expires in 9:55');
  });

  it('commits the prompt once when the code is about to expire, not each second', () => {
    const login = createTestDeviceLogin({ ...awaiting, expiresAt: NOW + 65_000 });
    const { onRender, count } = commitCounter();
    render(
      <Profiler id="prompt" onRender={onRender}>
        <DeviceLoginProvider login={login}>
          <DeviceCodePrompt.Root>
            <DeviceCodePrompt.Status asChild>
              <CountingPart id="status" />
            </DeviceCodePrompt.Status>
          </DeviceCodePrompt.Root>
        </DeviceLoginProvider>
      </Profiler>,
    );
    const mounted: Record<string, number> = { prompt: count('prompt'), ...partSnapshot() };
    for (let second = 0; second < 30; second++) act(() => vi.advanceTimersByTime(1_000));
    expect(document.querySelector('[role="status"]')).toHaveTextContent('Less than 1 minute left');
    expect({ prompt: count('prompt'), ...partSnapshot() }).toEqual({
      prompt: mounted.prompt! + 1,
      status: mounted.status! + 1,
    });
  });
});

function partSnapshot(): Record<string, number> {
  return { ...partCommits };
}
