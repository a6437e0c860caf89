import { describe, expect, it } from 'vitest';
import { indexWorkspace } from '../workspace.ts';
import { benchDir, fixtureRoot } from './fixtureContext.ts';

describe('indexWorkspace', () => {
  it('lists every source entry point with its value exports, type-only exports left out', async () => {
    const ws = await indexWorkspace(fixtureRoot);
    expect(ws.entries.map((e) => e.specifier)).toEqual([
      '@oidc-device-login/core',
      '@oidc-device-login/core/node',
      '@oidc-device-login/emulator',
      '@oidc-device-login/react',
    ]);
    const core = ws.entries.find((e) => e.specifier === '@oidc-device-login/core');
    expect(core?.exports).toEqual([
      'awsSsoOidc',
      'createDeviceLogin',
      'createSsoOidcClient',
      'createSsoPortalClient',
      'oidcDeviceProvider',
    ]);
    expect(ws.problems).toEqual([]);
  });

  it('finds a symbol wherever it landed, preferring the expected package and then root entries', async () => {
    const ws = await indexWorkspace(fixtureRoot);
    expect(ws.find('createDeviceLogin')?.specifier).toBe('@oidc-device-login/core');
    expect(ws.find('onlyInSubpath', '@oidc-device-login/core')?.specifier).toBe(
      '@oidc-device-login/core/node',
    );
    // Expected in react but exported by core: still found.
    expect(ws.find('awsSsoOidc', '@oidc-device-login/react')?.pkg).toBe('@oidc-device-login/core');
    expect(ws.find('Registration')).toBeUndefined();
  });

  it('reports the needs nobody exports', async () => {
    const ws = await indexWorkspace(fixtureRoot);
    const missing = ws.missing([
      { symbol: 'createDeviceLogin', from: '@oidc-device-login/core' },
      { symbol: 'useDeviceFlowTabs', from: '@oidc-device-login/react' },
    ]);
    expect(missing).toEqual([{ symbol: 'useDeviceFlowTabs', from: '@oidc-device-login/react' }]);
  });

  it('loads an export from its source module', async () => {
    const ws = await indexWorkspace(fixtureRoot);
    const awsSsoOidc = (await ws.load('awsSsoOidc')) as (o: object) => { kind: string };
    expect(awsSsoOidc({}).kind).toBe('aws');
    await expect(ws.load('nothingLikeThis')).rejects.toThrow('not exported by any workspace package');
  });

  it('is empty, not an error, where there is no packages folder', async () => {
    const ws = await indexWorkspace(benchDir, 'no-such-folder');
    expect(ws.entries).toEqual([]);
    expect(ws.missing([{ symbol: 'x', from: 'y' }])).toHaveLength(1);
  });
});
