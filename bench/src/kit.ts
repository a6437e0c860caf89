/**
 * The one place the bench calls the kit and the emulator. Every figure but size goes through these functions
 * only, so when an API changes names or options, this file is the only one to adjust.
 *
 * The modules are loaded from the workspace sources at run time (wherever the export lands), so the bench
 * type-checks and runs while one does not exist: the figures that need it print n/a until then.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type Need, need } from './harness.ts';
import type { WorkspaceIndex } from './workspace.ts';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const CORE = '@oidc-device-login/core';
const EMULATOR = '@oidc-device-login/emulator';
const REACT = '@oidc-device-login/react';

/** The emulator's in-process fetch answers on this origin. */
export const EMULATOR_ENDPOINT = 'http://emulator.local';
export const START_URL = 'https://d-0000000000.awsapps.com/start';
export const REGION = 'us-east-1';
export const CLIENT_NAME = 'oidc-device-login bench';

export const EMULATOR_NEEDS: Need[] = need(EMULATOR, 'createEmulator');
export const AWS_LOGIN_NEEDS: Need[] = need(CORE, 'createDeviceLogin', 'awsSsoOidc');
export const STORAGE_NEEDS: Need[] = need(CORE, 'memoryStorage');
export const REACT_NEEDS: Need[] = need(
  REACT,
  'DeviceLoginProvider',
  'DeviceCodePrompt',
  'useOidcDeviceLogin',
);

// --- the shapes the bench relies on ----------------------------------------------------------------------------
// Checked against main: createEmulator({ interval, accessTokenTtl }) with its in-process fetch on
// http://emulator.local, approve({ userCode }) and requests(); createDeviceLogin({ provider, storage, crossTab })
// with start/cancel/getView/subscribe/getAccessToken/dispose; awsSsoOidc({ region, startUrl, clientName,
// endpoint, fetch }).

interface EmulatorApi {
  fetch: FetchLike;
  approve(input: { userCode: string }): unknown;
  startUrl?: unknown;
  close?: () => unknown;
  requests?: () => { operation?: unknown; body?: unknown }[];
}

interface DeviceLoginApi {
  start(): unknown;
  cancel?: () => unknown;
  getView(): { status: string; userCode?: string | undefined };
  subscribe(listener: () => void): (() => void) | { unsubscribe(): void };
  getAccessToken?: () => Promise<unknown>;
  dispose(): unknown;
}

type CreateEmulator = (options: {
  interval: number;
  accessTokenTtl?: number;
}) => EmulatorApi | Promise<EmulatorApi>;
type AwsSsoOidc = (options: {
  region: string;
  startUrl: string;
  clientName: string;
  endpoint: string;
  fetch: FetchLike;
}) => unknown;
type CreateDeviceLogin = (options: {
  provider: unknown;
  storage?: unknown;
  crossTab?: unknown;
}) => DeviceLoginApi;

// --- what the figures use --------------------------------------------------------------------------------------

export interface Emulator {
  fetch: FetchLike;
  startUrl: string;
  approve(userCode: string): Promise<void>;
  /**
   * Refresh-token grants the emulator itself recorded (a count independent of the bench's counting fetch);
   * `undefined` when the emulator keeps no record.
   */
  recordedRefreshes(): number | undefined;
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
  cancel(): void;
  /** The status and user code shown now. */
  view(): { status: string; userCode?: string | undefined };
  /** Calls `listener` on each change of the view, as a page rendering it does (which starts the login). */
  subscribe(listener: () => void): () => void;
  /** Resolves when the view reaches `status`; rejects on a failure status or after `timeoutMs`. */
  waitFor(status: string, timeoutMs: number): Promise<LoginView>;
  getAccessToken(): Promise<string>;
  dispose(): void;
  /** The kit's own login object, for `<DeviceLoginProvider login={…}>`. */
  readonly raw: unknown;
}

/** `false`: this login alone (the default here, so logins in one process never coordinate by accident). */
export type CrossTabSetting = false | { locks: unknown; channel: unknown };

export interface AwsLoginOptions {
  emulator: Emulator;
  fetch: FetchLike;
  /** A `DeviceLoginStorage`. Defaults to the kit's default (memory). */
  storage?: unknown;
  crossTab?: CrossTabSetting;
}

