import {
  awsSsoOidc,
  createDeviceLogin,
  type DeviceLogin,
  type DeviceLoginStorage,
  memoryStorage,
} from '@oidc-device-login/core';
import { memoryLocks } from '@oidc-device-login/core/testing';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { ssoQueryScope } from '../ssoSession.ts';
import { useSsoAccounts } from '../useSsoAccounts.ts';
import { describeEachReactMode } from './utils.tsx';

/**
 * Two tabs of one origin (shared storage, locks, one BroadcastChannel each), tab A showing portal data. Tab B signs
 * another person in with `start({ force: true })`: tab A takes that session straight from `authenticated`, never
 * signed out in between, and must drop the first person's portal data.
 */
const T0 = Date.UTC(2026, 0, 1);
const START_URL = 'https://d-1234567890.awsapps.com/start';

let emulator: Emulator;
let storage: DeviceLoginStorage;
let channelName: string;
let locks: ReturnType<typeof memoryLocks>;
const channels: BroadcastChannel[] = [];
const logins: DeviceLogin[] = [];
let queryClient: QueryClient;

// BroadcastChannel delivers on a real event-loop turn: keep setImmediate real, fake only timers and Date.
beforeEach(() => {
  vi.useFakeTimers({
    now: T0,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  emulator = createEmulator({ interval: 5 });
  storage = memoryStorage();
  channelName = `portal-tabs-${Math.random()}`;
  locks = memoryLocks();
  queryClient = new QueryClient();
});

afterEach(() => {
  for (const login of logins.splice(0)) login.dispose();
  for (const channel of channels.splice(0)) channel.close();
  queryClient.clear();
  vi.useRealTimers();
});

function tab(provider: Parameters<typeof createDeviceLogin>[0]['provider']): DeviceLogin {
  const channel = new BroadcastChannel(channelName);
  channels.push(channel);
  const login = createDeviceLogin({ provider, storage, crossTab: { locks, channel }, random: () => 0.5 });
  logins.push(login);
  return login;
}

const awsTab = () =>
  tab(
    awsSsoOidc({
      region: 'us-east-1',
      startUrl: START_URL,
      clientName: 'cross-tab portal tests',
      endpoint: emulator.config.baseUrl,
      portalEndpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    }),
  );

/** Lets messages between tabs, promise chains, queries and re-renders settle (react-query batches on timers). */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
      await new Promise((resolve) => setImmediate(resolve));
    });
  }
}

/** Starts a (forced) sign-in in `login` and approves it on the emulator as `user`. */
async function signIn(login: DeviceLogin, user: string) {
  act(() => login.start({ force: true }));
  await settle();
  const pending = emulator.pendingAuthorizations();
  emulator.approve({ userCode: pending.at(-1)!.userCode, user });
  await act(() => vi.advanceTimersByTimeAsync(5000));
  await settle();
  expect(login.getView().status).toBe('authenticated');
}

const portalQueries = () =>
  queryClient
    .getQueryCache()
    .findAll({ queryKey: [ssoQueryScope] })
    .filter((query) => query.state.data !== undefined);

/** Two tabs of one origin: `useSsoAccounts` rendered in tab A; tab B running, with no UI. */
function accountsInTabA(wrap: (element: ReactElement) => ReactElement) {
  const a = awsTab();
  const b = awsTab();
  b.subscribe(() => {});
  const wrapper = ({ children }: { children: ReactNode }) =>
    wrap(
      <QueryClientProvider client={queryClient}>
        <DeviceLoginProvider login={a} portal={{ endpoint: emulator.config.baseUrl, fetch: emulator.fetch }}>
          {children as ReactElement}
        </DeviceLoginProvider>
      </QueryClientProvider>,
    );
  const { result } = renderHook(() => useSsoAccounts(), { wrapper });
  return { a, b, result };
}

describeEachReactMode('portal data across tabs', ({ wrap }) => {
  it('drops the first person’s accounts when another signs in from another tab, and fetches theirs', async () => {
    const { a, b, result } = accountsInTabA(wrap);
    await signIn(a, 'alice');
    await settle();
    expect(result.current.data?.map((account) => account.accountName)).toEqual(['dev', 'prod', 'sandbox']);
    expect(b.getView().status).toBe('authenticated');

    // Tab A never leaves `authenticated` while tab B signs bob in.
    const statuses = new Set<string>();
    a.subscribe((view) => statuses.add(view.status));
    await signIn(b, 'bob');
    await settle();
    expect(statuses).toEqual(new Set(['authenticated']));
    expect(await a.getAccessToken()).toBe(await b.getAccessToken());

    expect(result.current.data?.map((account) => account.accountName)).toEqual(['dev', 'prod']);
    const [query, ...others] = portalQueries();
    expect(others).toEqual([]);
    expect(query?.queryKey[1]).toMatchObject({ session: String(b.getView().session?.signedInAt) });
    const listings = emulator.requests().filter((request) => request.operation === 'ListAccounts');
    expect(listings).toHaveLength(2);
  });

  it('keeps the data across a refresh in another tab', async () => {
    const { a, b, result } = accountsInTabA(wrap);
    await signIn(a, 'alice');
    await settle();
    expect(result.current.data).toHaveLength(3);
    const key = portalQueries()[0]?.queryKey;
    const before = a.getView().session;
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    await act(() => b.refresh());
    await settle();
    expect(a.getView().session?.issuedAt).toBeGreaterThan(before!.issuedAt!);
    expect(a.getView().session?.signedInAt).toBe(before?.signedInAt);
    expect(portalQueries().map((query) => query.queryKey)).toEqual([key]);
    expect(emulator.requests().filter((request) => request.operation === 'ListAccounts')).toHaveLength(1);
  });
});
