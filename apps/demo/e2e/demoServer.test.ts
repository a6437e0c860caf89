/**
 * The demo's server side without a browser: `/demo-config.json` in each mode, the emulator on the same origin of
 * both `vite` (dev) and `vite preview`, and the environment variables that pick the mode.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { demoServerOptionsFromEnv } from '../server/demoServerOptionsFromEnv.ts';
import { demoViteConfig } from '../server/demoViteConfig.ts';
import { parseDemoConfig } from '../src/demoConfig.ts';
import { type RunningDemo, startDemo } from './support/demo.ts';

const running: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
});

async function preview(options: Parameters<typeof startDemo>[0]): Promise<RunningDemo> {
  const demo = await startDemo(options);
  running.push(demo);
  return demo;
}

describe('/demo-config.json', () => {
  it('tells the page to use the emulator on its own origin, uncached', async () => {
    const demo = await preview({ mode: 'emulator' });
    const response = await fetch(`${demo.url}/demo-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      mode: 'emulator',
      region: 'us-east-1',
      startUrl: 'https://emulator.local/start',
      oidcEndpoint: '/emulator',
      portalEndpoint: '/emulator',
    });
    expect((await fetch(`${demo.url}/demo-config.json`, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(`${demo.url}/demo-config.json`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('points the page at the proxy in AWS mode, and the proxy refuses other regions', async () => {
    const demo = await preview({
      mode: 'aws',
      region: 'ap-southeast-2',
      startUrl: 'https://d-9.awsapps.com/start',
    });
    expect(await (await fetch(`${demo.url}/demo-config.json`)).json()).toEqual({
      mode: 'aws',
      region: 'ap-southeast-2',
      startUrl: 'https://d-9.awsapps.com/start',
      oidcEndpoint: '/aws/ap-southeast-2/oidc',
      portalEndpoint: '/aws/ap-southeast-2/portal',
    });
    const refused = await fetch(`${demo.url}/aws/us-east-1/portal/assignment/accounts`, {
      headers: { 'x-amz-sso_bearer_token': 'not-a-token' },
    });
    expect([refused.status, refused.headers.get('x-amzn-errortype')]).toEqual([403, 'ForbiddenException']);
    // No emulator in this mode: the path is the app's (Vite's HTML fallback), not a verification page.
    expect(await (await fetch(`${demo.url}/emulator/device`)).text()).toContain('<div id="root">');
  });

  it('names the issuer and client in OpenID mode', async () => {
    const demo = await preview({ mode: 'oidc', issuer: 'http://127.0.0.1:9', clientId: 'device-public' });
    expect(await (await fetch(`${demo.url}/demo-config.json`)).json()).toEqual({
      mode: 'oidc',
      issuer: 'http://127.0.0.1:9',
      clientId: 'device-public',
    });
  });
});

it('serves the app, its configuration and the emulator from the dev server too (`pnpm start`)', async () => {
  const server = await createServer({
    ...demoViteConfig({ mode: 'emulator' }),
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  running.push(server);
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  expect(await (await fetch(origin)).text()).toContain('<div id="root">');
  expect(parseDemoConfig(await (await fetch(`${origin}/demo-config.json`)).json()).mode).toBe('emulator');
  const page = await fetch(`${origin}/emulator/device?user_code=BCDF-GHJK`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('value="BCDF-GHJK"');
});

describe('demoServerOptionsFromEnv', () => {
  it('uses the emulator when nothing is set', () => {
    expect(demoServerOptionsFromEnv({})).toEqual({
      mode: 'emulator',
      emulator: { deviceCodeTtl: undefined, accessTokenTtl: undefined, interval: undefined },
    });
    expect(
      demoServerOptionsFromEnv({ DEMO_EMULATOR_DEVICE_CODE_TTL: '5', DEMO_EMULATOR_INTERVAL: '2' }),
    ).toEqual({
      mode: 'emulator',
      emulator: { deviceCodeTtl: 5, accessTokenTtl: undefined, interval: 2 },
    });
  });

  it('uses real AWS when a region and start URL are set', () => {
    expect(
      demoServerOptionsFromEnv({
        DEMO_AWS_REGION: 'eu-central-1',
        DEMO_AWS_START_URL: 'https://d-1234567890.awsapps.com/start',
        DEMO_AWS_FIPS: 'true',
        DEMO_AWS_DUALSTACK: '0',
      }),
    ).toEqual({
      mode: 'aws',
      region: 'eu-central-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
      fips: true,
      dualStack: false,
    });
  });

  it('uses the OpenID provider when an issuer is set', () => {
    expect(
      demoServerOptionsFromEnv({ DEMO_OIDC_ISSUER: 'https://id.example', DEMO_OIDC_CLIENT_ID: 'cli' }),
    ).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example',
      clientId: 'cli',
    });
  });

  it('refuses half a configuration with a message that says what to set', () => {
    expect(() => demoServerOptionsFromEnv({ DEMO_AWS_REGION: 'us-east-1' })).toThrow(/DEMO_AWS_START_URL/);
    expect(() => demoServerOptionsFromEnv({ DEMO_AWS_START_URL: 'https://x.awsapps.com/start' })).toThrow(
      /DEMO_AWS_REGION/,
    );
    expect(() => demoServerOptionsFromEnv({ DEMO_OIDC_ISSUER: 'https://id.example' })).toThrow(
      /DEMO_OIDC_CLIENT_ID/,
    );
    expect(() =>
      demoServerOptionsFromEnv({
        DEMO_AWS_REGION: 'us-east-1',
        DEMO_AWS_START_URL: 'https://x',
        DEMO_AWS_FIPS: 'yes',
      }),
    ).toThrow(/DEMO_AWS_FIPS must be 1, true, 0 or false/);
    expect(() => demoServerOptionsFromEnv({ DEMO_EMULATOR_DEVICE_CODE_TTL: '2.5' })).toThrow(/whole number/);
  });
});

describe('parseDemoConfig', () => {
  it('refuses a configuration it cannot use, naming what is wrong', () => {
    expect(() => parseDemoConfig(null)).toThrow('not an object');
    expect(() => parseDemoConfig({ mode: 'saml' })).toThrow('unknown mode: "saml"');
    expect(() => parseDemoConfig({ mode: 'aws', region: 'us-east-1', startUrl: 'https://x' })).toThrow(
      'no "oidcEndpoint"',
    );
    expect(() => parseDemoConfig({ mode: 'oidc', issuer: 'https://id.example', clientId: '' })).toThrow(
      'no "clientId"',
    );
  });
});
