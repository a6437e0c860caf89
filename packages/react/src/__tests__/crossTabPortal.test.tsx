import type { DeviceLogin } from '@oidc-device-login/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { ssoQueryScope } from '../ssoSession.ts';
import { useSsoAccounts } from '../useSsoAccounts.ts';
import { describeEachReactMode, setUpTabs } from './utils.tsx';

/**
 * Two tabs of one origin (shared storage, locks, one BroadcastChannel each), tab A showing portal data. Tab B signs
 * another person in with `start({ force: true })`: tab A takes that session straight from `authenticated`, never
 * signed out in between, and must drop the first person's portal data.
 */
const tabs = setUpTabs();
let queryClient: QueryClient;

beforeEach(() => {
  queryClient = new QueryClient();
});

afterEach(() => {
  queryClient.clear();
});

const awsTab = () => tabs.tab(tabs.awsProvider('cross-tab portal tests'));

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
  const pending = tabs.emulator.pendingAuthorizations();
  tabs.emulator.approve({ userCode: pending.at(-1)!.userCode, user });
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
        <DeviceLoginProvider
          login={a}
          portal={{ endpoint: tabs.emulator.config.baseUrl, fetch: tabs.emulator.fetch }}
        >
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
    const listings = tabs.emulator.requests().filter((request) => request.operation === 'ListAccounts');
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
    expect(tabs.emulator.requests().filter((request) => request.operation === 'ListAccounts')).toHaveLength(
      1,
    );
  });
});
