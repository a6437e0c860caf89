/**
 * A local, wire-faithful model of AWS IAM Identity Center: SSO OIDC (RegisterClient, StartDeviceAuthorization,
 * CreateToken), the SSO portal API (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout), a real HTML
 * verification page and a control API for tests, all behind one `handle(request)`.
 *
 * Platform-neutral on purpose: only Web `Request`/`Response`/`URL`/`crypto.getRandomValues`, so it runs in Node,
 * jsdom and browsers. It is an independent model of AWS and must not import `@oidc-device-login/core`.
 */

import {
  jsonResponse,
  oidcErrorResponse,
  portalErrorResponse,
  unknownOperationResponse,
} from './awsErrorResponse.ts';
import { EmulatorControlError } from './emulatorControlError.ts';
import { defaultSeed, type EmulatorSeed, type SeedUser, validateSeed } from './emulatorSeed.ts';
import {
  type ActiveFault,
  type FaultKind,
  type FaultSpec,
  faultKind,
  faultResponse,
  parseFaultSpec,
} from './faultSpec.ts';
import { DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT } from './grantType.ts';
import { isPortalOperation, OPERATION_ROUTES, type Operation } from './operations.ts';
import { createRandom, type RandomBytes } from './random.ts';
import { readBody } from './readBody.ts';
import { renderCodeEntryPage, renderConfirmPage, renderResultPage } from './verificationPage.ts';

const KNOWN_GRANT_TYPES = [DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT, 'authorization_code'];
/** Page size of ListAccounts/ListAccountRoles when the caller sends no `max_result`. */
export const DEFAULT_PAGE_SIZE = 20;
/** `requests()` keeps at most this many entries (the oldest are dropped), so a long-running demo stays small. */
export const MAX_RECORDED_REQUESTS = 1000;
const SLOW_DOWN_INCREMENT = 5;
const CONTROL_PREFIX = '/__emulator';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

export interface EmulatorOptions {
  /** Wall clock in epoch ms, read at every use (so `vi.useFakeTimers()` drives it). Defaults to `Date.now`. */
  now?: () => number;
  /** `interval` returned by StartDeviceAuthorization, in whole seconds ≥ 1 (AWS never sends 0, and clients reject it). Defaults to `1` (as AWS). */
  interval?: number;
  /** Device code (and user code) lifetime `expiresIn`, in seconds. Defaults to `600`. */
  deviceCodeTtl?: number;
  /** Access token lifetime `expiresIn`, in seconds. Defaults to `3600`. */
  accessTokenTtl?: number;
  /** Client registration lifetime (`clientSecretExpiresAt − clientIdIssuedAt`), in seconds. Defaults to `7776000` (90 days). */
  clientSecretTtl?: number;
  /** Portal session lifetime: refresh tokens stop working this long after sign-in, in seconds. Defaults to `28800` (8 h). */
  sessionTtl?: number;
  /** Role credentials lifetime (GetRoleCredentials `expiration`), in seconds. Defaults to `3600`. */
  roleCredentialsTtl?: number;
  /** Accounts, users and role assignments. Defaults to {@link defaultSeed} (users `alice` and `bob`). */
  seed?: EmulatorSeed;
  /** Origins allowed to call cross-origin (`'*'` for any). Defaults to `[]`: no CORS headers, like AWS. */
  cors?: readonly string[];
  /** Base URL that the in-process `fetch` resolves relative URLs against. Defaults to `'http://emulator.local'`. */
  baseUrl?: string;
  /** Largest accepted request body, in bytes. Defaults to `65536`. */
  maxBodyBytes?: number;
  /**
   * Whether a refresh returns a new refresh token and retires the old one. AWS "may rotate" (PROTOCOL.md §2.3);
   * `false` answers refreshes without a `refreshToken` member and keeps the old one working, the case a client must
   * handle by keeping what it has. Defaults to `true`.
   */
  rotateRefreshTokens?: boolean;
  /**
   * Source of every random value: codes, tokens, client secrets, role credentials and `x-amzn-RequestId`s. A
   * seeded source makes the emulator reproducible: the same requests at the same clock times get byte-identical
   * answers (snapshot tests, differential tests of two clients). It must return a `Uint8Array` of `length` bytes.
   * Defaults to `crypto.getRandomValues`.
   */
  randomBytes?: RandomBytes;
}

/** The resolved options (`emulator.config`). */
export interface EmulatorConfig {
  readonly interval: number;
  readonly deviceCodeTtl: number;
  readonly accessTokenTtl: number;
  readonly clientSecretTtl: number;
  readonly sessionTtl: number;
  readonly roleCredentialsTtl: number;
  readonly seed: EmulatorSeed;
  readonly cors: readonly string[];
  readonly baseUrl: string;
  readonly maxBodyBytes: number;
  readonly rotateRefreshTokens: boolean;
}

export interface HandleOptions {
  /**
   * The path the emulator is mounted under, e.g. `'/aws'`: routes are matched below it and the URLs it returns
   * (`verificationUri`, form actions, redirects) include it. Defaults to `''` (mounted at the origin's root).
   */
  prefix?: string;
}

/**
 * Which device authorization a control call is about: by `userCode` or `deviceCode`, or neither for the only one
 * pending (the call throws when none or several are pending).
 */
export type AuthorizationTarget =
  | { userCode: string; deviceCode?: undefined }
  | { deviceCode: string; userCode?: undefined }
  | { userCode?: undefined; deviceCode?: undefined };

export type ApproveInput = AuthorizationTarget & {
  /** The seeded `userName` who approves; the tokens get this user's accounts. Defaults to the first seed user. */
  user?: string;
};

/** A device authorization still waiting for the person (see `pendingAuthorizations()`). */
export interface PendingAuthorization {
  userCode: string;
  clientId: string;
  clientName: string;
  startUrl: string;
  /** Epoch ms on the emulator clock. */
  expiresAt: number;
  /** Current polling interval in seconds (grows by 5 with every slow_down). */
  interval: number;
}

/** What `requests()` lists: AWS operations, verification page hits, preflights and unknown routes. */
export type RecordedOperation = Operation | 'VerificationPage' | 'Preflight' | 'Unknown';

export interface RecordedRequest {
  operation: RecordedOperation;
  method: string;
  /** Path below the mount prefix, e.g. `/token`. */
  path: string;
  query: Record<string, string>;
  /**
   * The query string as it arrived, without the `?` (`''` when there is none): parameter order and
   * percent-encoding preserved, which `query` (decoded, last value wins) loses.
   */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON (or form) body; `undefined` when there was none or it did not parse. */
  body: unknown;
  /** Epoch ms on the emulator clock when the request arrived. */
  time: number;
  /** The response status; `0` for a dropped connection. */
  status: number;
  /** The AWS exception name of an error response, e.g. `AuthorizationPendingException`. */
  errorType?: string;
  /** Set when an injected fault answered (or delayed) the request. */
  fault?: FaultKind;
}

