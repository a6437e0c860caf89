import { inspect } from 'node:util';
import { createEmulator } from '@oidc-device-login/emulator';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { awsSsoOidc } from '../awsSsoOidc.ts';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import { webStorage } from '../storage.ts';
import type { DeviceLoginView } from '../view.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every text an error exposes: message, enumerable fields, inspect output, and the same for its causes. */
function errorTexts(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 5) return [String(error)];
  return [
    error.message,
    JSON.stringify(error),
    inspect(error, { depth: 0 }),
    ...errorTexts((error as { cause?: unknown }).cause, depth + 1),
  ];
}

it('no client secret, device code or token reaches logs, errors, the view or storage keys', async () => {
  const logged: unknown[][] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
  }
  const emulator = createEmulator({ interval: 1 });
  const items = new Map<string, string>();
  const storage = webStorage({
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  });
  const provider = awsSsoOidc({
    region: 'us-east-1',
    startUrl: 'https://d-1234567890.awsapps.com/start',
    clientName: 'secret scan',
    endpoint: emulator.config.baseUrl,
    portalEndpoint: emulator.config.baseUrl,
    fetch: emulator.fetch,
  });
  const login = createDeviceLogin({ provider, storage, random: () => 0.5 });
  const views: DeviceLoginView[] = [];
  const errors: unknown[] = [];
  const snapshots: string[] = [];
  const storageKeys = new Set<string>();
  const storedSecrets = new Set<string>();
  login.subscribe((view) => {
    views.push(view);
    if (view.error) errors.push(view.error);
    snapshots.push(JSON.stringify(login.actor.getSnapshot()));
    for (const [key, value] of items) {
      storageKeys.add(key);
      const record = JSON.parse(value) as Record<string, unknown>;
      for (const member of ['accessToken', 'refreshToken', 'clientSecret']) {
        if (typeof record[member] === 'string') storedSecrets.add(record[member] as string);
      }
    }
  });

  // A flow through faults of every kind, then refreshes, a failed refresh, logout, and a denied second login.
  emulator.fault({ operation: 'RegisterClient', error: 'InternalServerException' });
  login.start();
  await vi.advanceTimersByTimeAsync(2000);
  emulator.fault({ operation: 'CreateToken', error: 'SlowDownException' });
  emulator.fault({ operation: 'CreateToken', drop: true });
  emulator.fault({ operation: 'CreateToken', error: 'InternalServerException' });
  await vi.advanceTimersByTimeAsync(30_000);
  emulator.approve({ userCode: emulator.pendingAuthorizations()[0]!.userCode });
  await vi.advanceTimersByTimeAsync(30_000);
  expect(login.getView().status).toBe('authenticated');
  await login.refresh();
  emulator.fault({ operation: 'CreateToken', grantType: 'refresh_token', error: 'InternalServerException' });
  await vi.advanceTimersByTimeAsync(31_000);
  await login.refresh().catch((error: unknown) => errors.push(error));
  await vi.advanceTimersByTimeAsync(3600_000);
  await login.logout();
  await login.getAccessToken().catch((error: unknown) => errors.push(error));
  login.start();
  await vi.advanceTimersByTimeAsync(0);
  emulator.deny({ userCode: emulator.pendingAuthorizations()[0]!.userCode });
  await vi.advanceTimersByTimeAsync(2000);
  expect(login.getView().status).toBe('denied');
  login.start();
  await vi.advanceTimersByTimeAsync(0);
  emulator.fault({ operation: 'CreateToken', malformed: 'wrong-shape' });
  await vi.advanceTimersByTimeAsync(2000);
  expect(login.getView().error?.code).toBe('invalid_response');

  // The secrets the emulator actually issued, read from what the client sent it.
  const secrets = new Set<string>(storedSecrets);
  for (const request of emulator.requests()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const member of ['clientSecret', 'deviceCode', 'refreshToken']) {
      if (typeof body[member] === 'string') secrets.add(body[member] as string);
    }
    const bearer = request.headers['x-amz-sso_bearer_token'];
    if (bearer) secrets.add(bearer);
  }
  expect(secrets.size).toBeGreaterThanOrEqual(8);
  expect([...secrets].every((secret) => secret.length >= 16)).toBe(true);

  const haystacks = {
    console: logged.map((args) =>
      args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 5 }))).join(' '),
    ),
    errors: errors.flatMap((error) => errorTexts(error)),
    views: views.map((view) => JSON.stringify(view)),
    storageKeys: [...storageKeys],
  };
  expect(haystacks.errors.length).toBeGreaterThan(5);
  for (const [where, texts] of Object.entries(haystacks)) {
    for (const secret of secrets) {
      const leaks = texts.filter((text) => text.includes(secret));
      expect(leaks, `${where} leaks a secret`).toEqual([]);
    }
  }
  // The machine's context holds the registration and tokens (as storage does), but not even it holds the device
  // code in the clear: it is a Secret that serialises as [redacted].
  const deviceCodes = emulator.requests().flatMap((r) => {
    const code = (r.body as { deviceCode?: unknown } | undefined)?.deviceCode;
    return typeof code === 'string' ? [code] : [];
  });
  expect(deviceCodes.length).toBeGreaterThan(0);
  for (const code of deviceCodes) expect(snapshots.some((s) => s.includes(code))).toBe(false);
  login.dispose();
});
