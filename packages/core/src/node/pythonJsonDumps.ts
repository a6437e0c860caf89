/**
 * Python's `json.dumps` with its default options (`ensure_ascii=True`, separators `", "` and `": "`), and
 * optionally `sort_keys=True`.
 *
 * botocore names its registration cache file after the SHA-1 of `json.dumps(args, sort_keys=True)`, so the bytes
 * must be Python's, not `JSON.stringify`'s: a space after every `,` and `:`, every character outside printable
 * ASCII escaped as lowercase `\uXXXX` (astral characters as a surrogate pair, DEL `\u007f` included), and the
 * short escapes `\" \\ \n \r \t \b \f`. `/` is not escaped.
 *
 * Strings, `null`, booleans, arrays and plain objects come out byte-identical to CPython. Integers too; other
 * numbers use JavaScript's shortest form (`1e-7` where Python writes `1e-07`), which parses to the same value.
 * Object members whose value is `undefined` are skipped, as `JSON.stringify` does.
 */
export function pythonJsonDumps(value: unknown, options: { sortKeys?: boolean } = {}): string {
  return dump(value, options.sortKeys === true);
}

function dump(value: unknown, sortKeys: boolean): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Python would write NaN / Infinity, which no JSON parser (JSON.parse included) accepts.
      if (!Number.isFinite(value)) throw new TypeError(`Cannot serialise ${value} as JSON`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => dump(item, sortKeys)).join(', ')}]`;
      const entries = Object.entries(value).filter(([, member]) => member !== undefined);
      if (sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
      return `{${entries.map(([key, member]) => `${pythonJsonString(key)}: ${dump(member, sortKeys)}`).join(', ')}}`;
    }
    default:
      throw new TypeError(`Cannot serialise a ${typeof value} as JSON`);
  }
}

const SHORT_ESCAPES: Record<number, string> = {
  34: '\\"',
  92: '\\\\',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  8: '\\b',
  12: '\\f',
};

/** CPython's `encode_basestring_ascii`: escapes everything outside `' '..'~'`, per UTF-16 code unit. */
function pythonJsonString(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    const short = SHORT_ESCAPES[unit];
    if (short !== undefined) out += short;
    else if (unit >= 0x20 && unit <= 0x7e) out += value[index];
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Python sorts `str` keys by code point; JavaScript's default sort compares UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (char) => char.codePointAt(0) ?? 0);
  const right = Array.from(b, (char) => char.codePointAt(0) ?? 0);
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
