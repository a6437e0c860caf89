/**
 * Timestamps in `~/.aws/sso/cache` files.
 *
 * Writers seen in the wild:
 * - AWS CLI v2 / botocore today: `strftime('%Y-%m-%dT%H:%M:%SZ')` → `2024-01-02T03:04:05Z`.
 * - botocore's `JSONFileCache` default serialiser (used for the SSO cache by older CLI versions):
 *   `strftime('%Y-%m-%dT%H:%M:%S%Z')` on a `tzutc()` datetime → `2024-01-02T03:04:05UTC`.
 * - The same serialiser with `iso=True`, i.e. `datetime.isoformat()` → `2024-01-02T03:04:05.678000+00:00`.
 * - The JS SDK (`@aws-sdk/token-providers`): `Date.prototype.toISOString()` → `2024-01-02T03:04:05.678Z`.
 */

/** The largest epoch ms whose year still has four digits, the only form `%Y` and {@link formatAwsCliTimestamp} share. */
export const MAX_AWS_CLI_TIMESTAMP = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Formats epoch ms as botocore does (`%Y-%m-%dT%H:%M:%SZ`, UTC). Milliseconds are truncated, as `strftime`
 * truncates microseconds, so an expiry is never written later than it is.
 */
export function formatAwsCliTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs < 0 || epochMs > MAX_AWS_CLI_TIMESTAMP) {
    throw new RangeError(`${epochMs} is not an epoch ms between 1970 and 9999`);
  }
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(?:([Zz]|UTC|GMT)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses any of the forms above (and any other `±HH:MM` / `±HHMM` offset) to epoch ms. A timestamp without a zone
 * is taken as UTC: every known writer means UTC. Returns `undefined` for anything else, including impossible
 * dates such as February 30.
 */
export function parseAwsCliTimestamp(value: string): number | undefined {
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, , sign, offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  // Date rolls invalid days over (Feb 30 → Mar 1); a rolled date is not the one written.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  let offset = 0;
  if (sign !== undefined) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return date.getTime() - offset;
}
