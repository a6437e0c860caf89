/**
 * The official `@aws-sdk/client-sso` (portal API) against the emulator over real HTTP.
 */

import {
  GetRoleCredentialsCommand,
  InvalidRequestException,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccounts,
  ResourceNotFoundException,
  SSOClient,
  TooManyRequestsException,
  UnauthorizedException,
} from '@aws-sdk/client-sso';
import { CreateTokenCommand, InvalidGrantException, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorSeed } from '../emulatorSeed.ts';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { expectPortalError, manualClock, rejectionOf, startFlow, UUID } from './support.ts';

/** 45 accounts for alice (pagination), 1 for bob. */
const bigSeed: EmulatorSeed = {
  accounts: Array.from({ length: 45 }, (_, i) => ({
    accountId: String(100000000000 + i),
    accountName: `account-${i}`,
    emailAddress: `account-${i}@example.com`,
  })),
  users: [
    {
      userName: 'alice',
      assignments: Object.fromEntries(
        Array.from({ length: 45 }, (_, i) => [String(100000000000 + i), ['AdministratorAccess', 'ReadOnly']]),
      ),
    },
    { userName: 'bob', assignments: { '100000000000': ['ReadOnly'] } },
  ],
};

let aws: RunningEmulator;
let clock: ReturnType<typeof manualClock>;
let sso: SSOClient;

async function startWith(options: Parameters<typeof startEmulator>[0] = {}) {
  clock = manualClock();
  aws = await startEmulator({ now: clock.now, ...options });
  sso = new SSOClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
}

/** Signs in through the device flow as `user` and returns the token response. */
async function signIn(user = 'alice') {
  const flow = await startFlow(aws.url);
  aws.approve({ userCode: flow.start.userCode, user });
  const token = (await (await flow.poll()).json()) as { accessToken: string; refreshToken: string };
  return { ...token, registration: flow.registration };
}

function expectPortalSdkError(
  error: Record<string, unknown>,
  type: new (...args: never[]) => unknown,
  status: number,
) {
  expect(error).toBeInstanceOf(type);
  expect(typeof error.message).toBe('string');
  expect(error.message).not.toBe('UnknownError');
  const metadata = error.$metadata as { httpStatusCode: number; requestId: string };
  expect(metadata.httpStatusCode).toBe(status);
  expect(metadata.requestId).toMatch(UUID);
}

afterEach(async () => {
  sso.destroy();
  await aws.close();
});

