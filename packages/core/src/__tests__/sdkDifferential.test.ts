/**
 * Differential test: the official `@aws-sdk/client-sso-oidc` / `@aws-sdk/client-sso` and our
 * `createSsoOidcClient` / `createSsoPortalClient` make the same call against the same emulator over real HTTP.
 *
 * Each row runs twice from an identical emulator state: reset, the same seeded randomness, the same clock, the same
 * setup (done with plain fetch, by neither client). Once the SDK makes the call, once our client does. The emulator
 * is deterministic under those conditions, so the two runs must match exactly:
 *
 * - the request as the emulator received it: method, path, raw query (order and encoding), content type (absent
 *   on GETs), content length, body members and their order, the SSO bearer header, no Authorization;
 * - a success: our output deep-equals the SDK output without `$metadata`;
 * - an error: our ServiceError's `exception`, `error`, `errorDescription`, `status`, `requestId` equal the SDK's
 *   `name`, `error`, `error_description` (portal: `message`), `$metadata.httpStatusCode`, `$metadata.requestId`,
 *   and our `code` is the row's OAuth code.
 *
 * Our client checks input before sending, the SDK sends anything: the "refused" rows drive the SDK into the
 * emulator's error and assert that our client throws an InvalidArgumentError without a request.
 */
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  SSOClient,
} from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { type RecordedRequest, type RunningEmulator, startEmulator } from '@oidc-device-login/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ServiceError, type ServiceErrorCode } from '../errors.ts';
import { createSsoOidcClient } from '../ssoOidc.ts';
import { createSsoPortalClient } from '../ssoPortal.ts';
import type { SsoOidcClient, SsoPortalClient } from '../types.ts';
import {
  DEVICE_GRANT,
  type EmulatorDriver,
  emulatorDriver,
  manualClock,
  START_URL,
  seededBytes,
  UUID,
} from './emulatorDriver.ts';

const EPOCH = Date.UTC(2026, 0, 1);
const SEED = 20_190_610;
const DEV = '111122223333';
const PROD = '444455556666';

type Operation =
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'ListAccounts'
  | 'ListAccountRoles'
  | 'GetRoleCredentials'
  | 'Logout';
type Input = Record<string, unknown>;

const OIDC_OPERATIONS: ReadonlySet<Operation> = new Set([
  'RegisterClient',
  'StartDeviceAuthorization',
  'CreateToken',
]);
type Side = 'sdk' | 'ours';

/** What a row's setup can use: the neutral driver, the emulator's controls and its clock. */
interface World {
  driver: EmulatorDriver;
  aws: RunningEmulator;
  tick(ms: number): void;
}

interface Row {
  name: string;
  op: Operation;
  /** Prepares the emulator and returns the input both clients are called with. */
  given(world: World): Promise<Input>;
}

interface ErrorRow extends Row {
  exception: string;
  status: number;
  code: ServiceErrorCode;
}

interface RefusedRow extends ErrorRow {
  /** The argument our client names in its InvalidArgumentError. */
  argument: string;
}

let aws: RunningEmulator;
let random = seededBytes(SEED);
const clock = manualClock(EPOCH);
let world: World;
let sdkOidc: SSOOIDCClient;
let sdkPortal: SSOClient;
let oidc: SsoOidcClient;
let portal: SsoPortalClient;

beforeAll(async () => {
  aws = await startEmulator({ now: clock.now, randomBytes: (length) => random(length), interval: 5 });
  world = { driver: emulatorDriver(aws.url, aws), aws, tick: clock.tick };
  sdkOidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
  sdkPortal = new SSOClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
  oidc = createSsoOidcClient({ endpoint: aws.url });
  portal = createSsoPortalClient({ endpoint: aws.url });
});

afterAll(async () => {
  sdkOidc.destroy();
  sdkPortal.destroy();
  await aws.close();
});

