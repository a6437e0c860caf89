/**
 * Deletes the members of `value` that are `undefined` (in place) and returns it: optional members are then absent,
 * as in what the AWS SDK returns, rather than present with no value.
 */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key in value) if (value[key] === undefined) delete value[key];
  return value;
}