/** A `fetch`-compatible function that calls the emulator in-process, with no port. */
export type EmulatorFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Emulator {
  /** The one entry point: answers any request. Never throws; a handler bug becomes a 500 InternalServerException. */
  handle(request: Request, options?: HandleOptions): Promise<Response>;
  /**
   * `fetch` against the emulator in-process (relative URLs resolve against `baseUrl`). Redirects are followed;
   * a `drop` fault rejects with a `TypeError`; an aborted signal rejects with its reason.
   */
  readonly fetch: EmulatorFetch;
  readonly config: EmulatorConfig;
  /** The emulator clock, epoch ms: `now()` plus every `advance()`. */
  now(): number;
  /** Approves a pending authorization (the only pending one by default) as `user`, as the verification page does. */
  approve(input?: ApproveInput): { userCode: string; user: string };
  /** Denies a pending authorization (the only pending one by default): polls then get AccessDeniedException. */
  deny(input?: AuthorizationTarget): { userCode: string };
  /** Expires a device code now (the only pending one by default): polls then get ExpiredTokenException. */
  expire(input?: AuthorizationTarget): { userCode: string };
  /** Ends a client registration now: its calls then get InvalidClientException (401). */
  expireClient(input: { clientId: string }): void;
  /** Moves the emulator clock forward. */
  advance(seconds: number): { now: number };
  /**
   * Injects a fault into the next `count` requests for an operation (for CreateToken, optionally only those of
   * one `grantType`). Bad specs throw {@link EmulatorControlError}.
   */
  fault(spec: FaultSpec): void;
  /**
   * Forgets clients, codes, tokens, faults, recorded requests and clock offset, and drops requests still held by a
   * `delayMs` fault (their `fetch` rejects with a `TypeError`). Options and seed stay.
   */
  reset(): void;
  /**
   * What the emulator received, oldest first (at most {@link MAX_RECORDED_REQUESTS}). Control API calls are not
   * recorded. With `redact: true`, secret body members (`clientSecret`, `deviceCode`, `refreshToken`,
   * `accessToken`, `code`, `codeVerifier`) and headers (`x-amz-sso_bearer_token`, `authorization`, `cookie`) read
   * `'<redacted>'`, so the list can go into logs and snapshots.
   */
  requests(options?: { redact?: boolean }): RecordedRequest[];
  /** Device authorizations waiting for approval, oldest first. */
  pendingAuthorizations(): PendingAuthorization[];
  /**
   * Resolves with the oldest pending device authorization, or with the next one StartDeviceAuthorization creates:
   * the way to wait for the client under test to show a code, with no polling or sleeps. Rejects with the
   * signal's reason when `signal` aborts, and with an {@link EmulatorControlError} when `reset()` runs first.
   * Not on the HTTP control API (use `GET authorizations` there).
   */
  waitForAuthorization(options?: { signal?: AbortSignal }): Promise<PendingAuthorization>;
}

// ---------------------------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------------------------

/** An AWS error raised inside a handler; rendered in the shape of the operation's service. */
class ServiceFault extends Error {
  constructor(
    readonly exception: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const invalidRequest = (description: string) => new ServiceFault('InvalidRequestException', description);

interface Client {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  grantTypes: string[] | undefined;
  secretExpiresAt: number;
}

type AuthorizationStatus = 'pending' | 'approved' | 'denied' | 'exchanged';

interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  client: Client;
  startUrl: string;
  createdAt: number;
  expiresAt: number;
  interval: number;
  lastPollAt: number | undefined;
  status: AuthorizationStatus;
  user: SeedUser | undefined;
}

/** A sign-in: what portal logout ends and what the refresh token extends. */
interface Session {
  user: SeedUser;
  clientId: string;
  endsAt: number;
  ended: boolean;
  refreshToken: string | undefined;
}

interface State {
  offsetMs: number;
  clients: Map<string, Client>;
  byDeviceCode: Map<string, DeviceAuthorization>;
  byUserCode: Map<string, DeviceAuthorization>;
  accessTokens: Map<string, { session: Session; expiresAt: number }>;
  refreshTokens: Map<string, Session>;
  faults: ActiveFault[];
  records: RecordedRequest[];
}

function emptyState(): State {
  return {
    offsetMs: 0,
    clients: new Map(),
    byDeviceCode: new Map(),
    byUserCode: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    faults: [],
    records: [],
  };
}

interface AuthorizationWaiter {
  resolve(authorization: PendingAuthorization): void;
  reject(error: unknown): void;
}

/** Per-request context. */
interface Context {
  request: Request;
  url: URL;
  prefix: string;
  /** Path below the prefix, always starting with `/`. */
  path: string;
  /** `origin + prefix`: where this request was served, the base of every URL the emulator returns. */
  base: string;
  signal: AbortSignal | undefined;
  record: RecordedRequest | undefined;
}

type Body = Record<string, unknown>;

const droppedResponses = new WeakSet<Response>();

/**
 * Whether `handle()` answered with "drop the connection" (a `drop` fault or a request aborted during a delay).
 * HTTP adapters destroy the socket instead of sending it; the in-process `fetch` rejects with a `TypeError`.
 */
export function isDroppedResponse(response: Response): boolean {
  return droppedResponses.has(response);
}

function droppedResponse(): Response {
  const response = new Response(null, { status: 500 });
  droppedResponses.add(response);
  return response;
}

function wholeSeconds(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be a whole number of seconds ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function resolveConfig(options: EmulatorOptions): EmulatorConfig {
  const seed = options.seed ?? defaultSeed;
  validateSeed(seed);
  const cors = (options.cors ?? []).map((origin) => {
    if (origin === '*') return origin;
    try {
      return new URL(origin).origin;
    } catch {
      throw new TypeError(`cors entries must be origins like 'http://localhost:5173' or '*', got ${origin}`);
    }
  });
  const baseUrl = options.baseUrl ?? 'http://emulator.local';
  if (!URL.canParse(baseUrl)) throw new TypeError(`baseUrl must be an absolute URL, got ${baseUrl}`);
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new TypeError('maxBodyBytes must be a positive integer');
  const rotateRefreshTokens = options.rotateRefreshTokens ?? true;
  if (typeof rotateRefreshTokens !== 'boolean')
    throw new TypeError('rotateRefreshTokens must be true or false');
  return Object.freeze({
    interval: wholeSeconds('interval', options.interval, 1, 1),
    deviceCodeTtl: wholeSeconds('deviceCodeTtl', options.deviceCodeTtl, 600, 1),
    accessTokenTtl: wholeSeconds('accessTokenTtl', options.accessTokenTtl, 3600, 1),
    clientSecretTtl: wholeSeconds('clientSecretTtl', options.clientSecretTtl, 90 * 24 * 3600, 1),
    sessionTtl: wholeSeconds('sessionTtl', options.sessionTtl, 8 * 3600, 1),
    roleCredentialsTtl: wholeSeconds('roleCredentialsTtl', options.roleCredentialsTtl, 3600, 1),
    seed,
    cors: Object.freeze(cors),
    baseUrl,
    maxBodyBytes,
    rotateRefreshTokens,
  });
}

/** `'aws/'` → `'/aws'`; `''` and `'/'` → `''`. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Accepts `abcd-efgh`, `ABCDEFGH`, ` abcd efgh ` → `ABCD-EFGH`; anything else is returned trimmed and upper-cased. */
function normalizeUserCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]+/g, '');
  return /^[A-Z]{8}$/.test(compact)
    ? `${compact.slice(0, 4)}-${compact.slice(4)}`
    : input.trim().toUpperCase();
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function requiredString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw invalidRequest(`${name} is required`);
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  if (value === '') throw invalidRequest(`${name} must not be empty`);
  return value;
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  return value;
}

