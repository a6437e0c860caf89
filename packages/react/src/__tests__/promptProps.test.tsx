import { InvalidArgumentError } from '@oidc-device-login/core';
import { createTestDeviceLogin } from '@oidc-device-login/core/testing';
import { act, screen } from '@testing-library/react';
import { Component, memo, type ReactNode, useState } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt, type DeviceCodePromptProps } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import {
  awaitingView,
  CountingPart,
  describeEachReactMode,
  NOW,
  partCommits,
  resetPartCommits,
} from './utils.tsx';

const awaiting = awaitingView({ expiresAt: NOW + 45_000 });

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    return this.state.error === undefined ? this.props.children : null;
  }
}

/** Memoised: it renders again only when the prompt's context changes, not because the page re-rendered. */
const Parts = memo(function Parts() {
  return (
    <>
      <DeviceCodePrompt.Status asChild>
        <CountingPart id="status" />
      </DeviceCodePrompt.Status>
      <DeviceCodePrompt.CancelButton asChild>
        <CountingPart id="cancel" />
      </DeviceCodePrompt.CancelButton>
    </>
  );
});

const countdown = (time: string) => `Il reste ${time}`;
let rerenderPage: () => void = () => {};

/** A page that re-renders on its own and passes an inline messages object each time. */
function Page() {
  const [, setTick] = useState(0);
  rerenderPage = () => setTick((tick) => tick + 1);
  return (
    <DeviceCodePrompt.Root messages={{ cancel: 'Annuler', countdown }}>
      <Parts />
      <DeviceCodePrompt.Countdown />
    </DeviceCodePrompt.Root>
  );
}

describeEachReactMode('prompt props', ({ render, suiteKey }) => {
  it.each([1, 2, 3, 4, 5, 6] as const)('renders the title as a heading of level %i', (level) => {
    const login = createTestDeviceLogin(awaiting);
    render(
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt qrCode={false} headingLevel={level} />
      </DeviceLoginProvider>,
    );
    expect(screen.getByRole('heading', { level, name: 'Sign in on another device' }).tagName).toBe(
      `H${level}`,
    );
  });

  it.each([0, 7, 2.5, Number.NaN, '3'])('refuses headingLevel %s with a coded error', (level) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin(awaiting);
    let caught: unknown;
    class Catch extends Boundary {
      override componentDidCatch(error: unknown) {
        caught = error;
      }
    }
    render(
      <DeviceLoginProvider login={login}>
        <Catch>
          <DeviceCodePrompt
            qrCode={false}
            headingLevel={level as unknown as DeviceCodePromptProps['headingLevel']}
          />
        </Catch>
      </DeviceLoginProvider>,
    );
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect(caught).toMatchObject({ code: 'invalid_argument', argument: 'headingLevel' });
    expect((caught as Error).message).toMatch(/1, 2, 3, 4, 5 or 6/);
  });

  it('falls back to the default locale for an invalid locale tag, and says so once', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const login = createTestDeviceLogin(awaiting);
    const ui = (
      <DeviceLoginProvider login={login}>
        {/* Reported once per page and tag: a tag of its own per suite. */}
        <DeviceCodePrompt qrCode={false} locale={`not a locale! ${suiteKey}`} />
      </DeviceLoginProvider>
    );
    const { rerender } = render(ui);
    rerender(ui);
    expect(screen.getByRole('timer')).toHaveTextContent('Code expires in 0:45');
    expect(screen.getByRole('status')).toHaveTextContent('Less than 1 minute left to approve the code.');
    const reports = error.mock.calls.filter(([message]) => String(message).includes('locale'));
    expect(reports).toHaveLength(1);
    expect(String(reports[0]?.[0])).toContain(`"not a locale! ${suiteKey}"`);
  });

  it('uses partial and function messages, and an inline messages object costs no commits of the parts', () => {
    const login = createTestDeviceLogin(awaiting);
    resetPartCommits();
    render(
      <DeviceLoginProvider login={login}>
        <Page />
      </DeviceLoginProvider>,
    );
    expect(screen.getByRole('timer')).toHaveTextContent('Il reste 0:45');
    expect(screen.getByText('Annuler')).toBeInTheDocument();
    // The default for what was left out.
    expect(screen.getByRole('status')).toHaveTextContent('Less than 1 minute left');
    const mounted = { ...partCommits };
    const observer = new MutationObserver(() => {});
    observer.observe(screen.getByRole('status'), { subtree: true, childList: true, characterData: true });
    for (let step = 0; step < 3; step++) act(() => rerenderPage());
    expect(partCommits).toEqual(mounted);
    expect(observer.takeRecords()).toEqual([]);
    observer.disconnect();
  });
});
