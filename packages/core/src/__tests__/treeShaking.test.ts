/**
 * Apps that do not use the generic OpenID provider must not pay for it: bundling any other export of the package
 * must leave oauth4webapi (and the provider's own modules) out entirely.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as core from '../index.ts';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const OIDC_EXPORTS = new Set(['oidcDeviceProvider', 'discoverAuthorizationServer']);
const OIDC_MODULES = /oauth4webapi|oidcDeviceProvider|authorizationServer|oauthErrors|oauthQuirks/;

/** Bundles an entry that re-exports `names` from the package source; returns the modules that made it in. */
async function bundledModules(names: string[]): Promise<string[]> {
  const result = await bundle(names);
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

function bundle(names: string[]) {
  return build({
    stdin: {
      contents: `export { ${names.join(', ')} } from './src/index.ts';`,
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['xstate'],
  });
}

describe('minified bundles', () => {
  it('keep every error class name, which minifiers rename', async () => {
    const names = [
      'DeviceLoginError',
      'InvalidArgumentError',
      'ServiceError',
      'NetworkError',
      'ProtocolError',
    ];
    const result = await bundle(names);
    const code = result.outputFiles[0]!.text;
    const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
    const errors = (await import(/* @vite-ignore */ url)) as typeof core;
    const made = [
      new errors.DeviceLoginError('timeout', 'm'),
      new errors.InvalidArgumentError('input.x', 'm'),
      new errors.ServiceError({ code: 'server_error', status: 500 }),
      new errors.NetworkError('https://example.com/x', undefined),
      new errors.ProtocolError('m', { status: 200 }),
    ];
    expect(made.map((error) => error.name)).toEqual(names);
    expect(String(made[2])).toMatch(/^ServiceError: /);
  });
});

describe('tree shaking', () => {
  it('leaves oauth4webapi out of a bundle of every other export', async () => {
    const others = Object.keys(core).filter((name) => !OIDC_EXPORTS.has(name));
    expect(others.length).toBeGreaterThan(3);
    const modules = await bundledModules(others);
    expect(modules.some((path) => path.includes('storage.ts'))).toBe(true);
    expect(modules.filter((path) => OIDC_MODULES.test(path))).toEqual([]);
  });

  it('brings oauth4webapi in with oidcDeviceProvider', async () => {
    const modules = await bundledModules(['oidcDeviceProvider']);
    expect(modules.some((path) => path.includes('oauth4webapi'))).toBe(true);
  });
});