const call: Record<Side, Record<Operation, (input: Input) => Promise<unknown>>> = {
  sdk: {
    RegisterClient: (input) => sdkOidc.send(new RegisterClientCommand(input as never)),
    StartDeviceAuthorization: (input) => sdkOidc.send(new StartDeviceAuthorizationCommand(input as never)),
    CreateToken: (input) => sdkOidc.send(new CreateTokenCommand(input as never)),
    ListAccounts: (input) => sdkPortal.send(new ListAccountsCommand(input as never)),
    ListAccountRoles: (input) => sdkPortal.send(new ListAccountRolesCommand(input as never)),
    GetRoleCredentials: (input) => sdkPortal.send(new GetRoleCredentialsCommand(input as never)),
    Logout: (input) => sdkPortal.send(new LogoutCommand(input as never)),
  },
  ours: {
    RegisterClient: (input) => oidc.registerClient(input as never),
    StartDeviceAuthorization: (input) => oidc.startDeviceAuthorization(input as never),
    CreateToken: (input) => oidc.createToken(input as never),
    ListAccounts: (input) => portal.listAccounts(input as never),
    ListAccountRoles: (input) => portal.listAccountRoles(input as never),
    GetRoleCredentials: (input) => portal.getRoleCredentials(input as never),
    Logout: (input) => portal.logout(input as never),
  },
};

/** Back to the same starting point: no state, the same clock, the same random stream. */
function resetWorld(): void {
  aws.reset();
  clock.set(EPOCH);
  random = seededBytes(SEED);
}

interface Run {
  input: Input;
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  /** What the emulator received during the call itself (setup excluded). */
  sent: RecordedRequest[];
}

