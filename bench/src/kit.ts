/**
 * The one place the bench calls the kit and the emulator. Figures 2, 3 and 6 go through these functions only, so
 * when an API lands with other names or options, this file is the only one to adjust.
 *
 * The modules are loaded from the workspace sources at run time (wherever the export lands), so the bench
 * type-checks and runs while they do not exist yet: the figures print n/a until then.
 */
import { type Need, need } from './harness.ts';
import type { WorkspaceIndex } from './workspace.ts';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const CORE = '@oidc-device-login/core';
const EMULATOR = '@oidc-device-login/emulator';

/** The emulator's in-process fetch answers on this origin. */
export const EMULATOR_ENDPOINT = 'http://emulator.local';
export const START_URL = 'https://d-0000000000.awsapps.com/start';
export const REGION = 'us-east-1';
export const CLIENT_NAME = 'oidc-device-login bench';

export const EMULATOR_NEEDS: Need[] = need(EMULATOR, 'createEmulator');
export const AWS_LOGIN_NEEDS: Need[] = need(CORE, 'createDeviceLogin', 'awsSsoOidc');

// --- the shapes the bench relies on ----------------------------------------------------------------------------
// The emulator part was checked against @oidc-device-login/emulator as merged on main (createEmulator({ interval }),
// in-process fetch on http://emulator.local, approve({ userCode })); createDeviceLogin/awsSsoOidc are still the
// shapes named in the task and may need adjusting here when they land.

interface EmulatorApi {
  fetch: FetchLike;
  approve(input: { userCode: string }): unknown;
  startUrl?: unknown;
  close?: () => unknown;
}

interface DeviceLoginApi {
  start(): unknown;
  getView(): { status: string; userCode?: string | undefined };
  subscribe(listener: () => void): (() => void) | { unsubscribe(): void };
  dispose(): unknown;
}

type CreateEmulator = (options: { interval: number }) => EmulatorApi | Promise<EmulatorApi>;
type AwsSsoOidc = (options: {
  region: string;
  startUrl: string;
  clientName: string;
  endpoint: string;
  fetch: FetchLike;
}) => unknown;
type CreateDeviceLogin = (options: { provider: unknown; storage?: unknown }) => DeviceLoginApi;

// --- what the figures use --------------------------------------------------------------------------------------

export interface Emulator {
  fetch: FetchLike;
  startUrl: string;
  approve(userCode: string): Promise<void>;
  close(): Promise<void>;
}

export interface LoginView {
  status: string;
  userCode?: string | undefined;
  /** `performance.now()` when the bench saw this status. */
  at: number;
}

export interface Login {
  start(): void;
  /** Resolves when the view reaches `status`; rejects on a failure status or after `timeoutMs`. */
  waitFor(status: string, timeoutMs: number): Promise<LoginView>;
  dispose(): void;
}

export interface Kit {
  createEmulator(options: { interval: number }): Promise<Emulator>;
  createAwsLogin(options: { emulator: Emulator; fetch: FetchLike; storage?: RegistrationOnlyStorage }): Login;
}

/**
 * A storage (core's `DeviceLoginStorage` shape) that keeps client registrations and drops sessions, so a second
 * login can reuse the registration but still has to run the device flow. A new one is empty: a fresh login.
 */
export interface RegistrationOnlyStorage {
  getRegistration(scope: { key: string }): unknown;
  setRegistration(scope: { key: string }, registration: unknown): void;
  removeRegistration(scope: { key: string }): void;
  getSession(scope: { key: string }): undefined;
  setSession(scope: { key: string }, session: unknown): void;
  removeSession(scope: { key: string }): void;
}

export function registrationOnlyStorage(): RegistrationOnlyStorage {
  const registrations = new Map<string, unknown>();
  return {
    getRegistration: (scope) => registrations.get(scope.key),
    setRegistration: (scope, registration) => void registrations.set(scope.key, registration),
    removeRegistration: (scope) => void registrations.delete(scope.key),
    getSession: () => undefined,
    setSession: () => {},
    removeSession: () => {},
  };
}

/** Statuses after which a login will never reach the one awaited. */
const FAILED = new Set(['error', 'failed', 'expired', 'denied', 'cancelled']);

function asFunction<T>(value: unknown, name: string): T {
  if (typeof value !== 'function') throw new Error(`${name} is exported but is not a function`);
  return value as T;
}

function wrapLogin(api: DeviceLoginApi): Login {
  return {
    start() {
      // start() may return a promise; a rejection shows up as a failure status, which waitFor reports.
      Promise.resolve(api.start()).catch(() => {});
    },
    waitFor(status, timeoutMs) {
      return new Promise((resolve, reject) => {
        let unsubscribe: () => void = () => {};
        const timer = setTimeout(() => {
          unsubscribe();
          reject(
            new Error(`login did not reach '${status}' in ${timeoutMs} ms (at '${api.getView().status}')`),
          );
        }, timeoutMs);
        const check = (): boolean => {
          const view = api.getView();
          if (view.status === status) {
            clearTimeout(timer);
            resolve({ status: view.status, userCode: view.userCode, at: performance.now() });
            return true;
          }
          if (FAILED.has(view.status)) {
            clearTimeout(timer);
            reject(new Error(`login ended in '${view.status}' while waiting for '${status}'`));
            return true;
          }
          return false;
        };
        if (check()) return;
        const sub = api.subscribe(() => {
          if (check()) unsubscribe();
        });
        unsubscribe = typeof sub === 'function' ? sub : () => sub.unsubscribe();
      });
    },
    dispose() {
      api.dispose();
    },
  };
}

/** Loads the emulator and the AWS login from the workspace sources. Throws if an export is missing. */
export async function loadKit(workspace: WorkspaceIndex): Promise<Kit> {
  const createEmulator = asFunction<CreateEmulator>(
    await workspace.load('createEmulator', EMULATOR),
    'createEmulator',
  );
  const createDeviceLogin = asFunction<CreateDeviceLogin>(
    await workspace.load('createDeviceLogin', CORE),
    'createDeviceLogin',
  );
  const awsSsoOidc = asFunction<AwsSsoOidc>(await workspace.load('awsSsoOidc', CORE), 'awsSsoOidc');

  return {
    async createEmulator({ interval }) {
      const api = await createEmulator({ interval });
      return {
        fetch: api.fetch,
        startUrl: typeof api.startUrl === 'string' ? api.startUrl : START_URL,
        async approve(userCode) {
          await api.approve({ userCode });
        },
        async close() {
          await api.close?.();
        },
      };
    },
    createAwsLogin({ emulator, fetch, storage }) {
      const provider = awsSsoOidc({
        region: REGION,
        startUrl: emulator.startUrl,
        clientName: CLIENT_NAME,
        endpoint: EMULATOR_ENDPOINT,
        fetch,
      });
      return wrapLogin(createDeviceLogin(storage === undefined ? { provider } : { provider, storage }));
    },
  };
}
