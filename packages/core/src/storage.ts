/**
 * Persistence for what a sign-in obtains: the client registration and the session (tokens).
 *
 * A storage holds records per {@link StorageScope}. Adapters: {@link memoryStorage} (the default),
 * {@link webStorage} for browsers, and `awsCliCacheStorage` in `@oidc-device-login/core/node`, which shares
 * sessions with `aws sso login` through `~/.aws/sso/cache`.
 *
 * The device code is never stored: it is single-use and short-lived (PROTOCOL §9.4).
 */
import { isClientAuthMethod, type OidcClientAuthMethod } from './clientAuthMethod.ts';

/** A value, or a promise of it: adapters over synchronous stores (memory, localStorage) stay synchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** A client registration (AWS RegisterClient result, or an RFC 7591 / pre-registered client). */
export interface StoredRegistration {
  clientId: string;
  /** Secret of a confidential or AWS-registered client. Absent for public clients. */
  clientSecret?: string | undefined;
  /** Epoch ms when the client secret (and so the registration) expires. Absent when it does not expire. */
  expiresAt?: number | undefined;
  /** Epoch ms when the client was registered. */
  issuedAt?: number | undefined;
  /** Scopes the client was registered with. */
  scopes?: string[] | undefined;
  /** Grant types the client was registered with. */
  grantTypes?: string[] | undefined;
  /**
   * How the client authenticates: the `token_endpoint_auth_method` the server registered it with (RFC 7591
   * §3.2.1), which may differ from the one asked for. Absent for AWS and pre-registered clients, and in records of
   * older versions: the provider then chooses as it would for a configured client.
   */
  tokenEndpointAuthMethod?: OidcClientAuthMethod | undefined;
}

/** A signed-in session: the tokens and what is needed to refresh them. */
export interface StoredSession {
  accessToken: string;
  /** Usually `Bearer`. */
  tokenType: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  refreshToken?: string | undefined;
  idToken?: string | undefined;
  /** Epoch ms when the access token was obtained. */
  issuedAt?: number | undefined;
  /**
   * Epoch ms when the device flow yielded the first token of this sign-in; every refresh copies it unchanged, so
   * it tells a new sign-in (another person, a forced sign-in) from a refresh. Absent in sessions stored by older
   * versions.
   */
  signedInAt?: number | undefined;
  /** The registration the tokens were issued to (needed to refresh). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** That registration's {@link StoredRegistration.tokenEndpointAuthMethod}. */
  tokenEndpointAuthMethod?: OidcClientAuthMethod | undefined;
  /** Epoch ms when that registration expires. */
  registrationExpiresAt?: number | undefined;
  /** AWS: the IAM Identity Center region and start URL the session belongs to. */
  region?: string | undefined;
  startUrl?: string | undefined;
  scopes?: string[] | undefined;
}

/** Which registration and session a record belongs to. */
export interface StorageScope {
  /**
   * Stable key of the provider configuration (for AWS: region, start URL and scopes; for OpenID: issuer, client
   * and scopes). Records stored under another key are never reused for this one.
   */
  key: string;
  /** AWS region, for adapters that derive their own file names (the AWS CLI cache). */
  region?: string | undefined;
  /** AWS start URL or OpenID issuer. */
  startUrl?: string | undefined;
  scopes?: string[] | undefined;
  /** AWS CLI `sso-session` name, when the session should be shared with the CLI. */
  sessionName?: string | undefined;
}

/** Where registrations and sessions are kept. Every method may be synchronous or return a promise. */
export interface DeviceLoginStorage {
  getRegistration(scope: StorageScope): MaybePromise<StoredRegistration | undefined>;
  setRegistration(scope: StorageScope, registration: StoredRegistration): MaybePromise<void>;
  removeRegistration(scope: StorageScope): MaybePromise<void>;
  getSession(scope: StorageScope): MaybePromise<StoredSession | undefined>;
  setSession(scope: StorageScope, session: StoredSession): MaybePromise<void>;
  removeSession(scope: StorageScope): MaybePromise<void>;
}

/**
 * Keeps records in memory, for the life of the object. The default storage.
 * Records are copied in and out, so callers cannot mutate what is stored.
 */
