/**
 * Random identifiers from `crypto.getRandomValues`, which (unlike `crypto.randomUUID`) also works in insecure
 * browser contexts such as a demo served over a LAN address.
 */

/**
 * The RFC 8628 §6.1 example alphabet: 20 consonants, no vowels (no accidental words) and none of the easily
 * confused I, L (vs 1), O (vs 0), U/V.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** Uniformly random characters from `alphabet` (rejection sampling, so no modulo bias). */
export function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** An opaque token: `prefix` followed by `length` base64url characters. */
export function randomToken(prefix: string, length: number): string {
  return prefix + randomString(BASE64URL, length);
}

/** Uppercase base32, the alphabet of AWS access key ids. */
export function randomBase32(length: number): string {
  return randomString(BASE32, length);
}

/** `ABCD-EFGH`: 8 letters from {@link USER_CODE_ALPHABET} with a dash in the middle. */
export function randomUserCode(): string {
  const letters = randomString(USER_CODE_ALPHABET, 8);
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** An RFC 9562 version 4 UUID, as AWS uses for `x-amzn-RequestId`. */
export function randomUuid(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
