import {
  awsSsoOidc,
  type CreateDeviceLoginOptions,
  createDeviceLogin,
  type DeviceLogin,
  type DeviceLoginStorage,
  type DeviceLoginView,
  memoryStorage,
} from '@oidc-device-login/core';
import { memoryLocks } from '@oidc-device-login/core/testing';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { type RenderOptions, type RenderResult, render } from '@testing-library/react';
import axe from 'axe-core';
import { forwardRef, type HTMLAttributes, type ReactElement, StrictMode, useLayoutEffect } from 'react';
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';

export interface ReactModeContext {
  /** `strict` or `non-strict`. */
  suiteKey: 'strict' | 'non-strict';
  /** RTL's render, wrapped in `<StrictMode>` in the strict suite. */
  render: (ui: ReactElement, options?: Omit<RenderOptions, 'wrapper'>) => RenderResult;
  /** Wraps `ui` the way `render` does, for `rerender` and `hydrateRoot`. */
  wrap: (ui: ReactElement) => ReactElement;
}

/**
 * Runs `fn` twice: once in StrictMode (double render, effects mounted, unmounted and mounted again) and once
 * without, as @xstate/react's tests do.
 */
export function describeEachReactMode(name: string, fn: (context: ReactModeContext) => void): void {
  describe.each([
    ['non-strict', false],
    ['strict', true],
  ] as const)(`%s: ${name}`, (suiteKey, strict) => {
    const wrap = (ui: ReactElement) => (strict ? <StrictMode>{ui}</StrictMode> : ui);
    fn({ suiteKey, wrap, render: (ui, options) => render(wrap(ui), options) });
  });
}

/**
 * Asserts that axe finds no violations in `container`. `color-contrast` is off: jsdom cannot compute colours
 * (the stylesheet's contrast is checked by its token choices, not here).
 */
export async function expectNoAxeViolations(container: Element): Promise<void> {
  const running = axe.run(container, {
    rules: { 'color-contrast': { enabled: false } },
    // The region rule is about whole pages; a component under test is not in a landmark.
    runOnly: {
      type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
    },
  });
  // axe schedules its checks with setTimeout: under fake timers, move the clock until it is done.
  let settled = false;
  running.finally(() => {
    settled = true;
  });
  while (vi.isFakeTimers() && !settled) await vi.advanceTimersByTimeAsync(1);
  const results = await running;
  const violations = results.violations
    .filter((violation) => violation.id !== 'region')
    .map(
      (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.html).join(', ')})`,
    );
  expect(violations).toEqual([]);
}

/** For `userEvent.setup({ advanceTimers })`: moves fake time when it is faked, does nothing under real timers. */
export function advanceTimers(ms: number): void {
  if (vi.isFakeTimers()) vi.advanceTimersByTime(ms);
}

/** The fixed "now" of the prompt tests (fake timers start here). */
export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
export const COMPLETE = 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH';
export const PLAIN = 'https://device.sso.us-east-1.amazonaws.com/';

/** A view showing a code (10 minutes left), for `createTestDeviceLogin`; `overrides` replace any field. */
export function awaitingView(overrides: Partial<DeviceLoginView> = {}): Partial<DeviceLoginView> {
  return {
    status: 'awaitingUser',
    userCode: 'ABCD-EFGH',
    verificationUri: PLAIN,
    verificationUriComplete: COMPLETE,
    expiresAt: NOW + 600_000,
    interval: 5,
    ...overrides,
  };
}

/**
 * Options of a login against `emulator`'s in-process fetch: memory storage, no cross-tab, no jitter. `provider`
 * picks the instance (region, start URL) and the client name.
 */
export function emulatorLoginOptions(
  emulator: Emulator,
  {
    region = 'us-east-1',
    startUrl = 'https://d-1234567890.awsapps.com/start',
    clientName = 'react tests',
  }: { region?: string; startUrl?: string; clientName?: string } = {},
): CreateDeviceLoginOptions {
  return {
    provider: awsSsoOidc({
      region,
      startUrl,
      clientName,
      endpoint: emulator.config.baseUrl,
      portalEndpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    }),
    storage: memoryStorage(),
    crossTab: false,
    random: () => 0.5,
  };
}

/**
 * Commits in which a prompt part rendered, by `id`, counted through {@link CountingPart}, an element the part
 * renders `asChild` (`<DeviceCodePrompt.Status asChild><CountingPart id="status" /></DeviceCodePrompt.Status>`):
 * the part passes it new props exactly when the part itself renders. A <Profiler> inside the prompt would miss
 * renders caused by context alone, which is how parts learn of changes. Each test file has its own (vitest
 * isolates modules per file); clear it with {@link resetPartCommits}.
 */
export const partCommits: Record<string, number> = {};

export const CountingPart = forwardRef<HTMLSpanElement, { id: string } & HTMLAttributes<HTMLSpanElement>>(
  function CountingPart({ id, ...props }, ref) {
    useLayoutEffect(() => {
      partCommits[id] = (partCommits[id] ?? 0) + 1;
    });
    return <span {...props} ref={ref} />;
  },
);

export function resetPartCommits(): void {
  for (const id of Object.keys(partCommits)) delete partCommits[id];
}

/** What {@link setUpTabs} gives a test file; fresh for each test. */
export interface Tabs {
  emulator: Emulator;
  /** The login of a new tab of the same origin: the tabs' storage and locks, a BroadcastChannel of its own. */
  tab(provider: CreateDeviceLoginOptions['provider']): DeviceLogin;
  /** An AWS provider against the emulator, named `clientName`. */
  awsProvider(clientName: string): CreateDeviceLoginOptions['provider'];
}

/**
 * Tabs of one origin for the tests of a file: shared storage and locks, one BroadcastChannel per tab, an emulator,
 * and fake timers and `Date` from {@link NOW}. `setImmediate` stays real: BroadcastChannel delivers on a real
 * event-loop turn. Call it at the top level of the file; the tabs' logins are disposed after each test.
 */
export function setUpTabs(): Tabs {
  let storage: DeviceLoginStorage;
  let locks: ReturnType<typeof memoryLocks>;
  let channelName: string;
  const channels: BroadcastChannel[] = [];
  const logins: DeviceLogin[] = [];
  const tabs: Tabs = {
    emulator: undefined as unknown as Emulator,
    tab(provider) {
      const channel = new BroadcastChannel(channelName);
      channels.push(channel);
      const login = createDeviceLogin({ provider, storage, crossTab: { locks, channel }, random: () => 0.5 });
      logins.push(login);
      return login;
    },
    awsProvider: (clientName) => emulatorLoginOptions(tabs.emulator, { clientName }).provider,
  };
  beforeEach(() => {
    vi.useFakeTimers({
      now: NOW,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    tabs.emulator = createEmulator({ interval: 5 });
    storage = memoryStorage();
    locks = memoryLocks();
    channelName = `tabs-${Math.random()}`;
  });
  afterEach(() => {
    for (const login of logins.splice(0)) login.dispose();
    for (const channel of channels.splice(0)) channel.close();
    vi.useRealTimers();
  });
  return tabs;
}
