import { createDeviceLogin, type DeviceLogin, type DeviceLoginError } from '@oidc-device-login/core';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { ssoQueryScope } from '../ssoSession.ts';
import { useSsoAccountRoles } from '../useSsoAccountRoles.ts';
import { useSsoAccounts } from '../useSsoAccounts.ts';
import { useSsoRoleCredentials } from '../useSsoRoleCredentials.ts';
import { describeEachReactMode, emulatorLoginOptions } from './utils.tsx';

/** The portal hooks on the real login and portal client, against the emulator's in-process fetch. */
const T0 = Date.UTC(2026, 0, 1);
const flush = () => act(() => vi.advanceTimersByTimeAsync(0));
const seconds = (s: number) => act(() => vi.advanceTimersByTimeAsync(s * 1000));

let emulator: Emulator;
let login: DeviceLogin;
let queryClient: QueryClient;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  emulator = createEmulator({ interval: 5 });
  login = createDeviceLogin(emulatorLoginOptions(emulator, { clientName: 'react portal tests' }));
  queryClient = new QueryClient();
});

afterEach(() => {
  login.dispose();
  queryClient.clear();
  vi.useRealTimers();
});

async function signIn(user = 'alice') {
  act(() => login.start({ force: true }));
  await flush();
  emulator.approve({ userCode: emulator.pendingAuthorizations()[0]!.userCode, user });
  await seconds(5);
  expect(login.getView().status).toBe('authenticated');
}

const requests = (operation: string) =>
  emulator.requests().filter((request) => request.operation === operation);
/** Portal queries holding data (a mounted hook keeps an empty, disabled entry while signed out). */
const portalQueries = () =>
  queryClient
    .getQueryCache()
    .findAll({ queryKey: [ssoQueryScope] })
    .filter((query) => query.state.data !== undefined);