describe('default seed', () => {
  beforeEach(() => startWith());

  it('lists the accounts of the user who approved, with their roles', async () => {
    const { accessToken } = await signIn('alice');
    const accounts = await sso.send(new ListAccountsCommand({ accessToken }));
    expect(accounts.accountList).toEqual([
      { accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com' },
      { accountId: '444455556666', accountName: 'prod', emailAddress: 'prod@example.com' },
      { accountId: '777788889999', accountName: 'sandbox', emailAddress: 'sandbox@example.com' },
    ]);
    expect(accounts.nextToken).toBeUndefined();
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken, accountId: '111122223333' }));
    expect(roles.roleList).toEqual([
      { roleName: 'AdministratorAccess', accountId: '111122223333' },
      { roleName: 'ReadOnly', accountId: '111122223333' },
    ]);

    const bob = await signIn('bob');
    const bobAccounts = await sso.send(new ListAccountsCommand({ accessToken: bob.accessToken }));
    expect(bobAccounts.accountList?.map((a) => a.accountName)).toEqual(['dev', 'prod']);
    const bobRoles = await sso.send(
      new ListAccountRolesCommand({ accessToken: bob.accessToken, accountId: '444455556666' }),
    );
    expect(bobRoles.roleList).toEqual([{ roleName: 'ReadOnly', accountId: '444455556666' }]);
  });

  it('returns role credentials whose expiration is epoch milliseconds, one hour ahead', async () => {
    const { accessToken } = await signIn();
    const { roleCredentials } = await sso.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: '444455556666', roleName: 'ReadOnly' }),
    );
    expect(roleCredentials?.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    // AWS's alphabet: standard base64, so a key never starts with '-' (which CLIs would read as an option).
    expect(roleCredentials?.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(roleCredentials?.sessionToken).toMatch(/^IQoJb3JpZ2luX2VjE[A-Za-z0-9+/]{380}$/);
    expect(roleCredentials?.expiration).toBe(clock.now() + 3600 * 1000);
  });

  it('ResourceNotFoundException (404) for an unknown account or a role not assigned to the user', async () => {
    const bob = await signIn('bob');
    const notAssignedAccount = sso.send(
      new ListAccountRolesCommand({ accessToken: bob.accessToken, accountId: '777788889999' }),
    );
    expectPortalSdkError(await rejectionOf(notAssignedAccount), ResourceNotFoundException, 404);
    const unknownAccount = sso.send(
      new ListAccountRolesCommand({ accessToken: bob.accessToken, accountId: '000000000000' }),
    );
    expectPortalSdkError(await rejectionOf(unknownAccount), ResourceNotFoundException, 404);
    const notAssignedRole = sso.send(
      new GetRoleCredentialsCommand({
        accessToken: bob.accessToken,
        accountId: '111122223333',
        roleName: 'AdministratorAccess',
      }),
    );
    expectPortalSdkError(await rejectionOf(notAssignedRole), ResourceNotFoundException, 404);
  });

  it('UnauthorizedException (401) for an unknown or expired access token', async () => {
    expectPortalSdkError(
      await rejectionOf(sso.send(new ListAccountsCommand({ accessToken: 'aoa-unknown' }))),
      UnauthorizedException,
      401,
    );
    const { accessToken } = await signIn();
    clock.tick(3600 * 1000 - 1);
    await sso.send(new ListAccountsCommand({ accessToken }));
    clock.tick(1);
    expectPortalSdkError(
      await rejectionOf(sso.send(new ListAccountsCommand({ accessToken }))),
      UnauthorizedException,
      401,
    );
  });

  it('Logout ends the session: the access token gets 401 and its refresh token invalid_grant', async () => {
    const { accessToken, refreshToken, registration } = await signIn();
    const logout = await sso.send(new LogoutCommand({ accessToken }));
    expect(logout.$metadata.httpStatusCode).toBe(200);
    expectPortalSdkError(
      await rejectionOf(sso.send(new ListAccountsCommand({ accessToken }))),
      UnauthorizedException,
      401,
    );
    expectPortalSdkError(
      await rejectionOf(sso.send(new LogoutCommand({ accessToken }))),
      UnauthorizedException,
      401,
    );

    const oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
    const refresh = oidc.send(
      new CreateTokenCommand({ ...registration, grantType: 'refresh_token', refreshToken }),
    );
    expect(await rejectionOf(refresh)).toBeInstanceOf(InvalidGrantException);
    oidc.destroy();
  });

  it('refreshed access tokens work on the portal; the pre-refresh one stays valid until it expires', async () => {
    const { accessToken, refreshToken, registration } = await signIn('bob');
    const oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 });
    const refreshed = await oidc.send(
      new CreateTokenCommand({ ...registration, grantType: 'refresh_token', refreshToken }),
    );
    oidc.destroy();
    for (const token of [accessToken, refreshed.accessToken]) {
      const accounts = await sso.send(new ListAccountsCommand({ accessToken: token }));
      expect(accounts.accountList).toHaveLength(2);
    }
  });

  it('raw wire: portal errors carry __type and message and no x-amzn-ErrorType header', async () => {
    const missingToken = await fetch(`${aws.url}/assignment/accounts`);
    const body = await expectPortalError(missingToken, 'UnauthorizedException', 401);
    expect(body.message).toBe('Session token not found or invalid');

    const { accessToken } = await signIn();
    const headers = { 'x-amz-sso_bearer_token': accessToken };
    await expectPortalError(
      await fetch(`${aws.url}/assignment/roles`, { headers }),
      'InvalidRequestException',
      400,
    );
    await expectPortalError(
      await fetch(`${aws.url}/federation/credentials?account_id=111122223333`, { headers }),
      'InvalidRequestException',
      400,
    );
    await expectPortalError(
      await fetch(`${aws.url}/federation/credentials?account_id=111122223333&role_name=Nope`, { headers }),
      'ResourceNotFoundException',
      404,
    );
  });

  it('TooManyRequestsException (429) and other injected faults on portal operations', async () => {
    const { accessToken } = await signIn();
    aws.fault({ operation: 'ListAccounts', error: 'TooManyRequestsException' });
    expectPortalSdkError(
      await rejectionOf(sso.send(new ListAccountsCommand({ accessToken }))),
      TooManyRequestsException,
      429,
    );
    expect((await sso.send(new ListAccountsCommand({ accessToken }))).accountList).toHaveLength(3);

    aws.fault({ operation: 'GetRoleCredentials', error: 'UnauthorizedException' });
    const credentials = sso.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: '111122223333', roleName: 'ReadOnly' }),
    );
    expectPortalSdkError(await rejectionOf(credentials), UnauthorizedException, 401);
    const raw = aws.requests().at(-1);
    expect(raw).toMatchObject({
      operation: 'GetRoleCredentials',
      status: 401,
      fault: 'error',
      errorType: 'UnauthorizedException',
    });
  });
});

