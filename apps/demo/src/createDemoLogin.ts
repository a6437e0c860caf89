import {
  awsSsoOidc,
  createDeviceLogin,
  type DeviceLoginClient,
  oidcDeviceProvider,
  webStorage,
} from '@oidc-device-login/core';
import type { DemoConfig } from './demoConfig.ts';

/** The localStorage prefix of the demo's registration and session records (a reload resumes from them). */
export const DEMO_STORAGE_KEY = 'oidc-device-login-demo';
/** The client name people see on the approval page. */
export const DEMO_CLIENT_NAME = 'oidc-device-login demo';

/**
 * The one login of the page. Its session is kept in localStorage, so a reload resumes it, and the kit's cross-tab
 * coordination (on by default in browsers) makes every tab of the demo share one sign-in and one refresh.
 */
export function createDemoLogin(config: DemoConfig): DeviceLoginClient {
  const storage = webStorage(() => localStorage, { key: DEMO_STORAGE_KEY });
  const mode = config.mode;
  switch (mode) {
    case 'emulator':
    case 'aws':
      return createDeviceLogin({
        provider: awsSsoOidc({
          region: config.region,
          startUrl: config.startUrl,
          clientName: DEMO_CLIENT_NAME,
          // Same origin: the emulator, or the proxy in front of AWS (which sends no CORS headers).
          endpoint: config.oidcEndpoint,
          portalEndpoint: config.portalEndpoint,
        }),
        storage,
      });
    case 'oidc':
      return createDeviceLogin({
        provider: oidcDeviceProvider({ issuer: config.issuer, clientId: config.clientId }),
        storage,
      });
    default:
      throw new TypeError(`Unknown demo mode ${JSON.stringify(mode satisfies never)}.`);
  }
}
