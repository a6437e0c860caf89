/**
 * End to end: createDeviceLogin + oidcDeviceProvider against a real OpenID provider (node-oidc-provider on
 * 127.0.0.1), approved or denied through the provider's own pages. Timers and Date are faked, so the machine's poll
 * interval passes without waiting; HTTP is real, so the tests wait for the login's own view changes.
 */

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeviceLogin, type DeviceLoginClient } from '../createDeviceLogin.ts';
import { oidcDeviceProvider } from '../oidcDeviceProvider.ts';
import type { DeviceFlowProvider } from '../provider.ts';
import { memoryStorage, type WebStorageLike, webStorage } from '../storage.ts';
import type { FetchLike } from '../types.ts';
import type { DeviceLoginView } from '../view.ts';
import {
  approveDevice,
  startOidcProvider,
  TEST_CLIENTS,
  type TestOidcProvider,
} from './support/oidcProvider.ts';

let op: TestOidcProvider;
const logins: DeviceLoginClient[] = [];

beforeAll(async () => {
  op = await startOidcProvider();
});
afterAll(async () => {
  await op.close();
});
beforeEach(() => {
  // setTimeout (the machine's poll and refresh timers) and Date are fake; sockets and setImmediate stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  for (const login of logins.splice(0)) login.dispose();
  vi.useRealTimers();
});

/** Resolves with the first view that satisfies `predicate` (the current one included). */
function until(
  login: DeviceLoginClient,
  predicate: (view: DeviceLoginView) => boolean,
): Promise<DeviceLoginView> {
  return new Promise((resolve) => {
    const check = (view: DeviceLoginView) => {
      if (!predicate(view)) return false;
      queueMicrotask(() => unsubscribe());
      resolve(view);
      return true;
    };
    const unsubscribe = login.subscribe(check);
    check(login.getView());
  });
}

/** Counts the provider's requests per path, and resolves waiters when a response to a path has arrived. */
function observedFetch() {
  const paths: string[] = [];
  const waiters: { path: string; count: number; resolve: () => void }[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    const response = await fetch(input, init);
    paths.push(path);
    for (const waiter of waiters.splice(0)) {
      if (paths.filter((p) => p === waiter.path).length >= waiter.count) waiter.resolve();
      else waiters.push(waiter);
    }
    return response;
  };
  return {
    fetch: fetchImpl,
    paths,
    /** Resolves once `count` responses from `path` have come back. */
    responses: (path: string, count: number) =>
      new Promise<void>((resolve) => {
        if (paths.filter((p) => p === path).length >= count) resolve();
        else waiters.push({ path, count, resolve });
      }),
  };
}

function newLogin(provider: DeviceFlowProvider, storage = memoryStorage()): DeviceLoginClient {
  const login = createDeviceLogin({ provider, storage, crossTab: false, wakeOnVisibility: false });
  logins.push(login);
  return login;
}