function optionalStringList(body: Body, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidRequest(`${name} must be a list of strings`);
  }
  return value;
}

/**
 * Portal `nextToken`s are standard base64 that always contains `+`, `/` and `=` (the marker bytes encode to
 * `++//`), so a client that forgets to URL-encode `next_token` gets InvalidRequestException, as with AWS.
 */
const NEXT_TOKEN_MARKER = '\xfb\xef\xff';

function encodeNextToken(text: string): string {
  let binary = NEXT_TOKEN_MARKER;
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  const padded = btoa(binary);
  return padded.endsWith('=') ? padded : btoa(`${binary} `);
}

function decodeNextToken(encoded: string): string | undefined {
  try {
    const binary = atob(encoded);
    if (!binary.startsWith(NEXT_TOKEN_MARKER)) return undefined;
    const bytes = Uint8Array.from(binary.slice(NEXT_TOKEN_MARKER.length), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).trimEnd();
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or less if any of `signals` aborts first (then resolves `'aborted'` and clears its timer). */
function sleep(ms: number, signals: readonly (AbortSignal | undefined)[]): Promise<'done' | 'aborted'> {
  return new Promise((resolve) => {
    const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    if (present.some((signal) => signal.aborted)) return resolve('aborted');
    const settle = (outcome: 'done' | 'aborted') => {
      clearTimeout(timer);
      for (const signal of present) signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => settle('aborted');
    const timer = setTimeout(() => settle('done'), ms);
    for (const signal of present) signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function isRequestLike(input: unknown): input is Request {
  return (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof URL) &&
    'url' in input &&
    'method' in input
  );
}

const REDACTED = '<redacted>';
/** Request members and headers that carry a secret (PROTOCOL.md §2, §7), blanked by `requests({ redact: true })`. */
const SECRET_MEMBERS = ['clientSecret', 'deviceCode', 'refreshToken', 'accessToken', 'code', 'codeVerifier'];
const SECRET_HEADERS = ['x-amz-sso_bearer_token', 'authorization', 'cookie'];

/** A recorded request with its secrets blanked (the record is already a copy). */
function redactRecord(entry: RecordedRequest): RecordedRequest {
  for (const name of SECRET_HEADERS) if (name in entry.headers) entry.headers[name] = REDACTED;
  const body = entry.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const members = body as Record<string, unknown>;
    for (const name of SECRET_MEMBERS) if (Object.hasOwn(members, name)) members[name] = REDACTED;
  }
  return entry;
}

function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // Same-origin framing only (the demo may embed it); no scripts at all; forms post back to this origin.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
      'referrer-policy': 'no-referrer',
    },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}

// ---------------------------------------------------------------------------------------------------------------
// createEmulator
// ---------------------------------------------------------------------------------------------------------------

/**
 * Creates an in-memory IAM Identity Center. Serve it with `startEmulator` / `createEmulatorMiddleware` (Node) or
 * call it in-process through `emulator.fetch`.
 *
 * @example
 * ```ts
 * import { createSsoOidcClient } from '@oidc-device-login/core';
 *
 * const emulator = createEmulator({ interval: 5 });
 * // No port, no network: the client's requests go to emulator.fetch, at its baseUrl.
 * const oidc = createSsoOidcClient({ endpoint: 'http://emulator.local', fetch: emulator.fetch });
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const config = resolveConfig(options);
  if (options.randomBytes !== undefined && typeof options.randomBytes !== 'function') {
    throw new TypeError('randomBytes must be a function (length) => Uint8Array');
  }
  const random = createRandom(options.randomBytes);
  const cryptoRandom = createRandom();

  /** A request id even when a caller's `randomBytes` fails: `handle()` must never throw. */
  function newRequestId(): string {
    try {
      return random.uuid();
    } catch {
      return cryptoRandom.uuid();
    }
  }
  const users = config.seed.users;
  let state = emptyState();
  /**
   * Aborted by `reset()`: requests held by a `delayMs` fault are then dropped instead of keeping a timer (and the
   * test process) alive and answering a later test from state that no longer exists.
   */
  let releaseDelays = new AbortController();
  /** Callers of `waitForAuthorization()` waiting for the next StartDeviceAuthorization. */
  const authorizationWaiters = new Set<AuthorizationWaiter>();

  const now = (): number => (options.now ? options.now() : Date.now()) + state.offsetMs;

  // -- clients and codes ----------------------------------------------------------------------------------------

  function authenticateClient(body: Body): Client {
    const clientId = requiredString(body, 'clientId');
    const clientSecret = requiredString(body, 'clientSecret');
    const client = state.clients.get(clientId);
    if (!client || client.clientSecret !== clientSecret) {
      throw new ServiceFault('InvalidClientException', 'Invalid client credentials provided');
    }
    if (now() >= client.secretExpiresAt) {
      throw new ServiceFault(
        'InvalidClientException',
        'Client credentials have expired; register the client again',
      );
    }
    return client;
  }

  function allowsGrant(client: Client, grantType: string): boolean {
    return client.grantTypes === undefined || client.grantTypes.includes(grantType);
  }

  function newUserCode(): string {
    for (;;) {
      const code = random.userCode();
      if (!state.byUserCode.has(code)) return code;
    }
  }

  function findUser(userName: string): SeedUser | undefined {
    return users.find((user) => user.userName === userName);
  }

  function displayName(user: SeedUser): string {
    return user.displayName ?? user.userName;
  }

  /** Why a user code cannot be approved right now, or the authorization if it can. */
  function checkUserCode(input: string): { authorization: DeviceAuthorization } | { error: string } {
    const authorization = state.byUserCode.get(normalizeUserCode(input));
    if (!authorization) {
      return { error: 'That code is not valid. Check the code shown by the application and try again.' };
    }
    if (authorization.status === 'exchanged' || authorization.status === 'approved') {
      return {
        error: 'This code has already been approved. Start a new sign-in in the application if needed.',
      };
    }
    if (authorization.status === 'denied') {
      return { error: 'This code has already been denied. Start a new sign-in in the application.' };
    }
    if (now() >= authorization.expiresAt) {
      return { error: 'This code has expired. Start a new sign-in in the application to get a new code.' };
    }
    return { authorization };
  }

  function findAuthorization(target: unknown, verb: string): DeviceAuthorization {
    const input = (typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>;
    if (typeof input.userCode === 'string') {
      const authorization = state.byUserCode.get(normalizeUserCode(input.userCode));
      if (!authorization)
        throw new EmulatorControlError(
          `Cannot ${verb}: no device authorization has user code ${input.userCode}`,
        );
      return authorization;
    }
    if (typeof input.deviceCode === 'string') {
      const authorization = state.byDeviceCode.get(input.deviceCode);
      // The device code is a secret: never echo it.
      if (!authorization)
        throw new EmulatorControlError(`Cannot ${verb}: no device authorization has that device code`);
      return authorization;
    }
    if (input.userCode !== undefined || input.deviceCode !== undefined) {
      throw new EmulatorControlError(`${verb} needs a string userCode ("ABCD-EFGH") or deviceCode`);
    }
    const pending = pendingList();
    if (pending.length === 1) return pending[0]!;
    throw new EmulatorControlError(
      pending.length === 0
        ? `Cannot ${verb}: no device authorization is pending; wait for StartDeviceAuthorization (waitForAuthorization()) or pass { "userCode" }`
        : `Cannot ${verb}: ${pending.length} device authorizations are pending (${pending.map((a) => a.userCode).join(', ')}); pass { "userCode" }`,
    );
  }

  /** Pending, unexpired authorizations, oldest first. */
  function pendingList(): DeviceAuthorization[] {
    const at = now();
    return [...state.byDeviceCode.values()].filter(
      (authorization) => authorization.status === 'pending' && at < authorization.expiresAt,
    );
  }

  function describePending(authorization: DeviceAuthorization): PendingAuthorization {
    return {
      userCode: authorization.userCode,
      clientId: authorization.client.clientId,
      clientName: authorization.client.clientName,
      startUrl: authorization.startUrl,
      expiresAt: authorization.expiresAt,
      interval: authorization.interval,
    };
  }

  function pendingOrThrow(target: unknown, verb: string): DeviceAuthorization {
    const authorization = findAuthorization(target, verb);
    if (authorization.status !== 'pending') {
      throw new EmulatorControlError(
        `Cannot ${verb} ${authorization.userCode}: it is already ${authorization.status}`,
      );
    }
    if (now() >= authorization.expiresAt) {
      throw new EmulatorControlError(`Cannot ${verb} ${authorization.userCode}: it has expired`);
    }
    return authorization;
  }

  // -- tokens ---------------------------------------------------------------------------------------------------

  function issueTokens(session: Session, client: Client): Body {
    const accessToken = random.token('aoa', 160);
    state.accessTokens.set(accessToken, { session, expiresAt: now() + config.accessTokenTtl * 1000 });
    const response: Body = { accessToken, tokenType: 'Bearer', expiresIn: config.accessTokenTtl };
    // Without rotation, a session keeps the refresh token it got at sign-in, and refreshes do not repeat it.
    const keepsRefreshToken = !config.rotateRefreshTokens && session.refreshToken !== undefined;
    if (client.scopes.length > 0 && allowsGrant(client, REFRESH_TOKEN_GRANT) && !keepsRefreshToken) {
      const refreshToken = random.token('aor', 160);
      // Rotation: only the newest refresh token of a session works.
      if (session.refreshToken) state.refreshTokens.delete(session.refreshToken);
      session.refreshToken = refreshToken;
      state.refreshTokens.set(refreshToken, session);
      response.refreshToken = refreshToken;
    }
    return response;
  }

  function authenticateBearer(request: Request): Session {
    const token = request.headers.get('x-amz-sso_bearer_token');
    const entry = token ? state.accessTokens.get(token) : undefined;
    if (!entry || entry.session.ended || now() >= entry.expiresAt) {
      throw new ServiceFault('UnauthorizedException', 'Session token not found or invalid');
    }
    return entry.session;
  }

  // -- SSO OIDC operations --------------------------------------------------------------------------------------

  function registerClient(body: Body): Response {
    const clientName = requiredString(body, 'clientName');
    const clientType = requiredString(body, 'clientType');
    const scopes = optionalStringList(body, 'scopes') ?? [];
    const redirectUris = optionalStringList(body, 'redirectUris');
    const grantTypes = optionalStringList(body, 'grantTypes');
    optionalString(body, 'issuerUrl');
    optionalString(body, 'entitledApplicationArn');
    if (clientType !== 'public') {
      throw new ServiceFault(
        'InvalidClientMetadataException',
        `Invalid client type ${clientType}; only public is supported`,
      );
    }
    const unknownGrant = grantTypes?.find((grant) => !KNOWN_GRANT_TYPES.includes(grant));
    if (unknownGrant !== undefined) {
      throw new ServiceFault('UnsupportedGrantTypeException', `Unsupported grant type ${unknownGrant}`);
    }
    const badRedirect = redirectUris?.find((uri) => !URL.canParse(uri));
    if (badRedirect !== undefined)
      throw new ServiceFault('InvalidRedirectUriException', `Invalid redirect URI ${badRedirect}`);
    if (scopes.some((scope) => scope.trim() === ''))
      throw new ServiceFault('InvalidScopeException', 'Scopes must not be empty');

    const issuedAt = now();
    const client: Client = {
      clientId: random.token('', 22),
      // Real secrets look like JWTs; clients must treat them as opaque.
      clientSecret: `eyJraWQiOiJlbXVsYXRvciIsImFsZyI6IkhTMzg0In0.${random.token('', 120)}.${random.token('', 64)}`,
      clientName,
      scopes,
      grantTypes,
      secretExpiresAt: issuedAt + config.clientSecretTtl * 1000,
    };
    state.clients.set(client.clientId, client);
    return jsonResponse(200, {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(issuedAt / 1000),
      clientSecretExpiresAt: Math.floor(client.secretExpiresAt / 1000),
    });
  }

  function startDeviceAuthorization(body: Body, context: Context): Response {
    const client = authenticateClient(body);
    const startUrl = requiredString(body, 'startUrl');
    if (!/^https?:\/\//i.test(startUrl) || !URL.canParse(startUrl)) {
      throw invalidRequest('startUrl must be an http(s) URL, e.g. https://d-1234567890.awsapps.com/start');
    }
    if (!allowsGrant(client, DEVICE_CODE_GRANT)) {
      throw new ServiceFault(
        'UnauthorizedClientException',
        'The client is not registered for the device code grant',
      );
    }
    const createdAt = now();
    const authorization: DeviceAuthorization = {
      deviceCode: random.token('', 86),
      userCode: newUserCode(),
      client,
      startUrl,
      createdAt,
      expiresAt: createdAt + config.deviceCodeTtl * 1000,
      interval: config.interval,
      lastPollAt: undefined,
      status: 'pending',
      user: undefined,
    };
    state.byDeviceCode.set(authorization.deviceCode, authorization);
    state.byUserCode.set(authorization.userCode, authorization);
    const waiters = [...authorizationWaiters];
    authorizationWaiters.clear();
    for (const waiter of waiters) waiter.resolve(describePending(authorization));
    const verificationUri = `${context.base}/device`;
    return jsonResponse(200, {
      deviceCode: authorization.deviceCode,
      userCode: authorization.userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(authorization.userCode)}`,
      expiresIn: config.deviceCodeTtl,
      interval: config.interval,
    });
  }

  function createToken(body: Body): Response {
    const client = authenticateClient(body);
    const grantType = requiredString(body, 'grantType');
    optionalStringList(body, 'scope'); // AWS: "This parameter has no effect", but it must still be well-typed.
    switch (grantType) {
      case DEVICE_CODE_GRANT:
        return exchangeDeviceCode(client, body);
      case REFRESH_TOKEN_GRANT:
        return refreshTokens(client, body);
      case 'authorization_code':
        throw new ServiceFault(
          'UnsupportedGrantTypeException',
          'The emulator implements the device code and refresh token grants only',
        );
      default:
        throw new ServiceFault('UnsupportedGrantTypeException', `Unsupported grant type ${grantType}`);
    }
  }

  function exchangeDeviceCode(client: Client, body: Body): Response {
    const deviceCode = requiredString(body, 'deviceCode');
    if (!allowsGrant(client, DEVICE_CODE_GRANT)) {
      throw new ServiceFault(
        'UnauthorizedClientException',
        'The client is not registered for the device code grant',
      );
    }
    const authorization = state.byDeviceCode.get(deviceCode);
    if (!authorization || authorization.client.clientId !== client.clientId) {
      throw new ServiceFault('InvalidGrantException', 'Invalid device code provided');
    }
    if (authorization.status === 'exchanged') {
      throw new ServiceFault('InvalidGrantException', 'Device code has already been exchanged for a token');
    }
    const at = now();
    if (at >= authorization.expiresAt)
      throw new ServiceFault('ExpiredTokenException', 'Device code has expired');
    // RFC 8628 §3.5: polling sooner than the interval after the previous poll → slow_down, interval += 5 s.
    const previousPoll = authorization.lastPollAt;
    authorization.lastPollAt = at;
    if (previousPoll !== undefined && at - previousPoll < authorization.interval * 1000) {
      authorization.interval += SLOW_DOWN_INCREMENT;
      throw new ServiceFault('SlowDownException', 'Client is polling too fast');
    }
    switch (authorization.status) {
      case 'pending':
        throw new ServiceFault('AuthorizationPendingException', 'Authorization is still pending');
      case 'denied':
        throw new ServiceFault('AccessDeniedException', 'The user denied the authorization request');
      case 'approved': {
        authorization.status = 'exchanged';
        const session: Session = {
          user: authorization.user!,
          clientId: client.clientId,
          endsAt: at + config.sessionTtl * 1000,
          ended: false,
          refreshToken: undefined,
        };
        return jsonResponse(200, issueTokens(session, client));
      }
      default:
        return authorization.status satisfies never;
    }
  }

  function refreshTokens(client: Client, body: Body): Response {
    const refreshToken = requiredString(body, 'refreshToken');
    if (!allowsGrant(client, REFRESH_TOKEN_GRANT)) {
      throw new ServiceFault(
        'UnauthorizedClientException',
        'The client is not registered for the refresh token grant',
      );
    }
    const session = state.refreshTokens.get(refreshToken);
    if (!session || session.clientId !== client.clientId) {
      throw new ServiceFault('InvalidGrantException', 'Invalid refresh token provided');
    }
    if (session.ended || now() >= session.endsAt) {
      state.refreshTokens.delete(refreshToken);
      throw new ServiceFault('InvalidGrantException', 'The session has ended; sign in again');
    }
    return jsonResponse(200, issueTokens(session, client));
  }

  // -- SSO portal operations ------------------------------------------------------------------------------------

  function paginate<T>(
    items: readonly T[],
    url: URL,
    kind: string,
  ): { page: T[]; nextToken: string | undefined } {
    const rawMax = url.searchParams.get('max_result');
    let max = DEFAULT_PAGE_SIZE;
    if (rawMax !== null) {
      max = /^\d{1,3}$/.test(rawMax) ? Number(rawMax) : 0;
      if (max < 1 || max > 100) throw invalidRequest('max_result must be an integer from 1 to 100');
    }
    let offset = 0;
    const rawToken = url.searchParams.get('next_token');
    if (rawToken !== null) {
      const match = /^(.*)\|(\d+)$/.exec(decodeNextToken(rawToken) ?? '');
      if (!match || match[1] !== kind || Number(match[2]) > items.length)
        throw invalidRequest('Invalid next_token');
      offset = Number(match[2]);
    }
    const end = offset + max;
    return {
      page: items.slice(offset, end),
      nextToken: end < items.length ? encodeNextToken(`${kind}|${end}`) : undefined,
    };
  }

  function assignedRoles(user: SeedUser, accountId: string): readonly string[] {
    const roles = Object.hasOwn(user.assignments, accountId) ? user.assignments[accountId] : undefined;
    if (!roles) throw new ServiceFault('ResourceNotFoundException', 'No access to the requested account');
    return roles;
  }

  function requiredQuery(url: URL, name: string): string {
    const value = url.searchParams.get(name);
    if (value === null || value === '') throw invalidRequest(`${name} is required`);
    return value;
  }

  function listAccounts(context: Context): Response {
    const { user } = authenticateBearer(context.request);
    const accounts = config.seed.accounts.filter((account) =>
      Object.hasOwn(user.assignments, account.accountId),
    );
    const { page, nextToken } = paginate(accounts, context.url, 'accounts');
    return jsonResponse(200, {
      accountList: page.map(({ accountId, accountName, emailAddress }) => ({
        accountId,
        accountName,
        emailAddress,
      })),
      ...(nextToken ? { nextToken } : {}),
    });
  }

  function listAccountRoles(context: Context): Response {
    const { user } = authenticateBearer(context.request);
    const accountId = requiredQuery(context.url, 'account_id');
    const roles = assignedRoles(user, accountId);
    const { page, nextToken } = paginate(roles, context.url, `roles:${accountId}`);
    return jsonResponse(200, {
      roleList: page.map((roleName) => ({ roleName, accountId })),
      ...(nextToken ? { nextToken } : {}),
    });
  }

  function getRoleCredentials(context: Context): Response {
    const { user } = authenticateBearer(context.request);
    const roleName = requiredQuery(context.url, 'role_name');
    const accountId = requiredQuery(context.url, 'account_id');
    if (!assignedRoles(user, accountId).includes(roleName)) {
      throw new ServiceFault('ResourceNotFoundException', 'No access to the requested role');
    }
    return jsonResponse(200, {
      roleCredentials: {
        accessKeyId: `ASIA${random.base32(16)}`,
        secretAccessKey: random.base64(40),
        sessionToken: `IQoJb3JpZ2luX2VjE${random.base64(380)}`,
        expiration: Math.floor(now() + config.roleCredentialsTtl * 1000),
      },
    });
  }

  function logout(context: Context): Response {
    const session = authenticateBearer(context.request);
    session.ended = true;
    if (session.refreshToken) state.refreshTokens.delete(session.refreshToken);
    return new Response(null, { status: 200 });
  }

  // -- routing --------------------------------------------------------------------------------------------------

  function record(context: Context, operation: RecordedOperation): RecordedRequest {
    const headers: Record<string, string> = {};
    context.request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const entry: RecordedRequest = {
      operation,
      method: context.request.method,
      path: context.path,
      query: Object.fromEntries(context.url.searchParams),
      rawQuery: context.url.search.slice(1),
      headers,
      body: undefined,
      time: now(),
      status: 0,
    };
    state.records.push(entry);
    if (state.records.length > MAX_RECORDED_REQUESTS) state.records.shift();
    context.record = entry;
    return entry;
  }

  /** The oldest pending fault for this request: same operation and, when the fault names one, same grant. */
  function takeFault(operation: Operation, body: Body): ActiveFault | undefined {
    const index = state.faults.findIndex(
      (fault) =>
        fault.operation === operation &&
        (fault.grantType === undefined || fault.grantType === body.grantType),
    );
    if (index < 0) return undefined;
    const fault = state.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining === 0) state.faults.splice(index, 1);
    return fault;
  }

  async function readJsonBody(context: Context): Promise<Body> {
    const read = await readBody(context.request, config.maxBodyBytes);
    if (!read.ok) {
      throw invalidRequest(
        read.reason === 'too-large'
          ? `The request body is larger than ${config.maxBodyBytes} bytes`
          : 'The request body could not be read',
      );
    }
    if (read.text.trim() === '') return {};
    if (mediaType(context.request) !== 'application/json') {
      throw invalidRequest('Content-Type must be application/json');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.text);
    } catch {
      throw invalidRequest('The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidRequest('The request body must be a JSON object');
    }
    if (context.record) context.record.body = parsed;
    return parsed as Body;
  }

  async function serveOperation(context: Context, operation: Operation, method: string): Promise<Response> {
    const portal = isPortalOperation(operation);
    try {
      if (context.request.method !== method) {
        throw new ServiceFault('InvalidRequestException', `${operation} is ${method} ${context.path}`, {
          allow: method,
        });
      }
      let body: Body = {};
      if (!portal) {
        body = await readJsonBody(context);
      } else if (method === 'POST') {
        // Logout: the SDK sends an empty body; still enforce the size limit.
        const read = await readBody(context.request, config.maxBodyBytes);
        if (!read.ok) throw invalidRequest('The request body is too large');
      }

      const fault = takeFault(operation, body);
      if (fault) {
        if (context.record) context.record.fault = faultKind(fault);
        if (
          fault.delayMs > 0 &&
          (await sleep(fault.delayMs, [context.signal, releaseDelays.signal])) === 'aborted'
        )
          return droppedResponse();
        if (fault.drop) return droppedResponse();
        const response = faultResponse(fault);
        if (response) {
          if (context.record && fault.error) context.record.errorType = fault.error.name;
          return response;
        }
      }

      switch (operation) {
        case 'RegisterClient':
          return registerClient(body);
        case 'StartDeviceAuthorization':
          return startDeviceAuthorization(body, context);
        case 'CreateToken':
          return createToken(body);
        case 'ListAccounts':
          return listAccounts(context);
        case 'ListAccountRoles':
          return listAccountRoles(context);
        case 'GetRoleCredentials':
          return getRoleCredentials(context);
        case 'Logout':
          return logout(context);
        default:
          return operation satisfies never;
      }
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error;
      if (context.record) context.record.errorType = error.exception;
      const response = portal
        ? portalErrorResponse(error.exception, error.description)
        : oidcErrorResponse(error.exception, error.description);
      for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
      return response;
    }
  }

  async function readForm(context: Context): Promise<URLSearchParams | undefined> {
    const read = await readBody(context.request, config.maxBodyBytes);
    if (!read.ok || mediaType(context.request) !== 'application/x-www-form-urlencoded') return undefined;
    const form = new URLSearchParams(read.text);
    if (context.record) context.record.body = Object.fromEntries(form);
    return form;
  }

  function wrongMethod(context: Context, allowed: string): Response {
    const response = oidcErrorResponse('InvalidRequestException', `Use ${allowed} for ${context.path}`);
    response.headers.set('allow', allowed);
    return response;
  }

  async function servePage(context: Context): Promise<Response> {
    const { request, path, url, prefix } = context;
    const devicePath = `${prefix}/device`;
    const confirmPath = `${devicePath}/confirm`;
    const entryPage = (status: number, userCode: string, error?: string) =>
      htmlResponse(
        status,
        renderCodeEntryPage({ action: devicePath, userCode, ...(error ? { error } : {}) }),
      );
    const confirmPage = (status: number, authorization: DeviceAuthorization, error?: string) =>
      htmlResponse(
        status,
        renderConfirmPage({
          action: confirmPath,
          userCode: authorization.userCode,
          clientName: authorization.client.clientName,
          startUrl: authorization.startUrl,
          users: users.map((user) => ({ userName: user.userName, displayName: displayName(user) })),
          ...(error ? { error } : {}),
        }),
      );
    const confirmLocation = (userCode: string) => `${confirmPath}?user_code=${encodeURIComponent(userCode)}`;

    if (path === '/') return request.method === 'GET' ? redirect(devicePath) : wrongMethod(context, 'GET');

    if (path === '/device') {
      if (request.method === 'GET') return entryPage(200, url.searchParams.get('user_code') ?? '');
      if (request.method !== 'POST') return wrongMethod(context, 'GET, POST');
      const form = await readForm(context);
      const entered = form?.get('user_code') ?? '';
      if (!form) return entryPage(400, entered, 'The form could not be read. Please try again.');
      if (entered.trim() === '') return entryPage(400, entered, 'Enter the code shown by the application.');
      const check = checkUserCode(entered);
      return 'error' in check
        ? entryPage(400, entered, check.error)
        : redirect(confirmLocation(check.authorization.userCode));
    }

    if (path === '/device/confirm') {
      if (request.method === 'GET') {
        const code = url.searchParams.get('user_code') ?? '';
        const check = checkUserCode(code);
        return 'error' in check ? entryPage(400, code, check.error) : confirmPage(200, check.authorization);
      }
      if (request.method !== 'POST') return wrongMethod(context, 'GET, POST');
      const form = await readForm(context);
      const code = form?.get('user_code') ?? '';
      if (!form) return entryPage(400, code, 'The form could not be read. Please try again.');
      const check = checkUserCode(code);
      if ('error' in check) return entryPage(400, code, check.error);
      const { authorization } = check;
      const action = form.get('action');
      if (action === 'deny') {
        authorization.status = 'denied';
        return redirect(`${devicePath}/done?outcome=denied`);
      }
      if (action !== 'allow') return confirmPage(400, authorization, 'Choose Allow access or Deny.');
      const user = findUser(form.get('user') ?? '');
      if (!user) return confirmPage(400, authorization, 'Choose who to sign in as.');
      authorization.status = 'approved';
      authorization.user = user;
      return redirect(`${devicePath}/done?outcome=approved`);
    }

    if (path === '/device/done') {
      if (request.method !== 'GET') return wrongMethod(context, 'GET');
      const outcome = url.searchParams.get('outcome');
      return outcome === 'approved' || outcome === 'denied'
        ? htmlResponse(200, renderResultPage(outcome))
        : redirect(devicePath);
    }

    return unknownOperationResponse(`No route for ${request.method} ${path}`);
  }

  async function serveControl(context: Context): Promise<Response> {
    const name = context.path.slice(CONTROL_PREFIX.length + 1);
    const routes: Record<string, { method: 'GET' | 'POST'; run: (input: unknown) => unknown }> = {
      approve: { method: 'POST', run: (input) => emulator.approve(input as ApproveInput) },
      deny: { method: 'POST', run: (input) => emulator.deny(input as AuthorizationTarget) },
      expire: { method: 'POST', run: (input) => emulator.expire(input as AuthorizationTarget) },
      'expire-client': {
        method: 'POST',
        run: (input) => emulator.expireClient(input as { clientId: string }),
      },
      advance: { method: 'POST', run: (input) => emulator.advance((input as { seconds: number }).seconds) },
      fault: { method: 'POST', run: (input) => emulator.fault(input as FaultSpec) },
      reset: { method: 'POST', run: () => emulator.reset() },
      requests: {
        method: 'GET',
        run: () => {
          const redact = context.url.searchParams.get('redact');
          return emulator.requests({ redact: redact !== null && redact !== 'false' && redact !== '0' });
        },
      },
      authorizations: { method: 'GET', run: () => emulator.pendingAuthorizations() },
    };
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (!route) {
      return jsonResponse(404, {
        message: `Unknown control endpoint "${name}". Use one of: ${Object.keys(routes).join(', ')}`,
      });
    }
    if (context.request.method !== route.method) {
      return jsonResponse(
        405,
        { message: `Use ${route.method} for ${CONTROL_PREFIX}/${name}` },
        { allow: route.method },
      );
    }
    let input: unknown = {};
    if (route.method === 'POST') {
      // A cross-site page can POST text/plain or a form without a CORS preflight; JSON needs one it would fail.
      if (!/^application\/json\s*(;|$)/i.test(context.request.headers.get('content-type') ?? '')) {
        return jsonResponse(415, {
          message: 'Control requests take a JSON body sent with "content-type: application/json"',
        });
      }
      const read = await readBody(context.request, config.maxBodyBytes);
      if (!read.ok) return jsonResponse(400, { message: 'The request body is too large or unreadable' });
      if (read.text.trim() !== '') {
        try {
          input = JSON.parse(read.text);
        } catch {
          return jsonResponse(400, { message: 'Control requests take a JSON body' });
        }
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return jsonResponse(400, { message: 'Control requests take a JSON object' });
      }
    }
    try {
      return jsonResponse(200, route.run(input) ?? { ok: true });
    } catch (error) {
      if (error instanceof EmulatorControlError) return jsonResponse(400, { message: error.message });
      throw error;
    }
  }

  function corsOrigin(request: Request): string | undefined {
    const origin = request.headers.get('origin');
    if (!origin || config.cors.length === 0) return undefined;
    if (config.cors.includes('*')) return '*';
    return config.cors.includes(origin) ? origin : undefined;
  }

  async function route(context: Context, allowedOrigin: string | undefined): Promise<Response> {
    const { request, path } = context;
    if (
      request.method === 'OPTIONS' &&
      allowedOrigin &&
      request.headers.has('access-control-request-method')
    ) {
      record(context, 'Preflight');
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers':
            'content-type, x-amz-sso_bearer_token, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request',
          'access-control-max-age': '600',
        },
      });
    }
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return serveControl(context);
    const operationRoute = Object.hasOwn(OPERATION_ROUTES, path) ? OPERATION_ROUTES[path] : undefined;
    if (operationRoute) {
      record(context, operationRoute.operation);
      return serveOperation(context, operationRoute.operation, operationRoute.method);
    }
    if (path === '/' || path === '/device' || path.startsWith('/device/')) {
      record(context, 'VerificationPage');
      return servePage(context);
    }
    record(context, 'Unknown');
    if (context.record) context.record.errorType = 'UnknownOperationException';
    return unknownOperationResponse(`No operation at ${request.method} ${path}`);
  }

  async function handleWith(
    request: Request,
    prefixOption: string,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const requestId = newRequestId();
    let response: Response;
    let context: Context | undefined;
    let allowedOrigin: string | undefined;
    try {
      const url = new URL(request.url);
      const prefix = normalizePrefix(prefixOption);
      allowedOrigin = corsOrigin(request);
      const underPrefix = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
      if (!underPrefix) {
        response = unknownOperationResponse(`${url.pathname} is outside the emulator's mount path ${prefix}`);
      } else {
        context = {
          request,
          url,
          prefix,
          path: url.pathname.slice(prefix.length) || '/',
          base: `${url.origin}${prefix}`,
          signal,
          record: undefined,
        };
        response = await route(context, allowedOrigin);
      }
    } catch {
      // A bug in the emulator must still look like AWS to the client, and never crash a server.
      response = oidcErrorResponse('InternalServerException', 'The emulator failed to handle the request');
      if (context?.record) context.record.errorType = 'InternalServerException';
    }
    if (context?.record) context.record.status = droppedResponses.has(response) ? 0 : response.status;
    if (droppedResponses.has(response)) return response;
    response.headers.set('x-amzn-requestid', requestId);
    if (allowedOrigin) {
      response.headers.set('access-control-allow-origin', allowedOrigin);
      response.headers.set('access-control-expose-headers', 'x-amzn-ErrorType, x-amzn-RequestId');
      if (allowedOrigin !== '*') response.headers.append('vary', 'Origin');
    }
    return response;
  }

  const fetch: EmulatorFetch = async (input, init) => {
    const signal = init?.signal ?? (isRequestLike(input) ? input.signal : undefined) ?? undefined;
    if (signal?.aborted) throw abortReason(signal);
    // The signal is kept out of `new Request` on purpose: a signal from another realm (jsdom) would make it throw.
    const { signal: _signal, ...rest } = init ?? {};
    let request = isRequestLike(input)
      ? new Request(input, rest)
      : new Request(new URL(input, config.baseUrl), rest);
    for (let redirects = 0; ; redirects += 1) {
      const response = await handleWith(request, '', signal);
      if (signal?.aborted) throw abortReason(signal);
      if (droppedResponses.has(response)) {
        throw new TypeError('Failed to fetch', {
          cause: new Error('The emulator dropped the connection (fault injection)'),
        });
      }
      const location = response.headers.get('location');
      if (!location || ![301, 302, 303].includes(response.status) || request.redirect === 'manual')
        return response;
      if (request.redirect === 'error' || redirects >= 20) {
        throw new TypeError('Failed to fetch', {
          cause: new Error('Redirect not allowed or too many redirects'),
        });
      }
      const headers = new Headers(request.headers);
      for (const name of ['content-type', 'content-length']) headers.delete(name);
      request = new Request(new URL(location, request.url), {
        method: 'GET',
        headers,
        redirect: request.redirect,
      });
    }
  };

  const emulator: Emulator = {
    config,
    fetch,
    now,
    handle: (request, handleOptions) => handleWith(request, handleOptions?.prefix ?? '', request.signal),

    approve(input = {}) {
      const authorization = pendingOrThrow(input, 'approve');
      const userName = (input as { user?: unknown }).user;
      if (userName !== undefined && typeof userName !== 'string')
        throw new EmulatorControlError('user must be a userName string');
      const user = userName === undefined ? users[0]! : findUser(userName);
      if (!user) {
        throw new EmulatorControlError(
          `Cannot approve: unknown user ${userName}; seeded users are ${users.map((u) => u.userName).join(', ')}`,
        );
      }
      authorization.status = 'approved';
      authorization.user = user;
      return { userCode: authorization.userCode, user: user.userName };
    },

    deny(input = {}) {
      const authorization = pendingOrThrow(input, 'deny');
      authorization.status = 'denied';
      return { userCode: authorization.userCode };
    },

    expire(input = {}) {
      const authorization = findAuthorization(input, 'expire');
      if (authorization.status === 'exchanged') {
        throw new EmulatorControlError(
          `Cannot expire ${authorization.userCode}: it was already exchanged for a token`,
        );
      }
      authorization.expiresAt = Math.min(authorization.expiresAt, now());
      return { userCode: authorization.userCode };
    },

    expireClient(input) {
      const clientId = (input as { clientId?: unknown } | null)?.clientId;
      if (typeof clientId !== 'string')
        throw new EmulatorControlError('expireClient needs { "clientId": "…" }');
      const client = state.clients.get(clientId);
      if (!client) throw new EmulatorControlError(`Cannot expire client ${clientId}: no such registration`);
      client.secretExpiresAt = Math.min(client.secretExpiresAt, now());
    },

    advance(seconds) {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        throw new EmulatorControlError('advance needs a non-negative number of seconds');
      }
      state.offsetMs += seconds * 1000;
      return { now: now() };
    },

    fault(spec) {
      state.faults.push(parseFaultSpec(spec));
    },

    reset() {
      state = emptyState();
      releaseDelays.abort();
      releaseDelays = new AbortController();
      const waiters = [...authorizationWaiters];
      authorizationWaiters.clear();
      for (const waiter of waiters) {
        waiter.reject(
          new EmulatorControlError('The emulator was reset while waiting for a device authorization'),
        );
      }
    },

    requests(requestOptions) {
      const copy = structuredClone(state.records);
      return requestOptions?.redact ? copy.map(redactRecord) : copy;
    },

    pendingAuthorizations() {
      return pendingList().map(describePending);
    },

    waitForAuthorization(waitOptions) {
      const signal = waitOptions?.signal;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const oldest = pendingList()[0];
      if (oldest) return Promise.resolve(describePending(oldest));
      return new Promise<PendingAuthorization>((resolve, reject) => {
        const onAbort = () => {
          authorizationWaiters.delete(waiter);
          reject(abortReason(signal!));
        };
        const waiter: AuthorizationWaiter = {
          resolve: (authorization) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(authorization);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        authorizationWaiters.add(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return emulator;
}