async function run(side: Side, row: Row): Promise<Run> {
  resetWorld();
  const input = await row.given(world);
  const before = aws.requests().length;
  let outcome: Run['outcome'];
  try {
    outcome = { ok: true, value: await call[side][row.op](input) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { input, outcome, sent: aws.requests().slice(before) };
}

/** Everything about a received request that both clients must agree on. */
function wire(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was recorded');
  const body = request.body;
  return {
    operation: request.operation,
    method: request.method,
    path: request.path,
    rawQuery: request.rawQuery,
    query: request.query,
    contentType: request.headers['content-type'],
    contentLength: request.headers['content-length'],
    bearer: request.headers['x-amz-sso_bearer_token'],
    authorization: request.headers.authorization,
    body,
    bodyKeys: typeof body === 'object' && body !== null ? Object.keys(body) : undefined,
    status: request.status,
    errorType: request.errorType,
  };
}

/** Runs a row on both sides and asserts the two requests are the same; returns both runs. */
async function differential(row: Row): Promise<{ sdk: Run; ours: Run }> {
  const sdk = await run('sdk', row);
  const ours = await run('ours', row);
  // The setup replayed identically, so both clients were given the very same input.
  expect(ours.input).toEqual(sdk.input);
  expect(sdk.sent).toHaveLength(1);
  expect(ours.sent).toHaveLength(1);
  const sdkWire = wire(sdk.sent[0]);
  const ourWire = wire(ours.sent[0]);
  expect(ourWire).toEqual(sdkWire);
  // Invariants of the protocol, so the comparison above cannot pass on two equally wrong requests.
  expect(sdkWire.authorization).toBeUndefined();
  if (sdkWire.method === 'GET') expect(sdkWire.contentType).toBeUndefined();
  if (OIDC_OPERATIONS.has(row.op)) {
    expect(sdkWire.contentType).toBe('application/json');
    expect(sdkWire.bearer).toBeUndefined();
  } else {
    expect(sdkWire.bearer).toEqual(expect.any(String));
  }
  return { sdk, ours };
}

function withoutMetadata(output: unknown): unknown {
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return rest;
}

/** The SDK exception's fields, in the names of our ServiceError. */
function sdkErrorFields(error: unknown) {
  const sdk = error as {
    name: string;
    message: string;
    error?: string;
    error_description?: string;
    $metadata: { httpStatusCode?: number; requestId?: string };
  };
  return {
    exception: sdk.name,
    error: sdk.error,
    // SSO OIDC errors have no `message` member (the SDK reports "UnknownError"); portal errors have only `message`.
    errorDescription: sdk.error_description ?? (sdk.message === 'UnknownError' ? undefined : sdk.message),
    status: sdk.$metadata.httpStatusCode,
    requestId: sdk.$metadata.requestId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Setups shared by several rows
// ---------------------------------------------------------------------------------------------------------------

const registered = async ({ driver }: World, extra: Input = {}) => driver.register(extra);
const devicePoll = async ({ driver }: World) => {
  const client = await driver.register();
  const { deviceCode } = await driver.authorize(client);
  return { ...client, grantType: DEVICE_GRANT, deviceCode };
};
const signedIn = async ({ driver }: World, user?: string) =>
  driver.signIn(user === undefined ? {} : { user });

// ---------------------------------------------------------------------------------------------------------------
// Successes
// ---------------------------------------------------------------------------------------------------------------

const successes: Row[] = [
  {
    name: 'RegisterClient, minimal',
    op: 'RegisterClient',
    given: async () => ({ clientName: 'my-app', clientType: 'public' }),
  },
  {
    name: 'RegisterClient with scopes',
    op: 'RegisterClient',
    given: async () => ({ clientName: 'my-app', clientType: 'public', scopes: ['sso:account:access'] }),
  },
  {
    name: 'RegisterClient with empty scopes',
    op: 'RegisterClient',
    given: async () => ({ clientName: 'my-app', clientType: 'public', scopes: [] }),
  },
  {
    name: 'RegisterClient with a name that needs JSON escaping',
    op: 'RegisterClient',
    given: async () => ({
      clientName: 'Zoë’s "app" \\ </script> ✓ 🚀\n',
      clientType: 'public',
      scopes: ['sso:account:access'],
    }),
  },
  {
    name: 'RegisterClient with every optional member',
    op: 'RegisterClient',
    given: async () => ({
      clientName: 'botocore-client-my-session',
      clientType: 'public',
      scopes: ['sso:account:access', 'codewhisperer:completions'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      grantTypes: ['authorization_code', 'refresh_token', DEVICE_GRANT],
      issuerUrl: START_URL,
      entitledApplicationArn:
        'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
    }),
  },
  {
    name: 'StartDeviceAuthorization',
    op: 'StartDeviceAuthorization',
    given: async (w) => ({ ...(await registered(w)), startUrl: START_URL }),
  },
  {
    name: 'CreateToken, device_code, approved',
    op: 'CreateToken',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.approve({ deviceCode: input.deviceCode, user: 'bob' });
      return input;
    },
  },
  {
    name: 'CreateToken, device_code with scope (no effect, still sent)',
    op: 'CreateToken',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.approve({ deviceCode: input.deviceCode });
      return { ...input, scope: ['sso:account:access'] };
    },
  },
  {
    name: 'CreateToken, device_code, client registered without scopes (no refresh token)',
    op: 'CreateToken',
    given: async (w) => {
      const client = await w.driver.register({ scopes: undefined });
      const { deviceCode, userCode } = await w.driver.authorize(client);
      w.aws.approve({ userCode });
      return { ...client, grantType: DEVICE_GRANT, deviceCode };
    },
  },
  {
    name: 'CreateToken, refresh_token',
    op: 'CreateToken',
    given: async (w) => {
      const { client, refreshToken } = await signedIn(w);
      return { ...client, grantType: 'refresh_token', refreshToken };
    },
  },
  {
    name: 'ListAccounts, no parameters',
    op: 'ListAccounts',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken }),
  },
  {
    name: 'ListAccounts, max_result',
    op: 'ListAccounts',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, maxResults: 1 }),
  },
  {
    name: 'ListAccounts, max_result and a next_token with + / =',
    op: 'ListAccounts',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      const nextToken = await w.driver.firstPageToken('/assignment/accounts', accessToken);
      expect(nextToken).toMatch(/\+.*\/|\/.*\+/);
      expect(nextToken).toContain('=');
      return { accessToken, maxResults: 1, nextToken };
    },
  },
  {
    name: 'ListAccounts, next_token only (last page)',
    op: 'ListAccounts',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      return { accessToken, nextToken: await w.driver.firstPageToken('/assignment/accounts', accessToken) };
    },
  },
  {
    name: 'ListAccountRoles, account_id only',
    op: 'ListAccountRoles',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, accountId: DEV }),
  },
  {
    name: 'ListAccountRoles, account_id, max_result and next_token',
    op: 'ListAccountRoles',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      const nextToken = await w.driver.firstPageToken(`/assignment/roles?account_id=${DEV}`, accessToken);
      return { accessToken, accountId: DEV, maxResults: 1, nextToken };
    },
  },
  {
    name: 'GetRoleCredentials',
    op: 'GetRoleCredentials',
    given: async (w) => ({
      accessToken: (await signedIn(w)).accessToken,
      accountId: PROD,
      roleName: 'ReadOnly',
    }),
  },
  {
    name: 'Logout',
    op: 'Logout',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken }),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Errors both clients send
