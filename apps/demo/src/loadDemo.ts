import type { DeviceLoginClient } from '@oidc-device-login/core';
import { createDemoLogin } from './createDemoLogin.ts';
import { DEMO_CONFIG_PATH, type DemoConfig, parseDemoConfig } from './demoConfig.ts';

export interface LoadedDemo {
  config: DemoConfig;
  login: DeviceLoginClient;
}

let loading: Promise<LoadedDemo> | undefined;

/**
 * Reads `/demo-config.json` and creates the page's login, once (StrictMode's second effect gets the same promise).
 * A failed load is forgotten, so "Try again" asks the server again.
 */
export function loadDemo(): Promise<LoadedDemo> {
  loading ??= fetchConfig().then(
    (config) => ({ config, login: createDemoLogin(config) }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

async function fetchConfig(): Promise<DemoConfig> {
  let response: Response;
  try {
    response = await fetch(DEMO_CONFIG_PATH, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new Error('The demo server did not answer. Is `pnpm start` still running?');
  }
  if (!response.ok) {
    throw new Error(
      `The demo server answered ${response.status} for ${DEMO_CONFIG_PATH}. Serve the demo with \`pnpm start\` ` +
        '(or `vite preview` in apps/demo), which provides it.',
    );
  }
  return parseDemoConfig(await response.json());
}
