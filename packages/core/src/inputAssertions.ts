/**
 * Checks of caller input, run before any request. Each throws an {@link InvalidArgumentError} that names the
 * member and says what to pass. Messages describe the kind of value received, never the value: callers pass
 * secrets (client secret, device code, tokens) through these. Callers may be plain JavaScript, so nothing here
 * trusts the TypeScript types.
 */
import { describeType } from './describeType.ts';
import { InvalidArgumentError } from './errors.ts';

/** The input object itself. */
export function inputObject(value: unknown, argument: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `must be an object (got ${describeType(value)})`);
  }
  return value as Record<string, unknown>;
}

/** A required string with at least one non-space character. `hint` says where the value comes from. */
export function requiredString(value: unknown, argument: string, hint = ''): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(
      argument,
      `is required: a non-empty string${hint ? ` (${hint})` : ''} (got ${describeType(value)})`,
    );
  }
  return value;
}

/** An optional string: `undefined` and `null` both mean "not set" and are omitted from the request. */
export function optionalString(value: unknown, argument: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requiredString(value, argument);
}

/** An optional array of non-empty strings (`null` means "not set"). */
export function optionalStringArray(value: unknown, argument: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `must be an array of strings (got ${describeType(value)})`);
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new InvalidArgumentError(
        `${argument}[${index}]`,
        `must be a non-empty string (got ${describeType(item)})`,
      );
    }
  });
  return [...value];
}

/** An optional integer within `[min, max]` (`null` means "not set"). */
export function optionalInteger(
  value: unknown,
  argument: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      argument,
      `must be an integer from ${min} to ${max} (got ${describeType(value)})`,
    );
  }
  return value;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A required absolute URL. With `https: true`, only https is accepted, except on loopback hosts (127.0.0.1,
 * localhost, [::1]) where http is allowed so the emulator and local tests work.
 */
export function requiredUrl(
  value: unknown,
  argument: string,
  options: { https: boolean; example: string },
): string {
  const text = requiredString(value, argument, `an absolute URL such as ${options.example}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(argument, `must be an absolute URL such as ${options.example}`);
  }
  const secure = url.protocol === 'https:';
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (options.https ? !(secure || loopbackHttp) : !(secure || url.protocol === 'http:')) {
    throw new InvalidArgumentError(
      argument,
      options.https
        ? `must be an https URL such as ${options.example} (http is allowed only for 127.0.0.1, localhost and [::1]; got ${url.protocol})`
        : `must be an http(s) URL such as ${options.example} (got ${url.protocol})`,
    );
  }
  return text;
}
