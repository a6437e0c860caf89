import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceLoginError } from '../errors.ts';
import {
  awsCliCacheStorage,
  awsCliRegistrationCacheKey,
  awsCliTokenCacheKey,
} from '../node/awsCliCacheStorage.ts';
import type { StorageScope, StoredRegistration, StoredSession } from '../storage.ts';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const START_URL = 'https://d-1234567890.awsapps.com/start';
/** PROTOCOL §5.2's example session: `[sso-session my-sso]`, us-east-1, `sso_registration_scopes = sso:account:access`. */
const scope: StorageScope = {
  key: `aws:us-east-1:${START_URL}:sso:account:access`,
  region: 'us-east-1',
  startUrl: START_URL,
  scopes: ['sso:account:access'],
  sessionName: 'my-sso',
};
/** Names PROTOCOL §5.2 gives for that session, computed by botocore. */
const TOKEN_FILE = '0ad374308c5a4e22f723adf10145eafad7c4031c.json';
const REGISTRATION_FILE = 'a8343d65418848d0bc13a5f25cbb32508ceec5d1.json';

// 2026-09-01T12:30:45Z and 2026-11-30T00:00:00Z.
const EXPIRES_AT = 1_788_265_845_000;
const REGISTRATION_EXPIRES_AT = 1_795_996_800_000;

const session: StoredSession = {
  accessToken: 'aoaAAAAAexample',
  tokenType: 'Bearer',
  expiresAt: EXPIRES_AT,
  refreshToken: 'aorAAAAAexample',
  clientId: 'client-id',
  clientSecret: 'client-secret',
  registrationExpiresAt: REGISTRATION_EXPIRES_AT,
  region: 'us-east-1',
  startUrl: START_URL,
};

const registration: StoredRegistration = {
  clientId: 'client-id',
  clientSecret: 'client-secret',
  expiresAt: REGISTRATION_EXPIRES_AT,
  scopes: ['sso:account:access'],
};

/**
 * Token file exactly as AWS CLI v2 writes it: Python `json.dumps(token, default=_serialize_utc_timestamp)`, one line,
 * `%Y-%m-%dT%H:%M:%SZ`. Produced by CPython 3.11 from the same values (expiresAt had 999 ms, which strftime drops).
 */
const CLI_TOKEN_JSON =
  '{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "aoaAAAAAexample", ' +
  '"expiresAt": "2026-09-01T12:30:45Z", "clientId": "client-id", "clientSecret": "client-secret", ' +
  '"registrationExpiresAt": "2026-11-30T00:00:00Z", "refreshToken": "aorAAAAAexample"}';
const CLI_REGISTRATION_JSON =
  '{"clientId": "client-id", "clientSecret": "client-secret", "expiresAt": "2026-11-30T00:00:00Z", ' +
  '"scopes": ["sso:account:access"]}';

let dir: string;
let cacheDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odl-aws-cache-'));
  cacheDir = join(dir, 'sso', 'cache');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (name: string) => readFile(join(cacheDir, name), 'utf8');
const put = async (name: string, content: string) => {
  await mkdir(cacheDir, { recursive: true });
  await writeFile(join(cacheDir, name), content);
};

async function rejection(promise: Promise<unknown>): Promise<DeviceLoginError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeviceLoginError);
  return error as DeviceLoginError;
}

