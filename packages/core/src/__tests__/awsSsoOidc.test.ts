import { createEmulator } from '@oidc-device-login/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsScopeKey, awsSsoOidc, createAwsSsoOidcProvider } from '../awsSsoOidc.ts';
import { ServiceError } from '../errors.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import type { SsoOidcClient } from '../types.ts';

const base = { region: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start', clientName: 'app' };
/** Provider construction never calls the client; scope and validation are pure. */
const unusedClient = {} as SsoOidcClient;
const provider = (options: Partial<typeof base> & Record<string, unknown> = {}) =>
  createAwsSsoOidcProvider({ ...base, ...options }, { oidc: unusedClient });

describe('awsSsoOidc scope', () => {
  it('keys storage by region, start URL, sorted scopes and endpoint family', () => {
    const key = provider().scope.key;
    expect(key).toBe(
      'aws-sso-oidc|us-east-1|https://d-1234567890.awsapps.com/start|sso:account:access|default',
    );
    expect(provider({ scopes: ['b', 'a'] }).scope.key).toBe(provider({ scopes: ['a', 'b'] }).scope.key);
    const variants = [
      provider({ region: 'eu-west-1' }),
      provider({ startUrl: 'https://d-0000000000.awsapps.com/start' }),
      provider({ scopes: ['sso:account:access', 'codewhisperer:completions'] }),
      provider({ fips: true }),
      provider({ dualStack: true }),
      provider({ endpoint: 'https://proxy.example/aws' }),
    ].map((p) => p.scope.key);
    expect(new Set([key, ...variants]).size).toBe(7);
    expect(provider({ startUrl: 'https://d-1234567890.awsapps.com/start/' }).scope.key).toBe(key);
    expect(provider().scope).toMatchObject({
      region: 'us-east-1',
      startUrl: base.startUrl,
      scopes: ['sso:account:access'],
    });
    expect(awsScopeKey({ ...base, endpoint: 'http://127.0.0.1:9/' }, [])).toMatch(
      /\|endpoint=http:\/\/127\.0\.0\.1:9$/,
    );
  });

  it('reuses only registrations for the device grant with the same scopes', () => {
    const p = provider();
    expect(
      p.registrationMatches?.({ clientId: 'c', clientSecret: 's', scopes: ['sso:account:access'] }),
    ).toBe(true);
    expect(p.registrationMatches?.({ clientId: 'c', clientSecret: 's' })).toBe(true);
    expect(p.registrationMatches?.({ clientId: 'c', clientSecret: 's', scopes: ['other'] })).toBe(false);
    expect(
      p.registrationMatches?.({
        clientId: 'c',
        clientSecret: 's',
        grantTypes: ['authorization_code', 'refresh_token'],
      }),
    ).toBe(false);
    expect(p.registrationMatches?.({ clientId: 'c' })).toBe(false);
  });

  it('rejects bad options with errors that say what to pass', () => {
    expect(() => provider({ region: 'US East' })).toThrow(
      /options\.region: must be an AWS region name like "us-east-1".*For anything else, set `endpoint`/,
    );
    expect(() => provider({ startUrl: 'http://d-1.awsapps.com/start' })).toThrow(/options\.startUrl/);
    expect(() => provider({ startUrl: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => provider({ clientName: ' ' })).toThrow(/options\.clientName/);
    expect(() => provider({ scopes: ['ok', ''] })).toThrow(/options\.scopes/);
    expect(() => provider({ scopes: ['ok', '  '] })).toThrow(/options\.scopes/);
    expect(provider({ startUrl: 'http://127.0.0.1:8080/start' }).scope.startUrl).toBe(
      'http://127.0.0.1:8080/start',
    );
  });

  it('checks its endpoint options now, named as the caller wrote them', () => {
    const named = (options: Record<string, unknown>, argument: string) =>
      expect(() => awsSsoOidc({ ...base, ...options })).toThrow(
        expect.objectContaining({ code: 'invalid_argument', argument }),
      );
    named({ endpoint: 'ftp://proxy.example' }, 'options.endpoint');
    named({ portalEndpoint: 'https://proxy.example/?x=1' }, 'options.portalEndpoint');
    named({ fips: 'yes' }, 'options.fips');
    named({ endpoint: 'https://proxy.example', dualStack: true }, 'options.dualStack');
    named({ fetch: 'fetch' }, 'options.fetch');
    expect(() => awsSsoOidc({ ...base, fetch: null as never, fips: true })).not.toThrow();
  });

  it('accepts every region the endpoint rules know, and requires one', () => {
    // The region check is the endpoint resolver's: a region it resolves is never refused here.
    for (const region of ['eusc-de-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1']) {
      expect(provider({ region }).scope.region).toBe(region);
      expect(() => awsSsoOidc({ ...base, region })).not.toThrow();
    }
    expect(() => provider({ region: undefined })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', argument: 'options.region' }),
    );
    expect(() => provider({ region: 'xx-east-1' })).toThrow(
      /options\.region: has an unknown partition prefix "xx"/,
    );
  });

  it('checks a registration (it may come from a storage adapter) before sending anything', async () => {
    const sent: string[] = [];
    const spyClient = {
      startDeviceAuthorization: async () => {
        sent.push('start');
        throw new Error('not reached');
      },
      createToken: async () => {
        sent.push('token');
        throw new Error('not reached');
      },
    } as unknown as SsoOidcClient;
    const p = createAwsSsoOidcProvider(base, { oidc: spyClient });
    const options = { signal: new AbortController().signal };
    const bad = [
      [{ clientId: 42 as unknown as string, clientSecret: 's' }, 'registration.clientId'],
      [{ clientId: ' ', clientSecret: 's' }, 'registration.clientId'],
      [{ clientId: 'c', clientSecret: ' ' }, 'registration.clientSecret'],
      [{ clientId: 'c' }, 'registration.clientSecret'],
    ] as const;
    for (const [registration, argument] of bad) {
      await expect(p.startDeviceAuthorization(registration, options)).rejects.toMatchObject({
        code: 'invalid_argument',
        argument,
      });
      await expect(p.pollToken(registration, 'device-code', options)).rejects.toMatchObject({
        code: 'invalid_argument',
        argument,
      });
    }
    expect(sent).toEqual([]);
  });

  it('has no logout without a portal client', () => {
    expect(provider().logout).toBeUndefined();
  });
});

describe('awsSsoOidc polls (against the emulator)', () => {
  const options = { signal: undefined };
  afterEach(() => {
    vi.useRealTimers();
  });
  const providers = {
    awsSsoOidc: (emulator: ReturnType<typeof createEmulator>) =>
      awsSsoOidc({ ...base, endpoint: emulator.config.baseUrl, fetch: emulator.fetch }),
    'createAwsSsoOidcProvider (a client that throws for every error answer)': (
      emulator: ReturnType<typeof createEmulator>,
    ) =>
      createAwsSsoOidcProvider(base, {
        oidc: createSsoOidcClient({
          region: base.region,
          endpoint: emulator.config.baseUrl,
          fetch: emulator.fetch,
        }),
      }),
  };

  it.each(Object.entries(providers))(
    '%s: "not yet" is a result, the end of the authorization a ServiceError',
    async (_name, make) => {
      // Only the clock is faked: each poll goes out an interval after the last, as the machine sends them.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
      const emulator = createEmulator({ interval: 1 });
      const p = make(emulator);
      const registration = await p.register(options);
      const start = async () => {
        const authorization = await p.startDeviceAuthorization(registration, options);
        const poll = () => {
          vi.setSystemTime(Date.now() + 10_000);
          return p.pollToken(registration, authorization.deviceCode, options);
        };
        return { authorization, poll };
      };
      const approved = await start();
      await expect(approved.poll()).resolves.toEqual({ pending: 'authorization_pending' });
      emulator.fault({ operation: 'CreateToken', error: 'SlowDownException' });
      await expect(approved.poll()).resolves.toEqual({ pending: 'slow_down' });
      emulator.approve({ userCode: approved.authorization.userCode });
      await expect(approved.poll()).resolves.toMatchObject({
        tokenType: 'Bearer',
        accessToken: expect.any(String),
      });

      const denied = await start();
      emulator.deny({ userCode: denied.authorization.userCode });
      const error = await denied.poll().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error).toMatchObject({ code: 'access_denied', exception: 'AccessDeniedException' });
    },
  );
});
