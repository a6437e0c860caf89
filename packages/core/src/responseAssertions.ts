/**
 * Field-by-field checks of server responses (model: oauth4webapi's `assertString`/`assertNumber`). Each throws a
 * {@link ProtocolError} coded `invalid_response` (or `unsafe_url`) naming the operation and the member. The body
 * is never quoted nor attached as `cause`: it holds secrets (client secret, tokens, role credentials).
 */
import { describeType } from './describeType.ts';
import { ProtocolError } from './errors.ts';

/** Where the response came from, for messages and error fields. */
export interface ResponseContext {
  readonly operation: string;
  readonly status: number;
  readonly requestId: string | undefined;
}

type Json = Readonly<Record<string, unknown>>;

function fail(context: ResponseContext, member: string, problem: string, code?: 'unsafe_url'): never {
  throw new ProtocolError(`${context.operation} response: member "${member}" ${problem}`, {
    status: context.status,
    requestId: context.requestId,
    code: code ?? 'invalid_response',
  });
}

/** A required non-empty string. */
export function readString(context: ResponseContext, object: Json, key: string, path = key): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    fail(context, path, `must be a non-empty string (got ${describeType(value)})`);
  }
  return value;
}

/** An optional string: absent and `null` give `undefined` (the SDK drops nulls too). */
export function readOptionalString(
  context: ResponseContext,
  object: Json,
  key: string,
  path = key,
): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    fail(context, path, `must be a string when present (got ${describeType(value)})`);
  return value;
}

/** A positive integer (seconds: `expiresIn`, `interval`). */
export function readPositiveInteger(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(context, path, `must be a positive integer (got ${value === 0 ? '0' : describeType(value)})`);
  }
  return value;
}

// Epoch seconds stay below 1e11 until the year 5138 and epoch milliseconds stay above it after 1973: a value on
// the wrong side was sent in the wrong unit, which would silently shift an expiry by a factor of 1000.
const UNIT_BOUNDARY = 1e11;

/** Epoch seconds (Smithy `long`: `clientIdIssuedAt`, `clientSecretExpiresAt`). */
export function readEpochSeconds(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(context, path, `must be a non-negative integer of epoch seconds (got ${describeType(value)})`);
  }
  if (value >= UNIT_BOUNDARY)
    fail(context, path, 'must be epoch seconds (got a value that looks like milliseconds)');
  return value;
}

/** Epoch milliseconds (`roleCredentials.expiration`). */
export function readEpochMillis(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(context, path, `must be a non-negative integer of epoch milliseconds (got ${describeType(value)})`);
  }
  if (value < UNIT_BOUNDARY)
    fail(context, path, 'must be epoch milliseconds (got a value that looks like seconds)');
  return value;
}

/**
 * A URL meant for a browser (`verificationUri`): it must be http(s). Anything else (`javascript:`, `data:`, a
 * custom scheme, a relative path) is refused with code `unsafe_url`, since the UI turns it into a link.
 */
export function readHttpUrl(context: ResponseContext, object: Json, key: string): string {
  const text = readString(context, object, key);
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    return fail(
      context,
      key,
      'must be an absolute http(s) URL (got a string that is not a URL)',
      'unsafe_url',
    );
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    fail(context, key, `must be an http(s) URL (got a ${protocol} URL)`, 'unsafe_url');
  }
  return text;
}

/** An optional {@link readHttpUrl}: absent and `null` give `undefined`. */
export function readOptionalHttpUrl(context: ResponseContext, object: Json, key: string): string | undefined {
  const value = object[key];
  return value === undefined || value === null ? undefined : readHttpUrl(context, object, key);
}

/** A required JSON object member. */
export function readObject(context: ResponseContext, object: Json, key: string, path = key): Json {
  const value = object[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(context, path, `must be an object (got ${describeType(value)})`);
  }
  return value as Json;
}

/** An array of JSON objects; absent or `null` gives `[]` (a page with nothing on it). */
export function readObjectList(context: ResponseContext, object: Json, key: string): Json[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(context, key, `must be an array (got ${describeType(value)})`);
  return value.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      fail(context, `${key}[${index}]`, `must be an object (got ${describeType(item)})`);
    }
    return item as Json;
  });
}