// ---------------------------------------------------------------------------------------------------------------

const errors: ErrorRow[] = [
  {
    name: 'authorization_pending: not decided yet',
    op: 'CreateToken',
    exception: 'AuthorizationPendingException',
    status: 400,
    code: 'authorization_pending',
    given: devicePoll,
  },
  {
    name: 'slow_down: polled again sooner than the interval',
    op: 'CreateToken',
    exception: 'SlowDownException',
    status: 400,
    code: 'slow_down',
    given: async (w) => {
      const input = await devicePoll(w);
      expect(await w.driver.poll(input)).toBe(400);
      w.tick(4999);
      return input;
    },
  },
  {
    name: 'expired_token: the device code expired',
    op: 'CreateToken',
    exception: 'ExpiredTokenException',
    status: 400,
    code: 'expired_token',
    given: async (w) => {
      const input = await devicePoll(w);
      w.tick(600_000);
      return input;
    },
  },
  {
    name: 'access_denied: the user denied',
    op: 'CreateToken',
    exception: 'AccessDeniedException',
    status: 400,
    code: 'access_denied',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.deny({ deviceCode: input.deviceCode });
      return input;
    },
  },
  {
    name: 'invalid_grant: device code already exchanged',
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.approve({ deviceCode: input.deviceCode });
      expect(await w.driver.poll(input)).toBe(200);
      w.tick(5000);
      return input;
    },
  },
  {
    name: 'invalid_grant: unknown device code',
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => ({
      ...(await registered(w)),
      grantType: DEVICE_GRANT,
      deviceCode: 'no-such-device-code',
    }),
  },
  {
    name: "invalid_grant: another client's device code",
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => {
      const { deviceCode } = await devicePoll(w);
      return { ...(await registered(w)), grantType: DEVICE_GRANT, deviceCode };
    },
  },
  {
    name: 'invalid_grant: refresh token rotated out',
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => {
      const { client, refreshToken } = await signedIn(w);
      await w.driver.refresh(client, refreshToken);
      return { ...client, grantType: 'refresh_token', refreshToken };
    },
  },
  {
    name: 'invalid_grant: refresh token after logout',
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => {
      const { client, accessToken, refreshToken } = await signedIn(w);
      await w.driver.logout(accessToken);
      return { ...client, grantType: 'refresh_token', refreshToken };
    },
  },
  {
    name: 'invalid_grant: refresh token past the session lifetime',
    op: 'CreateToken',
    exception: 'InvalidGrantException',
    status: 400,
    code: 'invalid_grant',
    given: async (w) => {
      const { client, refreshToken } = await signedIn(w);
      w.tick(8 * 3600 * 1000);
      return { ...client, grantType: 'refresh_token', refreshToken };
    },
  },
  {
    name: 'invalid_client (401): wrong client secret, StartDeviceAuthorization',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidClientException',
    status: 401,
    code: 'invalid_client',
    given: async (w) => ({ ...(await registered(w)), clientSecret: 'wrong-secret', startUrl: START_URL }),
  },
  {
    name: 'invalid_client (401): wrong client secret, CreateToken',
    op: 'CreateToken',
    exception: 'InvalidClientException',
    status: 401,
    code: 'invalid_client',
    given: async (w) => ({ ...(await devicePoll(w)), clientSecret: 'wrong-secret' }),
  },
  {
    name: 'invalid_client (401): unknown client id',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidClientException',
    status: 401,
    code: 'invalid_client',
    given: async () => ({ clientId: 'no-such-client', clientSecret: 'whatever', startUrl: START_URL }),
  },
  {
    name: 'invalid_client (401): registration expired, StartDeviceAuthorization',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidClientException',
    status: 401,
    code: 'invalid_client',
    given: async (w) => {
      const client = await registered(w);
      w.aws.expireClient({ clientId: client.clientId });
      return { ...client, startUrl: START_URL };
    },
  },
  {
    name: 'invalid_client (401): registration expired while polling, CreateToken',
    op: 'CreateToken',
    exception: 'InvalidClientException',
    status: 401,
    code: 'invalid_client',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.expireClient({ clientId: input.clientId });
      return input;
    },
  },
  {
    name: 'unauthorized_client: registered without the device grant',
    op: 'StartDeviceAuthorization',
    exception: 'UnauthorizedClientException',
    status: 400,
    code: 'unauthorized_client',
    given: async (w) => ({
      ...(await registered(w, { grantTypes: ['authorization_code', 'refresh_token'] })),
      startUrl: START_URL,
    }),
  },
  {
    name: 'unauthorized_client: refresh by a client registered without the refresh grant',
    op: 'CreateToken',
    exception: 'UnauthorizedClientException',
    status: 400,
    code: 'unauthorized_client',
    given: async (w) => ({
      ...(await registered(w, { grantTypes: [DEVICE_GRANT] })),
      grantType: 'refresh_token',
      refreshToken: 'aor-anything',
    }),
  },
  {
    name: 'unsupported_grant_type: authorization_code with codeVerifier and scope',
    op: 'CreateToken',
    exception: 'UnsupportedGrantTypeException',
    status: 400,
    code: 'unsupported_grant_type',
    given: async (w) => ({
      ...(await registered(w)),
      grantType: 'authorization_code',
      code: 'auth-code-from-the-redirect',
      scope: ['sso:account:access'],
      redirectUri: 'http://127.0.0.1:55555/oauth/callback',
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    }),
  },
  {
    name: 'unsupported_grant_type: RegisterClient with an unknown grant',
    op: 'RegisterClient',
    exception: 'UnsupportedGrantTypeException',
    status: 400,
    code: 'unsupported_grant_type',
    given: async () => ({ clientName: 'my-app', clientType: 'public', grantTypes: ['implicit'] }),
  },
  {
    name: 'invalid_redirect_uri: RegisterClient with a redirect URI that is not a URI',
    op: 'RegisterClient',
    exception: 'InvalidRedirectUriException',
    status: 400,
    code: 'invalid_redirect_uri',
    given: async () => ({
      clientName: 'my-app',
      clientType: 'public',
      redirectUris: ['not a redirect uri'],
      grantTypes: ['authorization_code'],
    }),
  },
  {
    name: 'invalid_scope (fault): CreateToken',
    op: 'CreateToken',
    exception: 'InvalidScopeException',
    status: 400,
    code: 'invalid_scope',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.fault({ operation: 'CreateToken', error: 'InvalidScopeException' });
      return input;
    },
  },
  {
    name: 'invalid_request (fault): StartDeviceAuthorization',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    given: async (w) => {
      const client = await registered(w);
      w.aws.fault({ operation: 'StartDeviceAuthorization', error: 'InvalidRequestException' });
      return { ...client, startUrl: START_URL };
    },
  },
  {
    name: 'slow_down (fault): RegisterClient, which AWS also throttles this way',
    op: 'RegisterClient',
    exception: 'SlowDownException',
    status: 400,
    code: 'slow_down',
    given: async (w) => {
      w.aws.fault({ operation: 'RegisterClient', error: 'SlowDownException' });
      return { clientName: 'my-app', clientType: 'public' };
    },
  },
  ...(['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'] as const).map(
    (op): ErrorRow => ({
      name: `server_error (fault): 500 InternalServerException on ${op}`,
      op,
      exception: 'InternalServerException',
      status: 500,
      code: 'server_error',
      given: async (w) => {
        const input =
          op === 'RegisterClient'
            ? { clientName: 'my-app', clientType: 'public' }
            : op === 'StartDeviceAuthorization'
              ? { ...(await registered(w)), startUrl: START_URL }
              : await devicePoll(w);
        w.aws.fault({ operation: op, error: 'InternalServerException' });
        return input;
      },
    }),
  ),
  {
    name: 'throttled (fault): 429 ThrottlingException on CreateToken (not modeled by SSO OIDC)',
    op: 'CreateToken',
    exception: 'ThrottlingException',
    status: 429,
    code: 'throttled',
    given: async (w) => {
      const input = await devicePoll(w);
      w.aws.fault({ operation: 'CreateToken', error: 'ThrottlingException', status: 429 });
      return input;
    },
  },
  {
    name: 'portal unauthorized (401): unknown access token, ListAccounts',
    op: 'ListAccounts',
    exception: 'UnauthorizedException',
    status: 401,
    code: 'unauthorized',
    given: async () => ({ accessToken: 'aoa-no-such-token' }),
  },
  {
    name: 'portal unauthorized (401): access token expired, ListAccountRoles',
    op: 'ListAccountRoles',
    exception: 'UnauthorizedException',
    status: 401,
    code: 'unauthorized',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      w.tick(3600 * 1000);
      return { accessToken, accountId: DEV };
    },
  },
  {
    name: 'portal unauthorized (401): after logout, GetRoleCredentials',
    op: 'GetRoleCredentials',
    exception: 'UnauthorizedException',
    status: 401,
    code: 'unauthorized',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      await w.driver.logout(accessToken);
      return { accessToken, accountId: DEV, roleName: 'ReadOnly' };
    },
  },
  {
    name: 'portal unauthorized (401): Logout twice',
    op: 'Logout',
    exception: 'UnauthorizedException',
    status: 401,
    code: 'unauthorized',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      await w.driver.logout(accessToken);
      return { accessToken };
    },
  },
  {
    name: 'portal not_found (404): an account the user has no access to',
    op: 'ListAccountRoles',
    exception: 'ResourceNotFoundException',
    status: 404,
    code: 'not_found',
    given: async (w) => ({ accessToken: (await signedIn(w, 'bob')).accessToken, accountId: '777788889999' }),
  },
  {
    name: 'portal not_found (404): a role not assigned to the user',
    op: 'GetRoleCredentials',
    exception: 'ResourceNotFoundException',
    status: 404,
    code: 'not_found',
    given: async (w) => ({
      accessToken: (await signedIn(w, 'bob')).accessToken,
      accountId: DEV,
      roleName: 'AdministratorAccess',
    }),
  },
  {
    name: "portal not_found (404): a role name that needs encoding (space ! ' ( ) * + / =)",
    op: 'GetRoleCredentials',
    exception: 'ResourceNotFoundException',
    status: 404,
    code: 'not_found',
    given: async (w) => ({
      accessToken: (await signedIn(w)).accessToken,
      accountId: DEV,
      roleName: "Power User's (beta)! *+/=",
    }),
  },
  {
    name: 'portal invalid_request (400): a next_token the server never issued',
    op: 'ListAccounts',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, nextToken: 'forged/token+==' }),
  },
  {
    name: 'portal throttled (429, fault): ListAccountRoles',
    op: 'ListAccountRoles',
    exception: 'TooManyRequestsException',
    status: 429,
    code: 'throttled',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      w.aws.fault({ operation: 'ListAccountRoles', error: 'TooManyRequestsException' });
      return { accessToken, accountId: DEV };
    },
  },
  {
    name: 'portal throttled (429, fault): GetRoleCredentials',
    op: 'GetRoleCredentials',
    exception: 'TooManyRequestsException',
    status: 429,
    code: 'throttled',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      w.aws.fault({ operation: 'GetRoleCredentials', error: 'TooManyRequestsException' });
      return { accessToken, accountId: DEV, roleName: 'ReadOnly' };
    },
  },
  {
    name: 'portal server_error (500, fault): ListAccounts',
    op: 'ListAccounts',
    exception: 'InternalServerException',
    status: 500,
    code: 'server_error',
    given: async (w) => {
      const { accessToken } = await signedIn(w);
      w.aws.fault({ operation: 'ListAccounts', error: 'InternalServerException' });
      return { accessToken };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Errors only the SDK sends: our client refuses the input before the wire
// ---------------------------------------------------------------------------------------------------------------

const refused: RefusedRow[] = [
  {
    name: 'RegisterClient without clientName',
    op: 'RegisterClient',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.clientName',
    given: async () => ({ clientType: 'public' }),
  },
  {
    name: 'RegisterClient with clientType "confidential"',
    op: 'RegisterClient',
    exception: 'InvalidClientMetadataException',
    status: 400,
    code: 'invalid_client_metadata',
    argument: 'input.clientType',
    given: async () => ({ clientName: 'my-app', clientType: 'confidential' }),
  },
  {
    name: 'RegisterClient with a blank scope',
    op: 'RegisterClient',
    exception: 'InvalidScopeException',
    status: 400,
    code: 'invalid_scope',
    argument: 'input.scopes[0]',
    given: async () => ({ clientName: 'my-app', clientType: 'public', scopes: [' '] }),
  },
  {
    name: 'StartDeviceAuthorization without clientSecret',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.clientSecret',
    given: async (w) => ({ clientId: (await registered(w)).clientId, startUrl: START_URL }),
  },
  {
    name: 'StartDeviceAuthorization without startUrl',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.startUrl',
    given: async (w) => ({ ...(await registered(w)) }),
  },
  {
    name: 'StartDeviceAuthorization with a startUrl that is not a URL',
    op: 'StartDeviceAuthorization',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.startUrl',
    given: async (w) => ({ ...(await registered(w)), startUrl: 'd-1234567890' }),
  },
  {
    name: 'CreateToken without grantType',
    op: 'CreateToken',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.grantType',
    given: async (w) => {
      const { grantType: _grantType, ...input } = await devicePoll(w);
      return input;
    },
  },
  {
    name: 'CreateToken, device_code without deviceCode',
    op: 'CreateToken',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.deviceCode',
    given: async (w) => ({ ...(await registered(w)), grantType: DEVICE_GRANT }),
  },
  {
    name: 'CreateToken, refresh_token without refreshToken',
    op: 'CreateToken',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.refreshToken',
    given: async (w) => ({ ...(await registered(w)), grantType: 'refresh_token' }),
  },
  {
    name: 'CreateToken without clientSecret',
    op: 'CreateToken',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.clientSecret',
    given: async (w) => {
      const { clientSecret: _clientSecret, ...input } = await devicePoll(w);
      return input;
    },
  },
  {
    name: 'CreateToken with grantType "password"',
    op: 'CreateToken',
    exception: 'UnsupportedGrantTypeException',
    status: 400,
    code: 'unsupported_grant_type',
    argument: 'input.grantType',
    given: async (w) => ({ ...(await registered(w)), grantType: 'password' }),
  },
  {
    name: 'CreateToken with the hyphenated device-code grant of the SDK docs',
    op: 'CreateToken',
    exception: 'UnsupportedGrantTypeException',
    status: 400,
    code: 'unsupported_grant_type',
    argument: 'input.grantType',
    given: async (w) => ({
      ...(await devicePoll(w)),
      grantType: 'urn:ietf:params:oauth:grant-type:device-code',
    }),
  },
  {
    name: 'ListAccounts with max_result 0',
    op: 'ListAccounts',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.maxResults',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, maxResults: 0 }),
  },
  {
    name: 'ListAccounts with max_result 101',
    op: 'ListAccounts',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.maxResults',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, maxResults: 101 }),
  },
  {
    name: 'ListAccounts with an empty nextToken',
    op: 'ListAccounts',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.nextToken',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, nextToken: '' }),
  },
  {
    name: 'ListAccountRoles without accountId',
    op: 'ListAccountRoles',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.accountId',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken }),
  },
  {
    name: 'GetRoleCredentials without roleName',
    op: 'GetRoleCredentials',
    exception: 'InvalidRequestException',
    status: 400,
    code: 'invalid_request',
    argument: 'input.roleName',
    given: async (w) => ({ accessToken: (await signedIn(w)).accessToken, accountId: DEV }),
  },
  {
    name: 'ListAccounts without an access token',
    op: 'ListAccounts',
    exception: 'UnauthorizedException',
    status: 401,
    code: 'unauthorized',
    argument: 'input.accessToken',
    given: async () => ({}),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------------------------

describe('successes: same request, same parsed output', () => {
  it.each(successes)('$name', async (row) => {
    const { sdk, ours } = await differential(row);
    if (!sdk.outcome.ok) throw sdk.outcome.error;
    if (!ours.outcome.ok) throw ours.outcome.error;
    expect(sdk.sent[0]?.status).toBe(200);
    if (row.op === 'Logout') {
      // The SDK returns `{ $metadata }` only; ours resolves to nothing.
      expect(withoutMetadata(sdk.outcome.value)).toEqual({});
      expect(ours.outcome.value).toBeUndefined();
    } else {
      expect(ours.outcome.value).toStrictEqual(withoutMetadata(sdk.outcome.value));
    }
  });
});

describe('errors: same request, same exception, fields and code', () => {
  it.each(errors)('$name', async (row) => {
    const { sdk, ours } = await differential(row);
    if (sdk.outcome.ok || ours.outcome.ok) throw new Error('expected both clients to fail');
    const expected = sdkErrorFields(sdk.outcome.error);
    expect(expected.exception).toBe(row.exception);
    expect(expected.status).toBe(row.status);
    expect(expected.requestId).toMatch(UUID);
    expect(sdk.sent[0]?.errorType).toBe(row.exception);

    const error = ours.outcome.error;
    expect(error).toBeInstanceOf(ServiceError);
    const serviceError = error as ServiceError;
    expect({
      exception: serviceError.exception,
      error: serviceError.error,
      errorDescription: serviceError.errorDescription,
      status: serviceError.status,
      requestId: serviceError.requestId,
    }).toEqual(expected);
    expect(serviceError.code).toBe(row.code);
    expect(serviceError.operation).toBe(row.op);
  });
});

describe('refused by our client before the wire; the SDK sends it and the emulator rejects it', () => {
  it.each(refused)('$name', async (row) => {
    const sdk = await run('sdk', row);
    if (sdk.outcome.ok) throw new Error('expected the SDK call to fail');
    expect(sdk.sent).toHaveLength(1);
    expect(sdk.sent[0]?.operation).toBe(row.op);
    const fields = sdkErrorFields(sdk.outcome.error);
    expect(fields.exception).toBe(row.exception);
    expect(fields.status).toBe(row.status);

    const ours = await run('ours', row);
    expect(ours.outcome.ok).toBe(false);
    const error = (ours.outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(row.argument);
    expect(ours.sent).toEqual([]);
  });
});

describe('pagination: the same sequence of requests as the SDK paginators', () => {
  type Page = { accountList?: unknown[]; roleList?: unknown[]; nextToken?: string };
  const collect = async (pages: AsyncIterable<Page>) => {
    const out: Page[] = [];
    for await (const page of pages) out.push(withoutMetadata(page) as Page);
    return out;
  };

  it.each([
    {
      name: 'accounts, one per page',
      sdk: (accessToken: string) =>
        paginateListAccounts({ client: sdkPortal, pageSize: 1 }, { accessToken }) as AsyncIterable<Page>,
      ours: (accessToken: string) => portal.paginateAccounts({ accessToken, maxResults: 1 }),
    },
    {
      name: 'roles of an account, one per page',
      sdk: (accessToken: string) =>
        paginateListAccountRoles(
          { client: sdkPortal, pageSize: 1 },
          { accessToken, accountId: DEV },
        ) as AsyncIterable<Page>,
      ours: (accessToken: string) =>
        portal.paginateAccountRoles({ accessToken, accountId: DEV, maxResults: 1 }),
    },
  ])('$name', async ({ sdk, ours }) => {
    const walk = async (pages: (accessToken: string) => AsyncIterable<Page>) => {
      resetWorld();
      const { accessToken } = await world.driver.signIn();
      const before = aws.requests().length;
      const result = await collect(pages(accessToken));
      return { result, sent: aws.requests().slice(before).map(wire) };
    };
    const bySdk = await walk(sdk);
    const byOurs = await walk(ours);
    expect(bySdk.result.length).toBeGreaterThan(1);
    expect(byOurs.sent).toEqual(bySdk.sent);
    expect(byOurs.result).toStrictEqual(bySdk.result);
    // Every page after the first carried an encoded token with + / = in it.
    for (const request of bySdk.sent.slice(1)) expect(request.rawQuery).toMatch(/next_token=[^&]*%2B/);
  });
});
