/**
 * Field-by-field checks of server responses (model: oauth4webapi's `assertString`/`assertNumber`). Each throws a
 * {@link ProtocolError} coded `invalid_response` (or `unsafe_url`) naming the operation and the member. The body
 * is never quoted nor attached as `cause`: it holds secrets (client secret, tokens, role credentials).
 */
import { describeType } from './describeType.ts';
import { ProtocolError } from './errors.ts';
import { webPageUrlProblem } from './webPageUrlProblem.ts';

/** Where the response came from, for messages and error fields. */
export interface ResponseContext {
  readonly operation: string;
  readonly status: number;
  readonly requestId: string | undefined;
}

type Json = Readonly<Record<string, unknown>>;

/**
 * Throws unless `ok`: `<Operation> response: member "<member>" must be <expected> (got <what was sent>)`, where
 * what was sent is a kind of value (`a string`, `null`…), never the value.
 */
function check(
  ok: boolean,
  context: ResponseContext,
  member: string,
  expected: string,
  value: unknown,
  got = value === 0 ? '0' : describeType(value),
  code: 'invalid_response' | 'unsafe_url' = 'invalid_response',
): void {
  if (!ok) {
    throw new ProtocolError(
      `${context.operation} response: member "${member}" must be ${expected} (got ${got})`,
      {
        status: context.status,
        requestId: context.requestId,
        code,
      },
    );
  }
}

/** A required non-empty string. */
export function readString(context: ResponseContext, object: Json, key: string, path = key): string {
  const value = object[key];
  check(typeof value === 'string' && value !== '', context, path, 'a non-empty string', value);
  return value as string;
}

/** An optional string: absent and `null` give `undefined` (the SDK drops nulls too). */
export function readOptionalString(
  context: ResponseContext,
  object: Json,
  key: string,
  path = key,
): string | undefined {
  const value = object[key];
  if (value == null) return undefined;
  check(typeof value === 'string', context, path, 'a string when present', value);
  return value as string;
}

const isWhole = (value: unknown, min: number): value is number =>
  Number.isInteger(value) && (value as number) >= min;

/** A positive integer (seconds: `expiresIn`, `interval`). */
export function readPositiveInteger(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key];
  check(isWhole(value, 1), context, path, 'a positive integer', value);
  return value as number;
}

// Epoch seconds stay below 1e11 until the year 5138 and epoch milliseconds stay above it after 1973: a value on
// the wrong side was sent in the wrong unit, which would silently shift an expiry by a factor of 1000.
const UNIT_BOUNDARY = 1e11;

/** Epoch seconds (Smithy `long`: `clientIdIssuedAt`, `clientSecretExpiresAt`). */
export function readEpochSeconds(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key] as number;
  check(isWhole(value, 0), context, path, 'a non-negative integer of epoch seconds', value);
  check(value < UNIT_BOUNDARY, context, path, 'epoch seconds', value, 'a value that looks like milliseconds');
  return value;
}

/** Epoch milliseconds (`roleCredentials.expiration`). */
export function readEpochMillis(context: ResponseContext, object: Json, key: string, path = key): number {
  const value = object[key] as number;
  check(isWhole(value, 0), context, path, 'a non-negative integer of epoch milliseconds', value);
  check(
    value >= UNIT_BOUNDARY,
    context,
    path,
    'epoch milliseconds',
    value,
    'a value that looks like seconds',
  );
  return value;
}

/**
 * A URL meant for a browser (`verificationUri`): it must be http(s) and read as where it leads
 * ({@link webPageUrlProblem}). Anything else (`javascript:`, `data:`, a custom scheme, a relative path, user info,
 * hidden characters) is refused with code `unsafe_url`, since the UI shows it and turns it into a link.
 */
export function readHttpUrl(context: ResponseContext, object: Json, key: string): string {
  const text = readString(context, object, key);
  const problem = webPageUrlProblem(text);
  check(problem === undefined, context, key, 'an absolute http(s) URL', text, problem, 'unsafe_url');
  return text;
}

/** An optional {@link readHttpUrl}: absent and `null` give `undefined`. */
export function readOptionalHttpUrl(context: ResponseContext, object: Json, key: string): string | undefined {
  return object[key] == null ? undefined : readHttpUrl(context, object, key);
}

const isJsonObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A required JSON object member. */
export function readObject(context: ResponseContext, object: Json, key: string, path = key): Json {
  const value = object[key];
  check(isJsonObject(value), context, path, 'an object', value);
  return value as Json;
}

/** An array of JSON objects; absent or `null` gives `[]` (a page with nothing on it). */
export function readObjectList(context: ResponseContext, object: Json, key: string): Json[] {
  const value = object[key];
  if (value == null) return [];
  check(Array.isArray(value), context, key, 'an array', value);
  return (value as unknown[]).map((_, index) =>
    readObject(context, value as Json, String(index), `${key}[${index}]`),
  );
}
