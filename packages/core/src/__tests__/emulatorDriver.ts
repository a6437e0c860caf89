/**
 * Test helpers for the suites that run against `@oidc-device-login/emulator` (not a test file itself): a neutral
 * driver that prepares emulator state with plain `fetch`, so neither the SDK nor our clients set the stage for the
 * call being compared, plus a seeded byte source and a hand-driven clock for reproducible emulator runs.
 */

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const START_URL = 'https://d-1234567890.awsapps.com/start';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A seeded byte source for `startEmulator({ randomBytes })` (mulberry32): the same seed gives the same bytes, so
 * an emulator reset with a fresh source hands out the same codes, tokens and request ids again.
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

/** A wall clock for `startEmulator({ now })` that moves only when told to. */
export function manualClock(start: number) {
  let current = start;
  return {
    now: () => current,
    set(value: number) {
      current = value;
    },
    tick(ms: number) {
      current += ms;
    },
  };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

export interface DriverClient {
  clientId: string;
  clientSecret: string;
}

export interface SignedIn {
  client: DriverClient;
  accessToken: string;
  /** Absent when the client was registered without scopes. */
  refreshToken: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Prepares emulator state with plain HTTP requests, failing loudly when a step does not succeed. */
export function emulatorDriver(
  base: string,
  control: { approve(input: { userCode: string; user?: string }): unknown },
  fetchFn: Fetch = fetch,
) {
  async function json(response: Response, what: string): Promise<Record<string, unknown>> {
    const text = await response.text();
    if (!response.ok) throw new Error(`driver: ${what} answered ${response.status}: ${text}`);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  }
  const post = async (path: string, body: unknown) =>
    json(
      await fetchFn(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      path,
    );
  const get = async (path: string, accessToken: string) =>
    json(await fetchFn(`${base}${path}`, { headers: { 'x-amz-sso_bearer_token': accessToken } }), path);

  const driver = {
    async register(input: Record<string, unknown> = {}): Promise<DriverClient> {
      const output = await post('/client/register', {
        clientName: 'differential',
        clientType: 'public',
        scopes: ['sso:account:access'],
        ...input,
      });
      return { clientId: output.clientId as string, clientSecret: output.clientSecret as string };
    },

    async authorize(client: DriverClient): Promise<{ deviceCode: string; userCode: string }> {
      const output = await post('/device_authorization', { ...client, startUrl: START_URL });
      return { deviceCode: output.deviceCode as string, userCode: output.userCode as string };
    },

    /** register → start → approve (as `user`) → token. */
    async signIn(options: { user?: string; client?: DriverClient } = {}): Promise<SignedIn> {
      const client = options.client ?? (await driver.register());
      const { deviceCode, userCode } = await driver.authorize(client);
      control.approve({ userCode, ...(options.user ? { user: options.user } : {}) });
      const token = await post('/token', { ...client, grantType: DEVICE_GRANT, deviceCode });
      return {
        client,
        accessToken: token.accessToken as string,
        refreshToken: token.refreshToken as string,
      };
    },

    /** One CreateToken request as given; resolves to the HTTP status, whatever it is. */
    async poll(input: Record<string, unknown>): Promise<number> {
      const response = await fetchFn(`${base}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      await response.body?.cancel();
      return response.status;
    },

    async refresh(client: DriverClient, refreshToken: string) {
      const token = await post('/token', { ...client, grantType: 'refresh_token', refreshToken });
      return { accessToken: token.accessToken as string, refreshToken: token.refreshToken as string };
    },

    async logout(accessToken: string): Promise<void> {
      await json(
        await fetchFn(`${base}/logout`, {
          method: 'POST',
          headers: { 'x-amz-sso_bearer_token': accessToken },
        }),
        '/logout',
      );
    },

    /** The `nextToken` of the first page of a portal listing with `max_result=1`. */
    async firstPageToken(path: string, accessToken: string): Promise<string> {
      const separator = path.includes('?') ? '&' : '?';
      const page = await get(`${path}${separator}max_result=1`, accessToken);
      if (typeof page.nextToken !== 'string') throw new Error(`driver: ${path} has a single page`);
      return page.nextToken;
    },
  };
  return driver;
}

export type EmulatorDriver = ReturnType<typeof emulatorDriver>;
