#!/usr/bin/env node
/**
 * `oidc-device-emulator`: serves the emulator until SIGINT/SIGTERM. Prints exactly one JSON line to stdout
 * (`url` first) for scripts, and a short human hint to stderr.
 */

import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';

const USAGE = `Usage: oidc-device-emulator [options]

Serves a local AWS IAM Identity Center (SSO OIDC + portal + verification page).

Options:
  --port N                 port to listen on (default 0: a free port)
  --host H                 interface to listen on (default 127.0.0.1)
  --interval S             device code polling interval in seconds (default 1)
  --device-code-ttl S      device code lifetime in seconds (default 600)
  --access-token-ttl S     access token lifetime in seconds (default 3600)
  --cors ORIGIN,...        origins allowed to call cross-origin ('*' for any; default none)
  --allowed-hosts H,...    host names to answer to besides localhost and IP addresses (default none)
  --quiet                  no hint on stderr
  -h, --help               show this help
`;

function fail(message: string): never {
  process.stderr.write(`oidc-device-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  function parse() {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        interval: { type: 'string' },
        'device-code-ttl': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        cors: { type: 'string' },
        'allowed-hosts': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  }
  try {
    values = parse().values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = integer('port', values.port, 0, 65535);
  const interval = integer('interval', values.interval, 0);
  const deviceCodeTtl = integer('device-code-ttl', values['device-code-ttl'], 1);
  const accessTokenTtl = integer('access-token-ttl', values['access-token-ttl'], 1);
  const cors = values.cors
    ?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const allowedHosts = values['allowed-hosts']
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);

  let running: Awaited<ReturnType<typeof startEmulator>>;
  try {
    running = await startEmulator({
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(interval !== undefined ? { interval } : {}),
      ...(deviceCodeTtl !== undefined ? { deviceCodeTtl } : {}),
      ...(accessTokenTtl !== undefined ? { accessTokenTtl } : {}),
      ...(cors !== undefined ? { cors } : {}),
      ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    });
  } catch (error) {
    process.stderr.write(`oidc-device-emulator: could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }

  // Before printing the line: a parent may read it and signal us at once.
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const { url, emulator } = running;
  const { config } = emulator;
  process.stdout.write(
    `${JSON.stringify({
      url,
      verificationUri: `${url}/device`,
      controlUrl: `${url}/__emulator`,
      interval: config.interval,
      deviceCodeTtl: config.deviceCodeTtl,
      accessTokenTtl: config.accessTokenTtl,
      cors: config.cors,
      users: config.seed.users.map((user) => user.userName),
    })}\n`,
  );
  if (!values.quiet) {
    const users = config.seed.users
      .map((user) => `${user.userName} (${user.displayName ?? user.userName})`)
      .join(', ');
    process.stderr.write(
      [
        `IAM Identity Center emulator listening on ${url}`,
        `  Use it as the SSO OIDC and portal endpoint:  new SSOOIDCClient({ region: 'us-east-1', endpoint: '${url}' })`,
        `  Verification page:  ${url}/device  (enter the code your app shows, or open its verificationUriComplete)`,
        `  Sign in as:  ${users}  (no password)`,
        `  Test control API:  ${url}/__emulator/…  (see the README of @oidc-device-login/emulator)`,
        '  Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
}

void main();
