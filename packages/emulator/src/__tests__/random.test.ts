import { describe, expect, it } from 'vitest';
import { createRandom, USER_CODE_ALPHABET } from '../random.ts';

/** A byte source that always returns `byte`: picks one known character of every alphabet. */
const constant = (byte: number) => (length: number) => new Uint8Array(length).fill(byte);

describe('createRandom', () => {
  it('draws secret keys from standard base64 and opaque tokens from base64url', () => {
    // Byte 62 is '+' in base64 and '-' in base64url: a secret access key must never start with '-'.
    const random = createRandom(constant(62));
    expect(random.base64(4)).toBe('++++');
    expect(random.token('t_', 4)).toBe('t_----');
    expect(createRandom(constant(63)).base64(2)).toBe('//');
  });

  it('gives user codes from the RFC 8628 consonant alphabet, dash in the middle', () => {
    const code = createRandom().userCode();
    expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
  });

  it('rejects a byte source that returns the wrong length instead of spinning', () => {
    const random = createRandom(() => new Uint8Array(1));
    expect(() => random.base64(8)).toThrow(/must return a Uint8Array of 16 bytes/);
  });
});