export function memoryStorage(): DeviceLoginStorage {
  const registrations = new Map<string, StoredRegistration>();
  const sessions = new Map<string, StoredSession>();
  return {
    getRegistration: (scope) => copy(registrations.get(scope.key)),
    setRegistration: (scope, registration) => void registrations.set(scope.key, copy(registration)),
    removeRegistration: (scope) => void registrations.delete(scope.key),
    getSession: (scope) => copy(sessions.get(scope.key)),
    setSession: (scope, session) => void sessions.set(scope.key, copy(session)),
    removeSession: (scope) => void sessions.delete(scope.key),
  };
}

/** The subset of the Web Storage API that {@link webStorage} uses (`localStorage`, `sessionStorage`). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface WebStorageOptions {
  /** Prefix of every item key. Tabs that share a prefix and a scope share one session. Defaults to `oidc-device-login`. */
  key?: string | undefined;
}

/**
 * Keeps records in `localStorage` (shared by the tabs of an origin) or `sessionStorage` (one tab), as JSON
 * under `<key>:<scope key>:registration` and `<key>:<scope key>:session`.
 *
 * Pass the storage object or a function returning it; a function is called at use time, never at import or
 * construction, so server rendering can construct it safely. A record that is not valid JSON of the right shape is
 * treated as absent (and removed), never trusted.
 */
export function webStorage(
  storage: WebStorageLike | (() => WebStorageLike),
  options: WebStorageOptions = {},
): DeviceLoginStorage & { itemKey(scope: StorageScope, kind: 'registration' | 'session'): string } {
  const prefix = options.key ?? 'oidc-device-login';
  const resolve = () => (typeof storage === 'function' ? storage() : storage);
  const itemKey = (scope: StorageScope, kind: 'registration' | 'session') => `${prefix}:${scope.key}:${kind}`;

  function read<T>(key: string, isValid: (value: unknown) => value is T): T | undefined {
    const raw = resolve().getItem(key);
    if (raw === null) return undefined;
    try {
      const value: unknown = JSON.parse(raw);
      if (isValid(value)) return value;
    } catch {
      // fall through: a corrupt record is removed below
    }
    resolve().removeItem(key);
    return undefined;
  }

  return {
    itemKey,
    getRegistration: (scope) => read(itemKey(scope, 'registration'), isStoredRegistration),
    setRegistration: (scope, value) =>
      resolve().setItem(itemKey(scope, 'registration'), JSON.stringify(value)),
    removeRegistration: (scope) => resolve().removeItem(itemKey(scope, 'registration')),
    getSession: (scope) => read(itemKey(scope, 'session'), isStoredSession),
    setSession: (scope, value) => resolve().setItem(itemKey(scope, 'session'), JSON.stringify(value)),
    removeSession: (scope) => resolve().removeItem(itemKey(scope, 'session')),
  };
}

/** Shape check of a stored registration (records may come from another version or be hand-edited). */
export function isStoredRegistration(value: unknown): value is StoredRegistration {
  if (!isRecord(value) || typeof value.clientId !== 'string' || value.clientId === '') return false;
  return (
    optional(value.clientSecret, 'string') &&
    optional(value.expiresAt, 'number') &&
    optional(value.issuedAt, 'number') &&
    optionalStrings(value.scopes) &&
    optionalStrings(value.grantTypes) &&
    // A method the kit cannot perform makes the registration useless: dropped, a new one is registered.
    (value.tokenEndpointAuthMethod === undefined || isClientAuthMethod(value.tokenEndpointAuthMethod))
  );
}

/**
 * Shape check of a stored session. A `tokenEndpointAuthMethod` need only be a string: the access token stays
 * usable, and a refresh with a method the kit cannot perform ends the session (`invalid_client`).
 */
export function isStoredSession(value: unknown): value is StoredSession {
  return (
    isRecord(value) &&
    typeof value.accessToken === 'string' &&
    value.accessToken !== '' &&
    typeof value.tokenType === 'string' &&
    typeof value.expiresAt === 'number' &&
    optional(value.refreshToken, 'string') &&
    optional(value.idToken, 'string') &&
    optional(value.issuedAt, 'number') &&
    optional(value.signedInAt, 'number') &&
    optional(value.clientId, 'string') &&
    optional(value.clientSecret, 'string') &&
    optional(value.registrationExpiresAt, 'number') &&
    optional(value.tokenEndpointAuthMethod, 'string') &&
    optional(value.region, 'string') &&
    optional(value.startUrl, 'string') &&
    optionalStrings(value.scopes)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

function optionalStrings(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
