import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../node/pythonJsonDumps.ts';

// Every expected string below is CPython 3.11's `json.dumps` output for the same value.
describe('pythonJsonDumps', () => {
  it('uses Python separators and sorts keys when asked', () => {
    const value = { tool: 'botocore', region: 'us-east-1', scopes: ['a', 'b'], session_name: null };
    expect(pythonJsonDumps(value, { sortKeys: true })).toBe(
      '{"region": "us-east-1", "scopes": ["a", "b"], "session_name": null, "tool": "botocore"}',
    );
    expect(pythonJsonDumps(value)).toBe(
      '{"tool": "botocore", "region": "us-east-1", "scopes": ["a", "b"], "session_name": null}',
    );
    expect(pythonJsonDumps({ a: [], b: {}, c: true, d: false, e: 12, f: undefined })).toBe(
      '{"a": [], "b": {}, "c": true, "d": false, "e": 12}',
    );
  });

  it('escapes like ensure_ascii=True', () => {
    // json.dumps({'a': 'é😀\u2028\x7f\x00"\\/\n\r\t\b\f\x1f~ '})
    expect(pythonJsonDumps({ a: 'é😀\u2028\u007f\u0000"\\/\n\r\t\b\f\u001f~ ' })).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\u2028\\u007f\\u0000\\"\\\\/\\n\\r\\t\\b\\f\\u001f~ "}',
    );
  });

  it('sorts keys by code point, as Python does', () => {
    // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 code unit.
    expect(pythonJsonDumps({ '😀': 1, '～': 2, B: 3, a: 4 }, { sortKeys: true })).toBe(
      '{"B": 3, "a": 4, "\\uff5e": 2, "\\ud83d\\ude00": 1}',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => pythonJsonDumps({ a: Number.NaN })).toThrow(TypeError);
    expect(() => pythonJsonDumps({ a: 1n })).toThrow(TypeError);
  });
});
