import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const demoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Builds the demo once for every e2e file, with the package's own `build` script (`vite build` under tsx with the
 * workspace source condition), as `pnpm --filter @oidc-device-login/demo build` does. A child process, because
 * global setup does not resolve workspace packages to their sources.
 */
export default async function buildDemo(): Promise<void> {
  const { scripts } = JSON.parse(readFileSync(path.join(demoRoot, 'package.json'), 'utf8')) as {
    scripts: { build: string };
  };
  const [command = '', ...args] = scripts.build.split(' ');
  if (command !== 'node') throw new Error(`Expected the build script to start with node: ${scripts.build}`);
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  await promisify(execFile)(process.execPath, [...args, '--logLevel', 'warn'], {
    cwd: demoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