describe('pagination', () => {
  beforeEach(() => startWith({ seed: bigSeed }));

  it('pages by 20 by default, honours max_result and walks next_token to the end', async () => {
    const { accessToken } = await signIn();
    const first = await sso.send(new ListAccountsCommand({ accessToken }));
    expect(first.accountList).toHaveLength(20);
    expect(first.accountList?.[0]?.accountId).toBe('100000000000');
    // Tokens contain + / = so clients must URL-encode them (the SDK does).
    expect(first.nextToken).toMatch(/[+/=]/);

    const second = await sso.send(new ListAccountsCommand({ accessToken, nextToken: first.nextToken }));
    expect(second.accountList?.[0]?.accountId).toBe('100000000020');
    expect(aws.requests().at(-1)?.query).toEqual({ next_token: first.nextToken });

    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: sso, pageSize: 7 }, { accessToken })) {
      pages.push(page.accountList?.length ?? 0);
      ids.push(...(page.accountList ?? []).map((a) => a.accountId!));
    }
    expect(pages).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(new Set(ids).size).toBe(45);
    expect(aws.requests().at(-1)?.query.max_result).toBe('7');

    const all = await sso.send(new ListAccountsCommand({ accessToken, maxResults: 100 }));
    expect(all.accountList).toHaveLength(45);
    expect(all.nextToken).toBeUndefined();
  });

  it('paginates roles too, per account', async () => {
    const { accessToken } = await signIn();
    const first = await sso.send(
      new ListAccountRolesCommand({ accessToken, accountId: '100000000003', maxResults: 1 }),
    );
    expect(first.roleList).toEqual([{ roleName: 'AdministratorAccess', accountId: '100000000003' }]);
    const second = await sso.send(
      new ListAccountRolesCommand({
        accessToken,
        accountId: '100000000003',
        maxResults: 1,
        nextToken: first.nextToken,
      }),
    );
    expect(second.roleList).toEqual([{ roleName: 'ReadOnly', accountId: '100000000003' }]);
    expect(second.nextToken).toBeUndefined();
    // A roles token for one account is not valid for another, nor for ListAccounts.
    const otherAccount = sso.send(
      new ListAccountRolesCommand({ accessToken, accountId: '100000000004', nextToken: first.nextToken }),
    );
    expectPortalSdkError(await rejectionOf(otherAccount), InvalidRequestException, 400);
    const accounts = sso.send(new ListAccountsCommand({ accessToken, nextToken: first.nextToken }));
    expectPortalSdkError(await rejectionOf(accounts), InvalidRequestException, 400);
  });

  it('InvalidRequestException for max_result outside 1–100 or a garbled next_token', async () => {
    const { accessToken } = await signIn();
    for (const maxResults of [0, 101]) {
      const error = await rejectionOf(sso.send(new ListAccountsCommand({ accessToken, maxResults })));
      expectPortalSdkError(error, InvalidRequestException, 400);
    }
    const garbled = sso.send(new ListAccountsCommand({ accessToken, nextToken: 'not-a-token' }));
    expectPortalSdkError(await rejectionOf(garbled), InvalidRequestException, 400);

    // A client that forgets to URL-encode the token turns '+' into ' ' and is refused.
    const first = await sso.send(new ListAccountsCommand({ accessToken }));
    const unencoded = await fetch(`${aws.url}/assignment/accounts?next_token=${first.nextToken}`, {
      headers: { 'x-amz-sso_bearer_token': accessToken },
    });
    await expectPortalError(unencoded, 'InvalidRequestException', 400);
  });
});
