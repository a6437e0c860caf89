import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DeviceLoginError, InvalidArgumentError } from '../errors.ts';
import type { DeviceLoginStorage, StorageScope, StoredRegistration, StoredSession } from '../storage.ts';
import { withoutUndefined } from '../withoutUndefined.ts';
import { formatAwsCliTimestamp, MAX_AWS_CLI_TIMESTAMP, parseAwsCliTimestamp } from './awsCliTimestamp.ts';
import { pythonJsonDumps } from './pythonJsonDumps.ts';

export interface AwsCliCacheStorageOptions {
  /**
   * Directory of the cache files. Read at each call, so a changed `HOME` is honoured.
   * Defaults to `~/.aws/sso/cache` (from `os.homedir()`), where the AWS CLI v2, botocore and the JS SDK look.
   */
  cacheDir?: string | undefined;
  /**
   * The AWS CLI `sso-session` name (`[sso-session my-sso]` in `~/.aws/config`). A scope may name it instead
   * (`scope.sessionName`); if both name one, they must agree. Without either, files are laid out as the CLI does
   * for a legacy profile (`sso_start_url` in the profile itself). Defaults to `scope.sessionName`.
   */
  sessionName?: string | undefined;
}

/** {@link DeviceLoginStorage} over the AWS CLI's SSO cache, with the file paths it uses. */
export interface AwsCliCacheStorage extends DeviceLoginStorage {
  getRegistration(scope: StorageScope): Promise<StoredRegistration | undefined>;
  setRegistration(scope: StorageScope, registration: StoredRegistration): Promise<void>;
  removeRegistration(scope: StorageScope): Promise<void>;
  getSession(scope: StorageScope): Promise<StoredSession | undefined>;
  setSession(scope: StorageScope, session: StoredSession): Promise<void>;
  removeSession(scope: StorageScope): Promise<void>;
  /** Path of the token file for a scope: `<cacheDir>/<sha1(sessionName or startUrl)>.json`. */
  tokenFilePath(scope: StorageScope): string;
  /** Path of the registration file for a scope (see {@link awsCliRegistrationCacheKey}). */
  registrationFilePath(scope: StorageScope): string;
}

/**
 * Keeps sessions and registrations in the AWS CLI's SSO cache (`~/.aws/sso/cache`), in the CLI's own files and
 * format, so a tool built on this kit and `aws sso login` / `aws sso logout` / the AWS SDKs share one sign-in.
 *
 * **Token file** `<cacheDir>/<sha1(sessionName)>.json`, or `<sha1(startUrl)>.json` for a legacy profile:
 * `{"startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt",
 * "refreshToken"?}`, timestamps `YYYY-MM-DDTHH:MM:SSZ`. Only those fields of a {@link StoredSession} are written
 * (`tokenType`, `idToken`, `issuedAt` and `scopes` have no place in the file; `tokenType` reads back as `Bearer`).
 * `startUrl` and `region` fall back to the scope's. Fields other tools added to the file are kept on update.
 * The kit adds one of its own, `signedInAt` (`toISOString()`, as the JS SDK writes timestamps), so a new sign-in
 * can be told from a refresh: the JS and Go SDKs keep it when they refresh; botocore drops it when it refreshes or
 * signs in, and a session without it is simply one whose sign-in time is unknown.
 * A token file whose `startUrl` or `region` differs from the scope's is treated as absent (the session name
 * now points at another directory), not returned.
 *
 * **Registration file** `<cacheDir>/<sha1(json.dumps({"region", "scopes", "session_name", "startUrl",
 * "tool": "botocore"}, sort_keys=True))>.json`: `{"clientId", "clientSecret", "expiresAt", "scopes"?,
 * "grantTypes"?}`. Needs `scope.region` and `scope.startUrl`. Without a session name the key has
 * `"session_name": null`, which is exactly what the CLI uses for a legacy profile's device-flow registration, so
 * those are shared too. `scope.scopes` absent gives `"scopes": null`, as the CLI does without
 * `sso_registration_scopes`. Since CLI 2.22 `aws sso login` uses authorization code + PKCE for `sso-session`
 * configs and keeps its registration (with `grantTypes: ["authorization_code", "refresh_token"]`) under the same
 * key: it is returned as stored, and the caller decides whether it suits the device flow.
 *
 * Reads are tolerant: botocore's timestamps, the JS SDK's `toISOString()` and older `…UTC` / `+00:00` forms all
 * parse. A missing file is `undefined`; so is a corrupt one (not JSON, wrong member types), which is left in place
 * because it may belong to another tool. Any other I/O failure is a {@link DeviceLoginError} coded
 * `storage_error` naming the path, never the content.
 *
 * Writes are atomic: a temporary file (mode `0o600`) in the same directory, synced, then renamed over the target,
 * as botocore does (`mkstemp` + `os.replace`); the directory is created with mode `0o700` if missing. Concurrent
 * writers that rename (this adapter in any process, current botocore / AWS CLI) never leave a partial file: the
 * last rename wins. The JS SDK writes in place; a file it is half-way through writing reads as absent.
 *
 * @example
 * ```ts
 * import { awsCliCacheStorage } from '@oidc-device-login/core/node';
 * const storage = awsCliCacheStorage({ sessionName: 'my-sso' });
 * ```
 */