export interface Kit {
  createEmulator(options: { interval: number; accessTokenTtl?: number }): Promise<Emulator>;
  createAwsLogin(options: AwsLoginOptions): Login;
  /** `createDeviceLogin` options for the same AWS login, for a hook that creates its own login. */
  awsLoginOptions(options: AwsLoginOptions): Record<string, unknown>;
  /** The kit's `memoryStorage()`, shared by tabs. */
  memoryStorage(): unknown;
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
    raw: api,
    start() {
      // start() may return a promise; a rejection shows up as a failure status, which waitFor reports.
      Promise.resolve(api.start()).catch(() => {});
    },
    cancel() {
      if (typeof api.cancel !== 'function') throw new Error('the login has no cancel()');
      api.cancel();
    },
    view() {
      const { status, userCode } = api.getView();
      return { status, userCode };
    },
    subscribe(listener) {
      const sub = api.subscribe(listener);
      return typeof sub === 'function' ? sub : () => sub.unsubscribe();
    },
    async getAccessToken() {
      if (typeof api.getAccessToken !== 'function') throw new Error('the login has no getAccessToken()');
      const token = await api.getAccessToken();
      if (typeof token !== 'string') throw new Error('getAccessToken() resolved with no string');
      return token;
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
  // Optional: only the figures that share a storage between tabs need it (they declare STORAGE_NEEDS).
  const memoryStorage = workspace.find('memoryStorage', CORE)
    ? asFunction<() => unknown>(await workspace.load('memoryStorage', CORE), 'memoryStorage')
    : undefined;

  const awsLoginOptions = ({ emulator, fetch, storage, crossTab = false }: AwsLoginOptions) => {
    const provider = awsSsoOidc({
      region: REGION,
      startUrl: emulator.startUrl,
      clientName: CLIENT_NAME,
      endpoint: EMULATOR_ENDPOINT,
      fetch,
    });
    return storage === undefined ? { provider, crossTab } : { provider, storage, crossTab };
  };

  return {
    async createEmulator({ interval, accessTokenTtl }) {
      const api = await createEmulator(
        accessTokenTtl === undefined ? { interval } : { interval, accessTokenTtl },
      );
      return {
        fetch: api.fetch,
        startUrl: typeof api.startUrl === 'string' ? api.startUrl : START_URL,
        async approve(userCode) {
          await api.approve({ userCode });
        },
        recordedRefreshes() {
          if (typeof api.requests !== 'function') return undefined;
          return api
            .requests()
            .filter(
              (r) =>
                r.operation === 'CreateToken' &&
                (r.body as { grantType?: unknown } | undefined)?.grantType === 'refresh_token',
            ).length;
        },
        async close() {
          await api.close?.();
        },
      };
    },
    awsLoginOptions,
    createAwsLogin(options) {
      return wrapLogin(createDeviceLogin(awsLoginOptions(options)));
    },
    memoryStorage() {
      if (!memoryStorage) throw new Error('memoryStorage is not exported by @oidc-device-login/core');
      return memoryStorage();
    },
  };
}

// --- React -------------------------------------------------------------------------------------------------------

/** The part of React's element type the bench uses (React's own types are not a bench dependency). */
export type Component = (props: Record<string, unknown>) => unknown;

export interface ReactRoot {
  render(element: unknown): void;
  unmount(): void;
}

export interface ReactKit {
  createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
  Profiler: unknown;
  useEffect(effect: () => undefined | (() => void), deps?: unknown[]): void;
  useState<T>(init: () => T): [T, unknown];
  createRoot(container: Element): ReactRoot;
  DeviceLoginProvider: Component;
  DeviceCodePrompt: Component;
  /** Reads (or, given `createDeviceLogin` options, creates and owns) a login. */
  useOidcDeviceLogin: (options?: Record<string, unknown>) => { status: string; start(): void };
}

/**
 * Loads the React bindings, and React and React DOM as the bindings resolve them (one React in the process, as
 * in an app). Call it with a DOM installed: React DOM looks at the globals when it loads.
 */
export async function loadReactKit(workspace: WorkspaceIndex): Promise<ReactKit> {
  const entry = workspace.find('DeviceCodePrompt', REACT);
  if (!entry) throw new Error('DeviceCodePrompt is not exported by any workspace package');
  const requireFromBindings = createRequire(entry.file);
  const importFromBindings = async (specifier: string) =>
    (await import(pathToFileURL(requireFromBindings.resolve(specifier)).href)) as Record<string, unknown>;
  const react = await importFromBindings('react');
  const reactDom = await importFromBindings('react-dom/client');
  // CommonJS through import(): the functions are on the namespace and on its default export.
  const pick = (mod: Record<string, unknown>, name: string) =>
    mod[name] ?? (mod.default as Record<string, unknown> | undefined)?.[name];
  const component = async (name: string) => {
    const value = await workspace.load(name, REACT);
    // forwardRef components and memo wrappers are objects; React takes either.
    if (typeof value !== 'function' && (typeof value !== 'object' || value === null))
      throw new Error(`${name} is exported but is not a component`);
    return value as Component;
  };
  return {
    createElement: asFunction(pick(react, 'createElement'), 'React.createElement'),
    Profiler: pick(react, 'Profiler'),
    useEffect: asFunction(pick(react, 'useEffect'), 'React.useEffect'),
    useState: asFunction(pick(react, 'useState'), 'React.useState'),
    createRoot: asFunction(pick(reactDom, 'createRoot'), 'ReactDOM.createRoot'),
    DeviceLoginProvider: await component('DeviceLoginProvider'),
    DeviceCodePrompt: await component('DeviceCodePrompt'),
    useOidcDeviceLogin: asFunction(await workspace.load('useOidcDeviceLogin', REACT), 'useOidcDeviceLogin'),
  };
}
