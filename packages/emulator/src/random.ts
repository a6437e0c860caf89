/**
 * Random identifiers (codes, tokens, secrets, request ids) from a byte source: `crypto.getRandomValues` by default,
 * which (unlike `crypto.randomUUID`) also works in insecure browser contexts such as a demo served over a LAN
 * address. A seeded source makes every value reproducible, for snapshot and differential tests.
 */

/** Returns `length` random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

/** The default source: Web Crypto. */
export const cryptoRandomBytes: RandomBytes = (length) =>
  globalThis.crypto.getRandomValues(new Uint8Array(length));

/**
 * The RFC 8628 §6.1 example alphabet: 20 consonants, no vowels (no accidental words) and none of the easily
 * confused I, L (vs 1), O (vs 0), U/V.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The identifier generators the emulator uses, all drawing from one byte source. */
export interface Random {
  /** An opaque token: `prefix` followed by `length` base64url characters. */
  token(prefix: string, length: number): string;
  /**
   * Standard base64 characters, the alphabet of AWS secret access keys and session tokens. Never starts with `-`
   * (as base64url may), which a CLI such as `aws configure set` would take for an option.
   */
  base64(length: number): string;
  /** Uppercase base32, the alphabet of AWS access key ids. */
  base32(length: number): string;
  /** `ABCD-EFGH`: 8 letters from {@link USER_CODE_ALPHABET} with a dash in the middle. */
  userCode(): string;
  /** An RFC 9562 version 4 UUID, as AWS uses for `x-amzn-RequestId`. */
  uuid(): string;
}

export function createRandom(source: RandomBytes = cryptoRandomBytes): Random {
  const bytes = (length: number): Uint8Array => {
    const result = source(length);
    // A caller-supplied source that returns too little would make rejection sampling spin forever.
    if (!(result instanceof Uint8Array) || result.length !== length) {
      throw new TypeError(`randomBytes(${length}) must return a Uint8Array of ${length} bytes`);
    }
    return result;
  };

  /** Uniformly random characters from `alphabet` (rejection sampling, so no modulo bias). */
  const string = (alphabet: string, length: number): string => {
    const limit = 256 - (256 % alphabet.length);
    let out = '';
    while (out.length < length) {
      for (const byte of bytes(length * 2)) {
        if (byte < limit) out += alphabet[byte % alphabet.length];
        if (out.length === length) break;
      }
    }
    return out;
  };

  return {
    token: (prefix, length) => prefix + string(BASE64URL, length),
    base64: (length) => string(BASE64, length),
    base32: (length) => string(BASE32, length),
    userCode() {
      const letters = string(USER_CODE_ALPHABET, 8);
      return `${letters.slice(0, 4)}-${letters.slice(4)}`;
    },
    uuid() {
      const uuid = bytes(16).slice();
      uuid[6] = (uuid[6]! & 0x0f) | 0x40;
      uuid[8] = (uuid[8]! & 0x3f) | 0x80;
      const hex = Array.from(uuid, (b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}
