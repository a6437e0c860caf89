/**
 * The `oidc-device-emulator` CLI, spawned through tsx as `pnpm start:emulator` runs it.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
});

function run(args: string[]) {
  child = spawn(tsx, ['src/cli.ts', ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { process: child, stderr: () => stderr };
}

async function firstLine(process: ChildProcess): Promise<string> {
  const lines = createInterface({ input: process.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

// Spawning tsx competes with the rest of the suite for two cores: give each case room (a guard, not a timing assertion).
describe('oidc-device-emulator', { timeout: 30_000 }, () => {
  it('prints one JSON line with url first, serves, hints on stderr and exits cleanly on SIGTERM', async () => {
    const { process, stderr } = run([
      '--port',
      '0',
      '--interval',
      '3',
      '--device-code-ttl',
      '120',
      '--cors',
      'http://a.test,*',
    ]);
    const line = await firstLine(process);
    const info = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(info)[0]).toBe('url');
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info).toMatchObject({
      interval: 3,
      deviceCodeTtl: 120,
      cors: ['http://a.test', '*'],
      users: ['alice', 'bob'],
    });

    const url = info.url as string;
    const registration = await (
      await fetch(`${url}/client/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientName: 'cli-test', clientType: 'public' }),
      })
    ).json();
    const start = (await (
      await fetch(`${url}/device_authorization`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...registration, startUrl: 'https://x.awsapps.com/start' }),
      })
    ).json()) as { interval: number; expiresIn: number; verificationUri: string };
    expect(start).toMatchObject({ interval: 3, expiresIn: 120, verificationUri: `${url}/device` });
    expect(stderr()).toContain(`Verification page:  ${url}/device`);
    expect(stderr()).toContain('alice (Alice Admin)');

    process.kill('SIGTERM');
    const [code] = await once(process, 'exit');
    expect(code).toBe(0);
  });

  it('exits 0 on SIGINT sent the moment the line is read', async () => {
    const { process } = run(['--quiet']);
    JSON.parse(await firstLine(process));
    process.kill('SIGINT');
    const [code, signal] = await once(process, 'exit');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('--allowed-hosts adds host names the server answers to; others get a 403 (DNS rebinding guard)', async () => {
    const { process } = run(['--quiet', '--allowed-hosts', 'devbox.lan, build.lan']);
    const { url } = JSON.parse(await firstLine(process)) as { url: string };
    const statusFor = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        const { port } = new URL(url);
        request({ host: '127.0.0.1', port, path: '/device', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
          .on('error', reject)
          .end();
      });
    expect(await statusFor('build.lan')).toBe(200);
    expect(await statusFor('evil.example')).toBe(403);
  });

  it('exits with status 2 and a message for bad arguments', async () => {
    const { process, stderr } = run(['--port', 'eighty']);
    const [code] = await once(process, 'exit');
    expect(code).toBe(2);
    expect(stderr()).toContain('--port must be a whole number from 0 to 65535, got "eighty"');

    const unknown = run(['--bogus']);
    const [unknownCode] = await once(unknown.process, 'exit');
    expect(unknownCode).toBe(2);
    expect(unknown.stderr()).toContain("Unknown option '--bogus'");
  });
});