export function awsCliCacheStorage(options: AwsCliCacheStorageOptions = {}): AwsCliCacheStorage {
  if (options.sessionName !== undefined) checkSessionName(options.sessionName, 'options.sessionName');
  const cacheDir = () => options.cacheDir ?? join(homedir(), '.aws', 'sso', 'cache');

  function sessionNameOf(scope: StorageScope): string | undefined {
    if (scope.sessionName !== undefined) checkSessionName(scope.sessionName, 'scope.sessionName');
    if (options.sessionName !== undefined && scope.sessionName !== undefined) {
      if (options.sessionName !== scope.sessionName) {
        throw new InvalidArgumentError(
          'scope.sessionName',
          `"${scope.sessionName}" differs from the storage's sessionName "${options.sessionName}": ` +
            'name the sso-session in one place, or make both agree.',
        );
      }
    }
    return options.sessionName ?? scope.sessionName;
  }

  const tokenFilePath = (scope: StorageScope) =>
    join(
      cacheDir(),
      `${awsCliTokenCacheKey({ sessionName: sessionNameOf(scope), startUrl: scope.startUrl })}.json`,
    );

  function registrationFilePath(scope: StorageScope): string {
    const { region, startUrl } = scope;
    if (region === undefined || region === '') {
      throw new InvalidArgumentError(
        'scope.region',
        'the AWS CLI cache keys registrations by region: set it.',
      );
    }
    if (startUrl === undefined || startUrl === '') {
      throw new InvalidArgumentError(
        'scope.startUrl',
        'the AWS CLI cache keys registrations by start URL: set it.',
      );
    }
    const key = awsCliRegistrationCacheKey({
      region,
      startUrl,
      scopes: scope.scopes,
      sessionName: sessionNameOf(scope),
    });
    return join(cacheDir(), `${key}.json`);
  }

  return {
    tokenFilePath,
    registrationFilePath,

    async getRegistration(scope) {
      const record = await readRecord(registrationFilePath(scope));
      return record && registrationFromFile(record);
    },

    async setRegistration(scope, registration) {
      const file = registrationFilePath(scope);
      await writeRecord(file, registrationToFile(registration), REGISTRATION_FIELDS);
    },

    async removeRegistration(scope) {
      await removeFile(registrationFilePath(scope));
    },

    async getSession(scope) {
      const record = await readRecord(tokenFilePath(scope));
      return record && sessionFromFile(record, scope);
    },

    async setSession(scope, session) {
      const file = tokenFilePath(scope);
      await writeRecord(file, sessionToFile(session, scope), TOKEN_FIELDS);
    },

    async removeSession(scope) {
      await removeFile(tokenFilePath(scope));
    },
  };
}

/**
 * Name (without `.json`) of the AWS CLI's token file: SHA-1 hex of the `sso-session` name, or of the start URL for
 * a legacy profile (botocore `_token_cache_key`).
 */
export function awsCliTokenCacheKey(input: {
  sessionName?: string | undefined;
  startUrl?: string | undefined;
}): string {
  const name = input.sessionName ?? input.startUrl;
  if (name === undefined || name === '') {
    throw new InvalidArgumentError(
      'scope.startUrl',
      'the AWS CLI cache names token files after the sso-session name or, without one, the start URL: set either.',
    );
  }
  return sha1(name);
}

/**
 * Name (without `.json`) of the AWS CLI's registration file (botocore `_registration_cache_key`): SHA-1 hex of
 * Python's `json.dumps({"region", "scopes", "session_name", "startUrl", "tool": "botocore"}, sort_keys=True)`,
 * with `null` for an absent session name or scope list.
 */