describe('cache file names (botocore vectors from PROTOCOL §5.2)', () => {
  it('names the token file sha1(session name) and the registration file sha1(json.dumps(…, sort_keys=True))', () => {
    expect(`${awsCliTokenCacheKey({ sessionName: 'my-sso', startUrl: START_URL })}.json`).toBe(TOKEN_FILE);
    expect(
      `${awsCliRegistrationCacheKey({
        region: 'us-east-1',
        scopes: ['sso:account:access'],
        sessionName: 'my-sso',
        startUrl: START_URL,
      })}.json`,
    ).toBe(REGISTRATION_FILE);
  });

  it('writes exactly those files', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, session);
    await storage.setRegistration(scope, registration);
    expect((await readdir(cacheDir)).sort()).toEqual([TOKEN_FILE, REGISTRATION_FILE]);
    expect(storage.tokenFilePath(scope)).toBe(join(cacheDir, TOKEN_FILE));
    expect(storage.registrationFilePath(scope)).toBe(join(cacheDir, REGISTRATION_FILE));
  });

  // Expected digests computed with CPython 3.11: hashlib.sha1(json.dumps(args, sort_keys=True).encode()).
  it('matches Python for a legacy profile (null session name and scopes), empty scopes and non-ASCII text', () => {
    expect(awsCliTokenCacheKey({ startUrl: START_URL })).toBe('7487b5b67d5fa1132cf33fa93ae51ef38cc37752');
    expect(awsCliTokenCacheKey({ sessionName: 'équipe' })).toBe('e85e3a0d6d7c5e4114d817fccf50b403c11e9b7f');
    expect(awsCliRegistrationCacheKey({ region: 'us-east-1', startUrl: START_URL })).toBe(
      '365414a68be7c9bfc776c660981dbdbd942acea4',
    );
    expect(
      awsCliRegistrationCacheKey({
        region: 'us-east-1',
        startUrl: START_URL,
        scopes: [],
        sessionName: 'my-sso',
      }),
    ).toBe('8d72c27ea00d5059f816f34d824c9f6ce5e667e9');
    expect(
      awsCliRegistrationCacheKey({
        region: 'eu-west-1',
        startUrl: START_URL,
        scopes: ['sso:account:access', 'codewhisperer:completions'],
        sessionName: 'équipe-😀"q\\\t',
      }),
    ).toBe('43c65ac764a1977c503744fbc9348ce9579eb446');
  });

  it('uses the legacy layout without a session name', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const legacy = { ...scope, sessionName: undefined, scopes: undefined };
    await storage.setSession(legacy, session);
    await storage.setRegistration(legacy, registration);
    expect((await readdir(cacheDir)).sort()).toEqual([
      '365414a68be7c9bfc776c660981dbdbd942acea4.json',
      '7487b5b67d5fa1132cf33fa93ae51ef38cc37752.json',
    ]);
  });

  it('takes the session name from the options or the scope, and refuses two different ones', async () => {
    const fromOptions = awsCliCacheStorage({ cacheDir, sessionName: 'my-sso' });
    const unnamed = { ...scope, sessionName: undefined };
    expect(fromOptions.tokenFilePath(unnamed)).toBe(join(cacheDir, TOKEN_FILE));
    expect(fromOptions.registrationFilePath(unnamed)).toBe(join(cacheDir, REGISTRATION_FILE));
    expect(fromOptions.tokenFilePath(scope)).toBe(join(cacheDir, TOKEN_FILE));

    const conflict = await rejection(fromOptions.getSession({ ...scope, sessionName: 'other' }));
    expect(conflict.code).toBe('invalid_argument');
    expect(conflict.message).toContain('"other" differs from the storage\'s sessionName "my-sso"');
    expect(() => awsCliCacheStorage({ sessionName: '' })).toThrow(/options\.sessionName/);
  });

  it('says which scope member is missing', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const noRegion = await rejection(storage.getRegistration({ ...scope, region: undefined }));
    expect(noRegion.code).toBe('invalid_argument');
    expect(noRegion.message).toMatch(/^scope\.region:/);
    const noName = await rejection(storage.getSession({ key: 'k' }));
    expect(noName.message).toMatch(/^scope\.startUrl: .*sso-session name/);
  });

  it('resolves the default directory from os.homedir() at use time', async () => {
    const storage = awsCliCacheStorage();
    vi.stubEnv('HOME', dir);
    vi.stubEnv('USERPROFILE', dir);
    try {
      await storage.setSession(scope, session);
      expect(storage.tokenFilePath(scope)).toBe(join(dir, '.aws', 'sso', 'cache', TOKEN_FILE));
      await expect(readFile(join(dir, '.aws', 'sso', 'cache', TOKEN_FILE), 'utf8')).resolves.toBe(
        CLI_TOKEN_JSON,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('token file', () => {
  it('writes exactly what the AWS CLI writes: field names, order, separators, timestamps without ms', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    // 999 ms past the second, and fields the CLI file has no place for.
    await storage.setSession(scope, {
      ...session,
      expiresAt: EXPIRES_AT + 999,
      tokenType: 'Bearer',
      idToken: 'id-token',
      issuedAt: EXPIRES_AT - 3_600_000,
      scopes: ['sso:account:access'],
    });
    expect(await read(TOKEN_FILE)).toBe(CLI_TOKEN_JSON);
  });

  it('reads a file exactly as the AWS CLI writes it', async () => {
    await put(TOKEN_FILE, CLI_TOKEN_JSON);
    expect(await awsCliCacheStorage({ cacheDir }).getSession(scope)).toEqual(session);
  });

  it('reads a file as the JS SDK writes it after a refresh (pretty JSON, toISOString, no refresh token)', async () => {
    // @aws-sdk/token-providers writeSSOTokenToFile: JSON.stringify({...old, accessToken, expiresAt, refreshToken}, null, 2)
    const sdkToken = {
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: 'sdk-refreshed',
      expiresAt: new Date(EXPIRES_AT + 123).toISOString(),
      clientId: 'client-id',
      clientSecret: 'client-secret',
      registrationExpiresAt: '2026-11-30T00:00:00Z',
      refreshToken: undefined,
    };
    expect(sdkToken.expiresAt).toBe('2026-09-01T12:30:45.123Z');
    await put(TOKEN_FILE, JSON.stringify(sdkToken, null, 2));
    expect(await awsCliCacheStorage({ cacheDir }).getSession(scope)).toEqual({
      accessToken: 'sdk-refreshed',
      tokenType: 'Bearer',
      expiresAt: EXPIRES_AT + 123,
      clientId: 'client-id',
      clientSecret: 'client-secret',
      registrationExpiresAt: REGISTRATION_EXPIRES_AT,
      region: 'us-east-1',
      startUrl: START_URL,
    });
  });

  it('reads the timestamp forms older botocore wrote (%Z → "UTC", isoformat → "+00:00" with µs)', async () => {
    await put(
      TOKEN_FILE,
      JSON.stringify({
        accessToken: 'old-cli',
        expiresAt: '2026-09-01T12:30:45UTC',
        registrationExpiresAt: '2026-11-30T01:00:00.250000+01:00',
      }),
    );
    const read = await awsCliCacheStorage({ cacheDir }).getSession(scope);
    expect(read).toEqual({
      accessToken: 'old-cli',
      tokenType: 'Bearer',
      expiresAt: EXPIRES_AT,
      registrationExpiresAt: REGISTRATION_EXPIRES_AT + 250,
    });
  });

  it('round-trips the fields the file holds, filling startUrl and region from the scope', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const minimal: StoredSession = { accessToken: 'at', tokenType: 'Bearer', expiresAt: EXPIRES_AT };
    await storage.setSession(scope, minimal);
    expect(JSON.parse(await read(TOKEN_FILE))).toEqual({
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: 'at',
      expiresAt: '2026-09-01T12:30:45Z',
    });
    expect(await storage.getSession(scope)).toEqual({ ...minimal, startUrl: START_URL, region: 'us-east-1' });
  });

  it('keeps when the sign-in happened, with milliseconds; an unreadable value only makes it unknown', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const signedInAt = EXPIRES_AT - 3_600_000 + 123;
    await storage.setSession(scope, { ...session, signedInAt });
    const file = JSON.parse(await read(TOKEN_FILE));
    expect(file.signedInAt).toBe('2026-09-01T11:30:45.123Z');
    expect(await storage.getSession(scope)).toEqual({ ...session, signedInAt });
    // A session without it (an older one, or botocore rewrote the file) drops the stale value.
    await storage.setSession(scope, session);
    expect(JSON.parse(await read(TOKEN_FILE))).not.toHaveProperty('signedInAt');
    await put(TOKEN_FILE, JSON.stringify({ ...JSON.parse(CLI_TOKEN_JSON), signedInAt: 'last tuesday' }));
    expect(await storage.getSession(scope)).toEqual(session);
  });

  it('keeps fields another tool added, and drops a refresh token the new session no longer has', async () => {
    await put(
      TOKEN_FILE,
      JSON.stringify({
        ...JSON.parse(CLI_TOKEN_JSON),
        toolVersion: 3,
        nested: { a: [1, 'é'] },
        tokenType: 'Bearer',
      }),
    );
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, { ...session, accessToken: 'new', refreshToken: undefined });
    const file = JSON.parse(await read(TOKEN_FILE));
    expect(file).toEqual({
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: 'new',
      expiresAt: '2026-09-01T12:30:45Z',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      registrationExpiresAt: '2026-11-30T00:00:00Z',
      toolVersion: 3,
      nested: { a: [1, 'é'] },
      tokenType: 'Bearer',
    });
    expect(await storage.getSession(scope)).toEqual({
      ...session,
      accessToken: 'new',
      refreshToken: undefined,
    });
  });

  it('ignores a token for another start URL or region under the same session name', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, session);
    expect(
      await storage.getSession({ ...scope, startUrl: 'https://d-999.awsapps.com/start' }),
    ).toBeUndefined();
    expect(await storage.getSession({ ...scope, region: 'eu-west-1' })).toBeUndefined();
    expect(await storage.getSession({ ...scope, startUrl: `${START_URL}/` })).toEqual(session);
    expect(await storage.getSession({ key: scope.key, sessionName: 'my-sso' })).toEqual(session);
  });

  it('removes the file like `aws sso logout`, and a missing file is fine', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.removeSession(scope);
    await storage.setSession(scope, session);
    await storage.removeSession(scope);
    expect(await readdir(cacheDir)).toEqual([]);
    expect(await storage.getSession(scope)).toBeUndefined();
  });

  it('refuses a session it cannot write, without writing anything', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const error = await rejection(storage.setSession(scope, { ...session, expiresAt: Number.NaN }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^session\.expiresAt:/);
    expect(error.message).not.toContain(session.accessToken);
    await expect(readdir(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('registration file', () => {
  it('writes exactly what the AWS CLI writes and reads it back', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setRegistration(scope, {
      ...registration,
      issuedAt: REGISTRATION_EXPIRES_AT - 7_776_000_000,
    });
    expect(await read(REGISTRATION_FILE)).toBe(CLI_REGISTRATION_JSON);
    expect(await storage.getRegistration(scope)).toEqual(registration);
  });

  it("reads the CLI's authorization-code registration with its grant types", async () => {
    await put(
      REGISTRATION_FILE,
      '{"clientId": "pkce-client", "clientSecret": "s", "expiresAt": "2026-11-30T00:00:00Z", ' +
        '"scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}',
    );
    expect(await awsCliCacheStorage({ cacheDir }).getRegistration(scope)).toEqual({
      clientId: 'pkce-client',
      clientSecret: 's',
      expiresAt: REGISTRATION_EXPIRES_AT,
      scopes: ['sso:account:access'],
      grantTypes: ['authorization_code', 'refresh_token'],
    });
  });

  it('replaces the grant types of the registration it overwrites', async () => {
    await put(
      REGISTRATION_FILE,
      '{"clientId": "pkce-client", "clientSecret": "s", "expiresAt": "2026-11-30T00:00:00Z", ' +
        '"grantTypes": ["authorization_code", "refresh_token"], "extra": true}',
    );
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setRegistration(scope, registration);
    expect(await read(REGISTRATION_FILE)).toBe(`${CLI_REGISTRATION_JSON.slice(0, -1)}, "extra": true}`);
  });

  it('refuses a registration the CLI could not read (no secret or no expiry)', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    const noSecret = await rejection(
      storage.setRegistration(scope, { ...registration, clientSecret: undefined }),
    );
    expect(noSecret.code).toBe('invalid_argument');
    expect(noSecret.message).toMatch(/^registration\.clientSecret:/);
    const noExpiry = await rejection(
      storage.setRegistration(scope, { ...registration, expiresAt: undefined }),
    );
    expect(noExpiry.message).toMatch(/^registration\.expiresAt:/);
    await expect(readdir(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('removes the file, and a missing file is fine', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.removeRegistration(scope);
    await storage.setRegistration(scope, registration);
    await storage.removeRegistration(scope);
    expect(await storage.getRegistration(scope)).toBeUndefined();
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

describe('files', () => {
  it('returns undefined for a missing file or directory', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    expect(await storage.getSession(scope)).toBeUndefined();
    expect(await storage.getRegistration(scope)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"accessToken": "aoa'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['no access token', '{"expiresAt": "2026-09-01T12:30:45Z"}'],
    ['an empty access token', '{"accessToken": "", "expiresAt": "2026-09-01T12:30:45Z"}'],
    ['an epoch number for expiresAt', '{"accessToken": "a", "expiresAt": 1788265845000}'],
    ['an impossible date', '{"accessToken": "a", "expiresAt": "2026-02-30T00:00:00Z"}'],
    [
      'a numeric refresh token',
      '{"accessToken": "a", "expiresAt": "2026-09-01T12:30:45Z", "refreshToken": 7}',
    ],
    [
      'a bad registration expiry',
      '{"accessToken": "a", "expiresAt": "2026-09-01T12:30:45Z", "registrationExpiresAt": "soon"}',
    ],
  ])('ignores a token file with %s and leaves it in place', async (_, content) => {
    await put(TOKEN_FILE, content);
    expect(await awsCliCacheStorage({ cacheDir }).getSession(scope)).toBeUndefined();
    expect(await read(TOKEN_FILE)).toBe(content);
  });

  it.each([
    ['not JSON', 'clientId=x'],
    ['no client id', '{"clientSecret": "s", "expiresAt": "2026-11-30T00:00:00Z"}'],
    [
      'scopes as a string',
      '{"clientId": "c", "expiresAt": "2026-11-30T00:00:00Z", "scopes": "sso:account:access"}',
    ],
    ['numeric grant types', '{"clientId": "c", "expiresAt": "2026-11-30T00:00:00Z", "grantTypes": [1]}'],
  ])('ignores a registration file with %s and leaves it in place', async (_, content) => {
    await put(REGISTRATION_FILE, content);
    expect(await awsCliCacheStorage({ cacheDir }).getRegistration(scope)).toBeUndefined();
    expect(await read(REGISTRATION_FILE)).toBe(content);
  });

  it('overwrites a corrupt file when a session is stored', async () => {
    await put(TOKEN_FILE, '{"accessToken": ');
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, session);
    expect(await read(TOKEN_FILE)).toBe(CLI_TOKEN_JSON);
  });

  it.skipIf(process.platform === 'win32')('creates the directory 0700 and the files 0600', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, session);
    await storage.setRegistration(scope, registration);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(cacheDir, TOKEN_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(join(cacheDir, REGISTRATION_FILE))).mode & 0o777).toBe(0o600);
  });

  it('never leaves a partial file: concurrent writers and readers', async () => {
    const storage = awsCliCacheStorage({ cacheDir });
    await storage.setSession(scope, session);
    // Large enough that a non-atomic write (truncate, then write) would be seen half-done by a reader.
    const padding = 'x'.repeat(64 * 1024);
    const written = Array.from({ length: 40 }, (_, index) => ({
      ...session,
      accessToken: `token-${index}-${padding}`,
      expiresAt: EXPIRES_AT + index * 1000,
    }));
    const rawReads: string[] = [];
    const reader = async () => {
      for (let index = 0; index < 40; index++) rawReads.push(await read(TOKEN_FILE));
    };
    await Promise.all([
      ...written.map((value) => storage.setSession(scope, value)),
      reader(),
      reader(),
      reader(),
    ]);

    for (const raw of rawReads) expect(() => JSON.parse(raw)).not.toThrow();
    const final = await storage.getSession(scope);
    expect(written).toContainEqual(final);
    // No temporary file survives.
    expect(await readdir(cacheDir)).toEqual([TOKEN_FILE]);
  });

  it('reports an I/O failure as storage_error naming the path, never the content: cacheDir is a file', async () => {
    await writeFile(join(dir, 'not-a-dir'), 'aoaSECRET');
    const storage = awsCliCacheStorage({ cacheDir: join(dir, 'not-a-dir') });
    const path = join(dir, 'not-a-dir', TOKEN_FILE);
    for (const attempt of [
      () => storage.getSession(scope),
      () => storage.setSession(scope, session),
      () => storage.removeSession(scope),
      () => storage.getRegistration(scope),
      () => storage.setRegistration(scope, registration),
      () => storage.removeRegistration(scope),
    ]) {
      const error = await rejection(attempt());
      expect(error.code).toBe('storage_error');
      expect(error.message).toContain(join(dir, 'not-a-dir'));
      expect(error.message).not.toMatch(/aoaSECRET|aoaAAAA|client-secret/);
    }
    const error = await rejection(storage.getSession(scope));
    expect(error.message).toContain(path);
    expect(error.message).toContain('ENOTDIR');
  });

  it('reports a token path that is a directory as storage_error', async () => {
    await mkdir(join(cacheDir, TOKEN_FILE), { recursive: true });
    const error = await rejection(awsCliCacheStorage({ cacheDir }).getSession(scope));
    expect(error.code).toBe('storage_error');
    expect(error.message).toContain(join(cacheDir, TOKEN_FILE));
  });
});

describe('interop with the AWS SDK for JavaScript (@aws-sdk/token-providers fromSso, in another process)', () => {
  let home: string;
  let server: Server | undefined;

  beforeEach(async () => {
    home = join(dir, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(
      join(home, '.aws', 'config'),
      `[profile dev]\nsso_session = my-sso\n\n[sso-session my-sso]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\n`,
    );
  });

  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  /**
   * Runs the SDK's `fromSso` in a plain Node process, as another tool would. (Not in-process: vitest runs workers
   * with `--conditions module`, which makes Node load the SDK's dist-es build, whose extensionless imports fail.)
   */
  async function sdkToken(endpoint?: string): Promise<{ token: string; expiration: number }> {
    const script = `
      const { fromSso } = require('@aws-sdk/token-providers');
      const endpoint = process.argv[1];
      fromSso({ profile: 'dev', ignoreCache: true, ...(endpoint ? { clientConfig: { endpoint } } : {}) })()
        .then((t) => process.stdout.write(JSON.stringify({ token: t.token, expiration: t.expiration.getTime() })))
        .catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
    const { NODE_OPTIONS: _, AWS_PROFILE: __, ...env } = process.env;
    const { stdout } = await execFileAsync(
      process.execPath,
      ['-e', script, ...(endpoint ? [endpoint] : [])],
      {
        cwd: REPO_ROOT,
        env: {
          ...env,
          HOME: home,
          USERPROFILE: home,
          AWS_CONFIG_FILE: join(home, '.aws', 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
        },
      },
    );
    return JSON.parse(stdout);
  }

  it('the SDK uses a session this storage wrote', async () => {
    const storage = awsCliCacheStorage({ cacheDir: join(home, '.aws', 'sso', 'cache') });
    const expiresAt = Date.now() + 3_600_000;
    await storage.setSession(scope, { ...session, expiresAt });
    expect(await sdkToken()).toEqual({
      token: session.accessToken,
      expiration: Math.floor(expiresAt / 1000) * 1000,
    });
  });

  it('the SDK refreshes a session this storage wrote, and this storage reads what the SDK wrote back', async () => {
    const requests: unknown[] = [];
    const listening = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, body: JSON.parse(body) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ accessToken: 'refreshed', expiresIn: 3600, refreshToken: 'rotated' }));
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;

    const storage = awsCliCacheStorage({ cacheDir: join(home, '.aws', 'sso', 'cache') });
    // Inside the SDK's 5-minute refresh window; a field another tool added rides along.
    const signedInAt = Date.now() - 3_500_000;
    await storage.setSession(scope, { ...session, expiresAt: Date.now() + 60_000, signedInAt });
    const file = storage.tokenFilePath(scope);
    await writeFile(file, `${(await readFile(file, 'utf8')).slice(0, -1)}, "otherTool": "kept"}`);

    const before = Date.now();
    const token = await sdkToken(`http://127.0.0.1:${port}`);
    expect(token.token).toBe('refreshed');
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/token',
        body: {
          clientId: 'client-id',
          clientSecret: 'client-secret',
          grantType: 'refresh_token',
          refreshToken: 'aorAAAAAexample',
        },
      },
    ]);

    // The SDK rewrote the file with JSON.stringify(…, null, 2) and toISOString(): read it back.
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/\n {2}"expiresAt": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
    const refreshed = await storage.getSession(scope);
    expect(refreshed).toEqual({
      ...session,
      accessToken: 'refreshed',
      refreshToken: 'rotated',
      expiresAt: token.expiration,
      // The SDK copies what it does not know: the refresh keeps the sign-in's time, as the kit's refresh does.
      signedInAt,
    });
    expect(refreshed?.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(JSON.parse(text).otherTool).toBe('kept');
  });
});
