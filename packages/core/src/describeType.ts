/**
 * What kind of value this is, for error messages that must not quote values (they may be secrets):
 * `undefined`, `null`, `an array`, `an empty string`, `a string`, `a number`, `NaN`…
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return 'an infinite number';
    return Number.isInteger(value) ? 'a number' : 'a fractional number';
  }
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