export function awsCliRegistrationCacheKey(input: {
  region: string;
  startUrl: string;
  scopes?: readonly string[] | undefined;
  sessionName?: string | undefined;
}): string {
  const args = {
    tool: 'botocore',
    startUrl: input.startUrl,
    region: input.region,
    scopes: input.scopes ?? null,
    session_name: input.sessionName ?? null,
  };
  return sha1(pythonJsonDumps(args, { sortKeys: true }));
}

/* -------------------------------------------------------------------------------------------------
 * Mapping between the kit's records and the CLI's files
 * -----------------------------------------------------------------------------------------------*/

/** The token file's members, in botocore's order. Anything else in a file belongs to another tool. */
const TOKEN_FIELDS = [
  'startUrl',
  'region',
  'accessToken',
  'expiresAt',
  'clientId',
  'clientSecret',
  'registrationExpiresAt',
  'refreshToken',
  // The kit's own: when the sign-in happened (see StoredSession.signedInAt).
  'signedInAt',
] as const;

const REGISTRATION_FIELDS = ['clientId', 'clientSecret', 'expiresAt', 'scopes', 'grantTypes'] as const;

type FileRecord = Record<string, unknown>;

function sessionFromFile(file: FileRecord, scope: StorageScope): StoredSession | undefined {
  const accessToken = file.accessToken;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  const expiresAt = timestamp(file.expiresAt);
  if (typeof expiresAt !== 'number') return undefined;
  const registrationExpiresAt = timestamp(file.registrationExpiresAt);
  const strings = pickStrings(file, ['startUrl', 'region', 'clientId', 'clientSecret', 'refreshToken']);
  if (registrationExpiresAt === INVALID || strings === INVALID) return undefined;
  if (differs(strings.startUrl, scope.startUrl, normaliseStartUrl) || differs(strings.region, scope.region)) {
    return undefined;
  }
  return withoutUndefined({
    accessToken,
    tokenType: 'Bearer',
    expiresAt,
    refreshToken: strings.refreshToken,
    clientId: strings.clientId,
    clientSecret: strings.clientSecret,
    registrationExpiresAt,
    region: strings.region,
    startUrl: strings.startUrl,
    signedInAt: signedInAtFromFile(file.signedInAt),
  });
}

/** Only an identity hint: an unreadable value makes the sign-in time unknown, not the session untrusted. */
function signedInAtFromFile(value: unknown): number | undefined {
  const parsed = timestamp(value);
  return parsed === INVALID ? undefined : parsed;
}

function sessionToFile(session: StoredSession, scope: StorageScope): FileRecord {
  if (typeof session.accessToken !== 'string' || session.accessToken === '') {
    throw new InvalidArgumentError('session.accessToken', 'must be a non-empty string.');
  }
  return withoutUndefined({
    startUrl: session.startUrl ?? scope.startUrl,
    region: session.region ?? scope.region,
    accessToken: session.accessToken,
    expiresAt: fileTimestamp(session.expiresAt, 'session.expiresAt'),
    clientId: session.clientId,
    clientSecret: session.clientSecret,
    registrationExpiresAt:
      session.registrationExpiresAt === undefined
        ? undefined
        : fileTimestamp(session.registrationExpiresAt, 'session.registrationExpiresAt'),
    refreshToken: session.refreshToken,
    // With milliseconds: two sign-ins within one second are still two.
    signedInAt:
      session.signedInAt === undefined
        ? undefined
        : new Date(checkEpochMs(session.signedInAt, 'session.signedInAt')).toISOString(),
  });
}

function registrationFromFile(file: FileRecord): StoredRegistration | undefined {
  const clientId = file.clientId;
  if (typeof clientId !== 'string' || clientId === '') return undefined;
  const expiresAt = timestamp(file.expiresAt);
  const strings = pickStrings(file, ['clientSecret']);
  const scopes = stringArray(file.scopes);
  const grantTypes = stringArray(file.grantTypes);
  if (expiresAt === INVALID || strings === INVALID || scopes === INVALID || grantTypes === INVALID) {
    return undefined;
  }
  return withoutUndefined({ clientId, clientSecret: strings.clientSecret, expiresAt, scopes, grantTypes });
}

function registrationToFile(registration: StoredRegistration): FileRecord {
  if (typeof registration.clientId !== 'string' || registration.clientId === '') {
    throw new InvalidArgumentError('registration.clientId', 'must be a non-empty string.');
  }
  // botocore reads both with `registration['…']`: a file without them would crash `aws sso login`.
  if (typeof registration.clientSecret !== 'string' || registration.clientSecret === '') {
    throw new InvalidArgumentError(
      'registration.clientSecret',
      'the AWS CLI cache only holds registrations with a client secret (AWS RegisterClient always returns one).',
    );
  }
  if (registration.expiresAt === undefined) {
    throw new InvalidArgumentError(
      'registration.expiresAt',
      'the AWS CLI cache needs the registration expiry (RegisterClient clientSecretExpiresAt × 1000).',
    );
  }
  return withoutUndefined({
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: fileTimestamp(registration.expiresAt, 'registration.expiresAt'),
    scopes: registration.scopes,
    grantTypes: registration.grantTypes,
  });
}

