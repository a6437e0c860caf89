import type { DemoServerOptions } from './demoServer.ts';

/**
 * Picks the demo's mode from environment variables:
 *
 * - `DEMO_AWS_REGION` + `DEMO_AWS_START_URL` (optional `DEMO_AWS_FIPS`, `DEMO_AWS_DUALSTACK` = `1`/`true`): real AWS
 *   IAM Identity Center through the same-origin proxy;
 * - `DEMO_OIDC_ISSUER` (+ `DEMO_OIDC_CLIENT_ID`): an OpenID provider (set by `pnpm start:oidc`);
 * - otherwise the embedded emulator, with optional `DEMO_EMULATOR_DEVICE_CODE_TTL`, `DEMO_EMULATOR_ACCESS_TOKEN_TTL`
 *   and `DEMO_EMULATOR_INTERVAL` in seconds.
 *
 * Half a configuration (a region without a start URL…) throws an error that says what to set.
 */
export function demoServerOptionsFromEnv(env: Record<string, string | undefined>): DemoServerOptions {
  const region = nonEmpty(env.DEMO_AWS_REGION);
  const startUrl = nonEmpty(env.DEMO_AWS_START_URL);
  if (region !== undefined || startUrl !== undefined) {
    if (region === undefined || startUrl === undefined) {
      throw new Error(
        'Set both DEMO_AWS_REGION (e.g. us-east-1) and DEMO_AWS_START_URL ' +
          '(e.g. https://d-1234567890.awsapps.com/start) to sign in to real AWS, or neither to use the emulator.',
      );
    }
    return {
      mode: 'aws',
      region,
      startUrl,
      fips: flag(env, 'DEMO_AWS_FIPS'),
      dualStack: flag(env, 'DEMO_AWS_DUALSTACK'),
    };
  }
  const issuer = nonEmpty(env.DEMO_OIDC_ISSUER);
  if (issuer !== undefined) {
    const clientId = nonEmpty(env.DEMO_OIDC_CLIENT_ID);
    if (clientId === undefined) {
      throw new Error(
        'Set DEMO_OIDC_CLIENT_ID to a public client with the device_code grant at DEMO_OIDC_ISSUER.',
      );
    }
    return { mode: 'oidc', issuer, clientId };
  }
  return {
    mode: 'emulator',
    emulator: {
      deviceCodeTtl: seconds(env, 'DEMO_EMULATOR_DEVICE_CODE_TTL'),
      accessTokenTtl: seconds(env, 'DEMO_EMULATOR_ACCESS_TOKEN_TTL'),
      interval: seconds(env, 'DEMO_EMULATOR_INTERVAL'),
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function flag(env: Record<string, string | undefined>, name: string): boolean {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`${name} must be 1, true, 0 or false; got "${env[name]}".`);
}

function seconds(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new Error(`${name} must be a whole number of seconds; got "${value}".`);
  }
  return number;
}