/** Requests since `since` requests had been made. */
const requestsSince = (since: number) => emulator.requests().slice(since);
/** Lets queries run: their fetches, react-query's batched notifications and the re-render. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(100));

describeEachReactMode('portal hooks', ({ wrap }) => {
  const wrapper = ({ children }: { children: ReactNode }) =>
    wrap(
      <QueryClientProvider client={queryClient}>
        <DeviceLoginProvider
          login={login}
          portal={{ endpoint: emulator.config.baseUrl, fetch: emulator.fetch }}
        >
          {children as ReactElement}
        </DeviceLoginProvider>
      </QueryClientProvider>,
    );

  it('waits for a sign-in, then lists the accounts, keyed by the sign-in and never by the token', async () => {
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await seconds(1);
    expect(result.current.fetchStatus).toBe('idle');
    expect(requests('ListAccounts')).toHaveLength(0);

    await signIn();
    await settle();
    expect(result.current.data?.map((account) => account.accountName)).toEqual(['dev', 'prod', 'sandbox']);
    const token = await login.getAccessToken();
    // Signed in at 1 s (waiting) + 5 s (the poll): the key is when the sign-in's first token was issued.
    expect(login.getView().session?.issuedAt).toBe(T0 + 6000);
    const [query] = portalQueries();
    expect(query?.queryKey).toEqual([
      ssoQueryScope,
      { login: expect.any(Number), endpoint: emulator.config.baseUrl, session: String(T0 + 6000) },
      'accounts',
    ]);
    expect(JSON.stringify(query?.queryKey)).not.toContain(token);
  });

  it('lists the roles of an account, and holds while there is no account', async () => {
    await signIn();
    const { result, rerender } = renderHook(({ accountId }) => useSsoAccountRoles(accountId), {
      wrapper,
      initialProps: { accountId: undefined as string | undefined },
    });
    await flush();
    expect(requests('ListAccountRoles')).toHaveLength(0);
    rerender({ accountId: '111122223333' });
    await settle();
    expect(result.current.data).toEqual([
      { roleName: 'AdministratorAccess', accountId: '111122223333' },
      { roleName: 'ReadOnly', accountId: '111122223333' },
    ]);
  });

  it('on a 401 refreshes the token once and asks once more', async () => {
    await signIn();
    const since = emulator.requests().length;
    emulator.fault({ operation: 'ListAccounts', error: 'UnauthorizedException', status: 401 });
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await settle();
    expect(result.current.data).toHaveLength(3);
    const afterSignIn = requestsSince(since);
    expect(afterSignIn.map(({ operation, status }) => [operation, status])).toEqual([
      ['ListAccounts', 401],
      ['CreateToken', 200],
      ['ListAccounts', 200],
    ]);
    expect(afterSignIn[1]?.body).toMatchObject({ grantType: 'refresh_token' });
    // The refresh renewed the token, not the sign-in: the query is not fetched again under a new key.
    await seconds(1);
    expect(requests('ListAccounts')).toHaveLength(2);
    expect(portalQueries()).toHaveLength(1);
  });

  it('gives up after the retry is refused too', async () => {
    await signIn();
    const since = emulator.requests().length;
    emulator.fault({ operation: 'ListAccounts', error: 'UnauthorizedException', status: 401, count: 2 });
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await seconds(10);
    expect(result.current.error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(requestsSince(since).map(({ operation, status }) => [operation, status])).toEqual([
      ['ListAccounts', 401],
      ['CreateToken', 200],
      ['ListAccounts', 401],
    ]);
  });

  it('does not retry a 404', async () => {
    await signIn();
    const since = emulator.requests().length;
    emulator.fault({ operation: 'ListAccountRoles', error: 'ResourceNotFoundException', status: 404 });
    const { result } = renderHook(() => useSsoAccountRoles('111122223333'), { wrapper });
    await seconds(10);
    expect((result.current.error as DeviceLoginError | null)?.code).toBe('not_found');
    expect(requestsSince(since).map(({ operation, status }) => [operation, status])).toEqual([
      ['ListAccountRoles', 404],
    ]);
  });

  it('retries a 5xx', async () => {
    await signIn();
    emulator.fault({ operation: 'ListAccounts', error: 'InternalServerException', status: 500 });
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await seconds(5);
    expect(result.current.data).toHaveLength(3);
    expect(requests('ListAccounts').map((request) => request.status)).toEqual([500, 200]);
  });

  it('keeps the cache across an automatic refresh, and clears it on logout', async () => {
    await signIn();
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await settle();
    expect(result.current.data).toHaveLength(3);
    // Past the refresh window of the 1 h token: the login refreshes on its own.
    await seconds(3600 - 200);
    expect(requests('CreateToken').at(-1)?.body).toMatchObject({ grantType: 'refresh_token' });
    expect(requests('ListAccounts')).toHaveLength(1);

    await act(() => login.logout());
    expect(requests('Logout')).toHaveLength(1);
    expect(portalQueries()).toHaveLength(0);
    expect(result.current.data).toBeUndefined();
    expect(result.current.fetchStatus).toBe('idle');
  });

  it('removes the previous sign-in’s data when another person signs in', async () => {
    await signIn('alice');
    const { result } = renderHook(() => useSsoAccounts(), { wrapper });
    await settle();
    expect(result.current.data).toHaveLength(3);
    await signIn('bob');
    await settle();
    expect(result.current.data?.map((account) => account.accountName)).toEqual(['dev', 'prod']);
    expect(portalQueries()).toHaveLength(1);
  });

  it('clears a sign-in’s data even when no hook is mounted', async () => {
    await signIn();
    const { unmount } = renderHook(() => useSsoAccountRoles('111122223333'), { wrapper });
    await settle();
    unmount();
    expect(portalQueries()).toHaveLength(1);
    await act(() => login.logout());
    expect(portalQueries()).toHaveLength(0);
  });

  it('never keeps role credentials past their expiration', async () => {
    await signIn();
    const target = { accountId: '111122223333', roleName: 'ReadOnly' };
    const { result, unmount } = renderHook(() => useSsoRoleCredentials(target), { wrapper });
    await settle();
    const first = result.current.data;
    expect(first?.expiration).toBe(T0 + 5000 + 3_600_000);
    expect(first?.accessKeyId).toMatch(/^ASIA/);
    // Fresh until 5 minutes before expiration, then fetched again while in use.
    await seconds(3600 - 300 - 2);
    expect(requests('GetRoleCredentials')).toHaveLength(1);
    await seconds(3);
    expect(requests('GetRoleCredentials')).toHaveLength(2);
    expect(result.current.data?.expiration).toBeGreaterThan(first!.expiration);
    // Without a component using them they leave the cache at once.
    unmount();
    await flush();
    expect(portalQueries()).toHaveLength(0);
  });

  it('says what to do without a portal', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      renderHook(() => useSsoAccounts(), {
        wrapper: ({ children }) =>
          wrap(
            <QueryClientProvider client={queryClient}>
              <DeviceLoginProvider login={login}>{children as ReactElement}</DeviceLoginProvider>
            </QueryClientProvider>,
          ),
      }),
    ).toThrow(/useSsoAccounts needs the SSO portal API: pass portal=\{\{ endpoint, fetch \}\}/);
  });
});
