import { createDeviceLogin, type DeviceLogin } from '@oidc-device-login/core';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { DeviceLoginProvider } from '../DeviceLoginProvider.tsx';
import { ssoQueryScope } from '../ssoSession.ts';
import { useSsoAccounts } from '../useSsoAccounts.ts';
import { advanceTimers, emulatorLoginOptions } from './utils.tsx';

/**
 * Two IAM Identity Center instances (two regions) on one page, each with its provider, prompt and portal hooks,
 * sharing one QueryClient: the real logins against two emulators' in-process fetch.
 */
const T0 = Date.UTC(2026, 0, 1);

interface Instance {
  region: string;
  emulator: Emulator;
  login: DeviceLogin;
}

let instances: Instance[];
let queryClient: QueryClient;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  instances = ['us-east-1', 'eu-west-1'].map((region) => {
    const emulator = createEmulator({ interval: 5, baseUrl: `http://${region}.emulator.local` });
    const login = createDeviceLogin(
      emulatorLoginOptions(emulator, {
        region,
        startUrl: `https://d-${region === 'us-east-1' ? '1111111111' : '2222222222'}.awsapps.com/start`,
        clientName: 'two providers',
      }),
    );
    return { region, emulator, login };
  });
  queryClient = new QueryClient();
});

afterEach(() => {
  for (const { login } of instances) login.dispose();
  queryClient.clear();
  vi.useRealTimers();
});

function Accounts() {
  const { data } = useSsoAccounts();
  return (
    <ul aria-label="Accounts">
      {data?.map((account) => (
        <li key={account.accountId}>{account.accountName}</li>
      ))}
    </ul>
  );
}

const settle = () => act(() => vi.advanceTimersByTimeAsync(100));

it.each([false, true])('keeps two providers apart (StrictMode: %s)', async (strict) => {
  const user = userEvent.setup({ advanceTimers });
  const app = (
    <QueryClientProvider client={queryClient}>
      {instances.map(({ region, emulator, login }) => (
        <section key={region} aria-label={region}>
          <DeviceLoginProvider
            login={login}
            portal={{ endpoint: emulator.config.baseUrl, fetch: emulator.fetch }}
          >
            <DeviceCodePrompt qrCode={false} autoStart />
            <Accounts />
          </DeviceLoginProvider>
        </section>
      ))}
    </QueryClientProvider>
  );
  const { container } = render(strict ? <StrictMode>{app}</StrictMode> : app);
  await settle();
  const [east, west] = instances.map(
    ({ region }) => container.querySelector<HTMLElement>(`[aria-label="${region}"]`)!,
  );
  const [eastLogin, westLogin] = instances.map(({ login }) => login) as [DeviceLogin, DeviceLogin];
  const [eastEmulator, westEmulator] = instances.map(({ emulator }) => emulator) as [Emulator, Emulator];

  // One StartDeviceAuthorization each, each prompt showing its own code.
  for (const { emulator, login } of instances) {
    expect(
      emulator.requests().filter((request) => request.operation === 'StartDeviceAuthorization'),
    ).toHaveLength(1);
    expect(login.getView().status).toBe('awaitingUser');
  }
  const codeOf = (section: HTMLElement) =>
    within(section).getByRole('group', { name: 'Your code' }).querySelector('[data-odl-part="code"]')
      ?.textContent;
  expect(codeOf(east!)).toBe(eastLogin.getView().userCode?.replace(/^(.{4})(.{4})$/, '$1-$2'));
  expect(codeOf(west!)).toBe(westLogin.getView().userCode?.replace(/^(.{4})(.{4})$/, '$1-$2'));

  // Ids are unique on the page, and each label points into its own prompt.
  const ids = [...container.querySelectorAll('[id]')].map((element) => element.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const section of [east!, west!]) {
    for (const labelled of section.querySelectorAll('[aria-labelledby]')) {
      expect(section.querySelector(`[id="${labelled.getAttribute('aria-labelledby')}"]`)).not.toBeNull();
    }
  }

  // Focus: cancelling in the west prompt keeps focus in the west prompt.
  await user.click(within(west!).getByRole('button', { name: 'Cancel' }));
  expect(west!.contains(document.activeElement)).toBe(true);
  expect(document.activeElement).toBe(within(west!).getByRole('button', { name: 'Sign in' }));
  expect(eastLogin.getView().status).toBe('awaitingUser');

  // Live regions: the east sign-in changes only the east status.
  const westStatus = within(west!).getByRole('status');
  const observer = new MutationObserver(() => {});
  observer.observe(westStatus, { subtree: true, childList: true, characterData: true });
  eastEmulator.approve({ userCode: eastEmulator.pendingAuthorizations()[0]!.userCode, user: 'alice' });
  await act(() => vi.advanceTimersByTimeAsync(5_000));
  await settle();
  expect(within(east!).getByRole('status')).toHaveTextContent('You are signed in.');
  expect(observer.takeRecords()).toEqual([]);
  observer.disconnect();
  expect(westStatus).toHaveTextContent('You are not signed in.');

  // Sign the west in too; both list their accounts, under keys of their own.
  await user.click(within(west!).getByRole('button', { name: 'Sign in' }));
  await settle();
  westEmulator.approve({ userCode: westEmulator.pendingAuthorizations().at(-1)!.userCode, user: 'bob' });
  await act(() => vi.advanceTimersByTimeAsync(5_000));
  await settle();
  expect(within(east!).getAllByRole('listitem').length).toBeGreaterThan(0);
  expect(within(west!).getAllByRole('listitem').length).toBeGreaterThan(0);
  const withData = () =>
    queryClient
      .getQueryCache()
      .findAll({ queryKey: [ssoQueryScope] })
      .filter((query) => query.state.data !== undefined);
  expect(new Set(withData().map((query) => JSON.stringify(query.queryKey))).size).toBe(2);
  expect(eastEmulator.requests().filter((request) => request.operation === 'ListAccounts')).toHaveLength(1);
  expect(westEmulator.requests().filter((request) => request.operation === 'ListAccounts')).toHaveLength(1);

  // Signing out of the east leaves the west signed in, its data cached and shown.
  const westAccounts = within(west!)
    .getAllByRole('listitem')
    .map((item) => item.textContent);
  await act(() => eastLogin.logout());
  await settle();
  expect(eastLogin.getView().status).toBe('idle');
  expect(westLogin.getView().status).toBe('authenticated');
  expect(within(west!).getByRole('status')).toHaveTextContent('You are signed in.');
  expect(
    within(west!)
      .getAllByRole('listitem')
      .map((item) => item.textContent),
  ).toEqual(westAccounts);
  expect(within(east!).queryAllByRole('listitem')).toEqual([]);
  expect(withData()).toHaveLength(1);
  expect(westEmulator.requests().filter((request) => request.operation === 'ListAccounts')).toHaveLength(1);
});