/** Marks a member present with the wrong type: the file is then not trusted at all. */
const INVALID = Symbol('invalid');
type Invalid = typeof INVALID;

/** An optional timestamp member: absent (or `null`) → undefined, unparsable → INVALID. */
function timestamp(value: unknown): number | undefined | Invalid {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return INVALID;
  return parseAwsCliTimestamp(value) ?? INVALID;
}

function stringArray(value: unknown): string[] | undefined | Invalid {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return INVALID;
  return [...value];
}

function pickStrings<K extends string>(
  file: FileRecord,
  keys: readonly K[],
): Partial<Record<K, string>> | Invalid {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = file[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return INVALID;
    picked[key] = value;
  }
  return picked;
}

function fileTimestamp(epochMs: number, argument: string): string {
  return formatAwsCliTimestamp(checkEpochMs(epochMs, argument));
}

function checkEpochMs(epochMs: number, argument: string): number {
  if (
    typeof epochMs !== 'number' ||
    !Number.isFinite(epochMs) ||
    epochMs < 0 ||
    epochMs > MAX_AWS_CLI_TIMESTAMP
  ) {
    throw new InvalidArgumentError(argument, 'must be epoch milliseconds between 1970 and 9999.');
  }
  return epochMs;
}

/** True when both are known and differ; a side that is absent constrains nothing. */
function differs(
  stored: string | undefined,
  wanted: string | undefined,
  normalise = (v: string) => v,
): boolean {
  return stored !== undefined && wanted !== undefined && normalise(stored) !== normalise(wanted);
}

/** `…/start` and `…/start/` name the same portal. */
function normaliseStartUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkSessionName(name: unknown, argument: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(
      argument,
      'must be the non-empty name of an [sso-session] in ~/.aws/config.',
    );
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/* -------------------------------------------------------------------------------------------------
 * Files
 * -----------------------------------------------------------------------------------------------*/

/** A JSON object from a file; undefined when the file is missing or is not a JSON object. */
async function readRecord(file: string): Promise<FileRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw storageError('read', file, error);
  }
  try {
    // Python's json.load never writes a BOM, but editors on Windows do.
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return isRecord(value) ? value : undefined;
  } catch {
    // Corrupt, or written by something else: not ours to trust, nor to delete. The parse error (which quotes
    // the content) is dropped on purpose.
    return undefined;
  }
}

/**
 * Writes `record` over `file`, keeping members of the existing file that are not in `known` (another tool's).
 * Known members absent from `record` are dropped, so a stale `refreshToken` never survives an update.
 */
async function writeRecord(file: string, record: FileRecord, known: readonly string[]): Promise<void> {
  const existing = await readRecord(file);
  const merged: FileRecord = { ...record };
  for (const [key, value] of Object.entries(existing ?? {})) {
    if (!known.includes(key) && !(key in merged)) merged[key] = value;
  }
  // botocore's format: json.dumps defaults, one line, ASCII only.
  await writeFileAtomic(file, pythonJsonDumps(merged));
}

async function writeFileAtomic(file: string, content: string): Promise<void> {
  const directory = dirname(file);
  const temporary = join(directory, `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    // 'wx': a fresh file only (never follow or truncate something already there); 0o600 before any byte lands.
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      // On disk before the rename, so a crash cannot leave the target renamed to an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameOver(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw storageError('write', file, error);
  }
}

/**
 * `rename` replaces the target atomically on POSIX. On Windows it fails with EPERM/EACCES/EBUSY while another
 * process has the target open (a concurrent reader or writer), so retry briefly there.
 */
async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      const retriable = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (process.platform !== 'win32' || !retriable || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}

async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw storageError('delete', file, error);
  }
}

function storageError(action: 'read' | 'write' | 'delete', file: string, cause: unknown): DeviceLoginError {
  const code = errorCode(cause);
  return new DeviceLoginError(
    'storage_error',
    `Could not ${action} the AWS CLI SSO cache file ${file}${code ? ` (${code})` : ''}: check that its directory ` +
      'exists, is a directory, and is readable and writable by this user.',
    { cause },
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function isRecord(value: unknown): value is FileRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
