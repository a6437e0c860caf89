/** Test helpers shared by the emulator suites (not a test file itself). */

import { expect } from 'vitest';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const START_URL = 'https://d-1234567890.awsapps.com/start';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A hand-driven wall clock for `createEmulator({ now })`. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let current = start;
  return {
    now: () => current,
    tick(ms: number) {
      current += ms;
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** POSTs JSON with plain fetch. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Asserts the exact AWS SSO OIDC error wire shape and returns the parsed body. */
export async function expectOidcError(response: Response, name: string, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-amzn-errortype')).toBe(
    `${name}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`,
  );
  expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  return body;
}

/** Asserts the AWS SSO portal error wire shape (no x-amzn-ErrorType header) and returns the parsed body. */
export async function expectPortalError(response: Response, name: string, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-amzn-errortype')).toBeNull();
  expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.__type).toBe(`com.amazonaws.switchboard.portal#${name}`);
  expect(typeof body.message).toBe('string');
  return body;
}

/** Registers a client and starts a device authorization with plain fetch against `base`. */
export async function startFlow(
  base: string,
  fetchFn: (input: string, init?: RequestInit) => Promise<Response> = fetch,
  scopes: string[] = ['sso:account:access'],
) {
  const json = (path: string, body: unknown) =>
    fetchFn(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registration = (await (
    await json('/client/register', { clientName: 'test-app', clientType: 'public', scopes })
  ).json()) as { clientId: string; clientSecret: string };
  const start = (await (
    await json('/device_authorization', { ...registration, startUrl: START_URL })
  ).json()) as {
    deviceCode: string;
    userCode: string;
    verificationUri: string;
    verificationUriComplete: string;
    expiresIn: number;
    interval: number;
  };
  const poll = () =>
    json('/token', { ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode });
  return { registration, start, poll, json };
}

/**
 * A seeded byte source for `createEmulator({ randomBytes })` (mulberry32): the same seed gives the same bytes, so
 * two emulators (or one after `reset()` with a fresh source) hand out the same codes, tokens and request ids.
 */
export function seededBytes(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0;
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return bytes;
  };
}