describe('createDeviceLogin with oidcDeviceProvider (node-oidc-provider)', () => {
  it('registers, shows the code, polls through pending, signs in, refreshes and logs out', async () => {
    const net = observedFetch();
    const storage = memoryStorage();
    const provider = oidcDeviceProvider({ issuer: op.issuer, fetch: net.fetch, clientName: 'E2E' });
    const login = newLogin(provider, storage);

    login.start();
    const prompt = await until(login, (view) => view.status === 'awaitingUser');
    expect(prompt.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(prompt.verificationUri).toBe(`${op.issuer}/device`);
    expect(prompt.interval).toBe(5);
    expect(net.paths).toEqual(['/.well-known/openid-configuration', '/reg', '/device/auth']);
    const registration = await storage.getRegistration(provider.scope);
    expect(registration?.clientId).toBeTruthy();

    // First poll after the interval: the person has not approved yet.
    await vi.advanceTimersByTimeAsync(5_000);
    await net.responses('/token', 1);
    expect(login.getView().status).toBe('awaitingUser');

    const page = await approveDevice(prompt.verificationUri!, { userCode: prompt.userCode! });
    expect(page.title).toBe('Sign-in Success');
    await vi.advanceTimersByTimeAsync(5_000);
    const signedIn = await until(login, (view) => view.status === 'authenticated');
    expect(signedIn.session).toMatchObject({ tokenType: 'Bearer', refreshable: true });
    expect(signedIn.userCode).toBeUndefined();
    // When the device flow yielded the token; a refresh renews the token, not the sign-in.
    const signedInAt = signedIn.session?.signedInAt;
    expect(signedInAt).toBe(Date.now());

    const stored = await storage.getSession(provider.scope);
    expect(stored).toMatchObject({ clientId: registration!.clientId, scopes: ['openid', 'offline_access'] });
    const first = await login.getAccessToken();
    expect(first).toBe(stored!.accessToken);

    await login.refresh();
    const refreshed = await storage.getSession(provider.scope);
    expect(refreshed!.accessToken).not.toBe(first);
    expect(refreshed!.refreshToken).not.toBe(stored!.refreshToken); // rotated
    expect(stored!.signedInAt).toBe(signedInAt);
    expect(refreshed!.signedInAt).toBe(signedInAt);
    expect(login.getView().session?.signedInAt).toBe(signedInAt);
    expect(await login.getAccessToken()).toBe(refreshed!.accessToken);

    await login.logout();
    expect(login.getView().status).toBe('idle');
    expect(await storage.getSession(provider.scope)).toBeUndefined();
    expect(net.paths.filter((p) => p === '/token/revocation')).toHaveLength(2);
    // The server forgot the grant: the revoked refresh token is refused.
    await expect(provider.refresh(registration!, refreshed!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('reuses the stored registration for the next sign-in', async () => {
    const storage = memoryStorage();
    const firstNet = observedFetch();
    const first = newLogin(oidcDeviceProvider({ issuer: op.issuer, fetch: firstNet.fetch }), storage);
    first.start();
    await until(first, (view) => view.status === 'awaitingUser');
    first.cancel();

    const secondNet = observedFetch();
    const second = newLogin(oidcDeviceProvider({ issuer: op.issuer, fetch: secondNet.fetch }), storage);
    second.start();
    await until(second, (view) => view.status === 'awaitingUser');
    expect(firstNet.paths).toContain('/reg');
    expect(secondNet.paths).not.toContain('/reg');
  });

  it('ends in denied when the person aborts on the provider page', async () => {
    const provider = oidcDeviceProvider({ issuer: op.issuer, clientId: TEST_CLIENTS.public.clientId });
    const login = newLogin(provider);
    login.start();
    const prompt = await until(login, (view) => view.status === 'awaitingUser');
    await approveDevice(prompt.verificationUri!, { userCode: prompt.userCode!, deny: 'confirm' });
    await vi.advanceTimersByTimeAsync(5_000);
    const denied = await until(login, (view) => view.status === 'denied');
    expect(denied.error?.code).toBe('access_denied');
  });

  it('signs in with a confidential client and keeps its secret out of storage', async () => {
    const storage = memoryStorage();
    const provider = oidcDeviceProvider({ issuer: op.issuer, ...TEST_CLIENTS.basic });
    const login = newLogin(provider, storage);
    login.start();
    const prompt = await until(login, (view) => view.status === 'awaitingUser');
    await approveDevice(prompt.verificationUriComplete!, { userCode: prompt.userCode! });
    await vi.advanceTimersByTimeAsync(5_000);
    await until(login, (view) => view.status === 'authenticated');
    const registration = await storage.getRegistration(provider.scope);
    const session = await storage.getSession(provider.scope);
    expect(registration?.clientId).toBe(TEST_CLIENTS.basic.clientId);
    expect(JSON.stringify([registration, session])).not.toContain(TEST_CLIENTS.basic.clientSecret);
    await login.refresh(); // authenticates with the configured secret
    expect((await storage.getSession(provider.scope))!.accessToken).not.toBe(session!.accessToken);
  });
});

describe('createDeviceLogin with a server that assigns client_secret_post to registered clients', () => {
  let assigning: TestOidcProvider;
  beforeAll(async () => {
    assigning = await startOidcProvider({
      // Whatever the client asks for (the kit asks for none), it is registered for client_secret_post.
      registrationPolicy: (properties) => {
        properties.token_endpoint_auth_method = 'client_secret_post';
        properties.client_secret = randomBytes(32).toString('base64url');
        properties.client_secret_expires_at = 0;
      },
    });
  });
  afterAll(async () => {
    await assigning.close();
  });

  /** Each request's path and where it carried a client secret. */
  function authFetch() {
    const sent: { path: string; header: boolean; secretInBody: boolean }[] = [];
    const fetchImpl: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      const body = new URLSearchParams(await request.clone().text());
      sent.push({
        path: new URL(request.url).pathname,
        header: request.headers.has('authorization'),
        secretInBody: body.has('client_secret'),
      });
      return fetch(request);
    };
    return { fetch: fetchImpl, sent };
  }

  it('signs in, reloads from web storage, refreshes and revokes, all as client_secret_post', async () => {
    const items = new Map<string, string>();
    const backing: WebStorageLike = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    };
    const options = { issuer: assigning.issuer, initialAccessToken: assigning.initialAccessToken };
    const first = authFetch();
    const provider = oidcDeviceProvider({ ...options, fetch: first.fetch });
    const login = newLogin(provider, webStorage(backing));
    login.start();
    const prompt = await until(login, (view) => view.status === 'awaitingUser');
    await approveDevice(prompt.verificationUri!, { userCode: prompt.userCode! });
    await vi.advanceTimersByTimeAsync(5_000);
    await until(login, (view) => view.status === 'authenticated');
    const registration = await webStorage(backing).getRegistration(provider.scope);
    const session = await webStorage(backing).getSession(provider.scope);
    expect(registration?.tokenEndpointAuthMethod).toBe('client_secret_post');
    expect(session).toMatchObject({
      clientId: registration!.clientId,
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    login.dispose();

    // A reload: a new provider and login over the same storage, the session restored from it.
    const second = authFetch();
    const reloaded = newLogin(oidcDeviceProvider({ ...options, fetch: second.fetch }), webStorage(backing));
    await until(reloaded, (view) => view.status === 'authenticated');
    await reloaded.refresh();
    const refreshed = await webStorage(backing).getSession(provider.scope);
    expect(refreshed!.accessToken).not.toBe(session!.accessToken);
    expect(refreshed!.tokenEndpointAuthMethod).toBe('client_secret_post');
    await reloaded.logout();
    expect(reloaded.getView().status).toBe('idle');

    const authenticated = [...first.sent, ...second.sent].filter(
      (r) => !r.path.startsWith('/.well-known/') && r.path !== '/reg',
    );
    expect(authenticated.map((r) => r.path)).toEqual([
      '/device/auth',
      '/token', // the first poll, approved already: the tokens
      '/token', // the refresh after the reload
      '/token/revocation',
      '/token/revocation',
    ]);
    expect(authenticated.every((r) => r.secretInBody && !r.header)).toBe(true);
    expect(first.sent.filter((r) => r.path === '/reg')).toHaveLength(1);
  });
});
