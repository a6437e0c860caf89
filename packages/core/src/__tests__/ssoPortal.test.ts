import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DeviceLoginError,
  InvalidArgumentError,
  NetworkError,
  ProtocolError,
  ServiceError,
} from '../errors.ts';
import { createSsoPortalClient } from '../ssoPortal.ts';
import type { GetRoleCredentialsInput, ListAccountRolesInput, ListAccountsInput } from '../types.ts';
import {
  type CannedResponse,
  recordingFetch,
  startTestServer,
  type TestServer,
  unusedUrl,
} from './testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  vi.unstubAllGlobals();
});

const TOKEN = 'ACCESS-TOKEN-THAT-MUST-NOT-LEAK';
const ok = (body: unknown): CannedResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-ok' },
  body,
});
const portal = () => createSsoPortalClient({ endpoint: server.url });

async function rejection(call: Promise<unknown>): Promise<DeviceLoginError> {
  const error = await call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeviceLoginError);
  const dump = `${String(error)} ${(error as Error).message} ${JSON.stringify(error)}`;
  expect(dump).not.toContain(TOKEN);
  expect(dump).not.toContain('SECRET-KEY');
  return error as DeviceLoginError;
}

describe('requests are what the AWS SDK sends (PROTOCOL §4 captures)', () => {
  it('ListAccounts: GET, max_result then next_token (SDK encoding), bearer header, no content-type', async () => {
    server.reply(ok({ accountList: [], nextToken: null }));
    await portal().listAccounts({ accessToken: TOKEN, maxResults: 10, nextToken: 'dummy/next+token=' });
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/assignment/accounts?max_result=10&next_token=dummy%2Fnext%2Btoken%3D');
    expect(request?.headers['x-amz-sso_bearer_token']).toBe(TOKEN);
    expect(request?.headerNames).not.toContain('content-type');
    expect(request?.headerNames).not.toContain('authorization');
    expect(request?.body).toBe('');
  });

  it('ListAccounts without options has no query string', async () => {
    server.reply(ok({ accountList: [] }));
    await portal().listAccounts({ accessToken: TOKEN });
    expect(server.requests[0]?.url).toBe('/assignment/accounts');
  });

  it("ListAccountRoles: account_id, max_result, next_token; `!'()*` escaped like the SDK", async () => {
    server.reply(ok({ roleList: [] }));
    await portal().listAccountRoles({
      accessToken: TOKEN,
      accountId: '111122223333',
      maxResults: 5,
      nextToken: "a b!'()*~/+=",
    });
    expect(server.requests[0]?.url).toBe(
      '/assignment/roles?account_id=111122223333&max_result=5&next_token=a%20b%21%27%28%29%2A~%2F%2B%3D',
    );
  });

  it('GetRoleCredentials: account_id before role_name', async () => {
    server.reply(
      ok({
        roleCredentials: {
          accessKeyId: 'ASIADUMMY',
          secretAccessKey: 'dummy-secret',
          sessionToken: 'dummy-session',
          expiration: 1700003600000,
        },
      }),
    );
    await portal().getRoleCredentials({
      accessToken: TOKEN,
      accountId: '111122223333',
      roleName: 'Read Only/x',
    });
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/federation/credentials?account_id=111122223333&role_name=Read%20Only%2Fx');
    expect(request?.headerNames).not.toContain('content-type');
  });

  it('Logout: an empty POST (content-length 0, no content-type)', async () => {
    server.reply({ status: 200 });
    await expect(portal().logout({ accessToken: TOKEN })).resolves.toBeUndefined();
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/logout');
    expect(request?.headers['content-length']).toBe('0');
    expect(request?.headerNames).not.toContain('content-type');
    expect(request?.headers['x-amz-sso_bearer_token']).toBe(TOKEN);
  });

  it('keeps a path prefix', async () => {
    server.reply({ status: 200, body: '{}' });
    await createSsoPortalClient({ endpoint: `${server.url}/aws-proxy/portal/` }).logout({
      accessToken: TOKEN,
    });
    expect(server.requests[0]?.url).toBe('/aws-proxy/portal/logout');
  });
});

describe('successful responses', () => {
  it('ListAccounts: null nextToken and optional members dropped, unknown members dropped', async () => {
    server.reply(
      ok({
        accountList: [
          { accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com', extra: 1 },
          { accountId: '444455556666', accountName: null },
        ],
        nextToken: null,
        other: true,
      }),
    );
    expect(await portal().listAccounts({ accessToken: TOKEN })).toStrictEqual({
      accountList: [
        { accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com' },
        { accountId: '444455556666' },
      ],
    });
  });

  it('ListAccounts: an absent accountList is an empty page', async () => {
    server.reply(ok({}));
    expect(await portal().listAccounts({ accessToken: TOKEN })).toStrictEqual({ accountList: [] });
  });

  it('ListAccountRoles keeps nextToken', async () => {
    server.reply(ok({ roleList: [{ roleName: 'ReadOnly', accountId: '111122223333' }], nextToken: 'tok2' }));
    expect(await portal().listAccountRoles({ accessToken: TOKEN, accountId: '111122223333' })).toStrictEqual({
      roleList: [{ roleName: 'ReadOnly', accountId: '111122223333' }],
      nextToken: 'tok2',
    });
  });

  it('GetRoleCredentials keeps expiration in epoch ms', async () => {
    const roleCredentials = {
      accessKeyId: 'ASIADUMMY',
      secretAccessKey: 'dummy-secret',
      sessionToken: 'dummy-session',
      expiration: 1700003600000,
    };
    server.reply(ok({ roleCredentials }));
    expect(
      await portal().getRoleCredentials({
        accessToken: TOKEN,
        accountId: '111122223333',
        roleName: 'ReadOnly',
      }),
    ).toStrictEqual({ roleCredentials });
  });
});

describe('malformed success bodies → ProtocolError naming the member', () => {
  const credentials = {
    accessKeyId: 'ASIADUMMY',
    secretAccessKey: 'SECRET-KEY-1',
    sessionToken: 'SECRET-KEY-2',
    expiration: 1700003600000,
  };
  const getCredentials = () =>
    portal().getRoleCredentials({ accessToken: TOKEN, accountId: '111122223333', roleName: 'ReadOnly' });
  const listAccounts = () => portal().listAccounts({ accessToken: TOKEN });
  const listRoles = () => portal().listAccountRoles({ accessToken: TOKEN, accountId: '111122223333' });

  it.each([
    [listAccounts, { accountList: {} }, 'accountList'],
    [listAccounts, { accountList: ['111122223333'] }, 'accountList[0]'],
    [listAccounts, { accountList: [{ accountName: 'dev' }] }, 'accountList[0].accountId'],
    [listAccounts, { accountList: [{ accountId: '1', emailAddress: 5 }] }, 'accountList[0].emailAddress'],
    [listAccounts, { accountList: [], nextToken: 7 }, 'nextToken'],
    [listRoles, { roleList: [{ roleName: 'R' }] }, 'roleList[0].accountId'],
    [listRoles, { roleList: [{ accountId: '1', roleName: '' }] }, 'roleList[0].roleName'],
    [getCredentials, {}, 'roleCredentials'],
    [getCredentials, { roleCredentials: [] }, 'roleCredentials'],
    [
      getCredentials,
      { roleCredentials: { ...credentials, accessKeyId: undefined } },
      'roleCredentials.accessKeyId',
    ],
    [
      getCredentials,
      { roleCredentials: { ...credentials, secretAccessKey: 1 } },
      'roleCredentials.secretAccessKey',
    ],
    [
      getCredentials,
      { roleCredentials: { ...credentials, sessionToken: null } },
      'roleCredentials.sessionToken',
    ],
    [
      getCredentials,
      { roleCredentials: { ...credentials, expiration: 1700003600 } },
      'roleCredentials.expiration',
    ],
    [
      getCredentials,
      { roleCredentials: { ...credentials, expiration: '2023-11-14T23:13:20Z' } },
      'roleCredentials.expiration',
    ],
  ] as const)('%#: %s', async (call, body, member) => {
    server.reply(ok(body));
    const error = await rejection(call());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain(`response: member "${member}"`);
  });

  it('expiration in seconds is called out', async () => {
    server.reply(ok({ roleCredentials: { ...credentials, expiration: 1700003600 } }));
    const error = await rejection(getCredentials());
    expect(error.message).toContain('looks like seconds');
  });
});

describe('errors', () => {
  it('401 with the switchboard __type → unauthorized, with operation and description', async () => {
    server.reply({
      status: 401,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-401' },
      body: {
        message: 'Session token not found or invalid',
        __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
      },
    });
    const error = await rejection(portal().listAccounts({ accessToken: TOKEN }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'unauthorized',
      exception: 'UnauthorizedException',
      errorDescription: 'Session token not found or invalid',
      operation: 'ListAccounts',
      requestId: 'req-401',
      status: 401,
    });
  });

  it('an untyped, empty 401 → unauthorized (not invalid_client)', async () => {
    server.reply({ status: 401 });
    expect(await rejection(portal().logout({ accessToken: TOKEN }))).toMatchObject({
      code: 'unauthorized',
      operation: 'Logout',
    });
  });

  it('429 TooManyRequestsException with Retry-After → throttled', async () => {
    server.reply({
      status: 429,
      headers: { 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '3' },
      body: { message: 'Too many requests' },
    });
    const error = await rejection(portal().listAccountRoles({ accessToken: TOKEN, accountId: '1' }));
    expect(error).toMatchObject({ code: 'throttled', retryAfter: 3, operation: 'ListAccountRoles' });
  });

  it('404 ResourceNotFoundException → not_found', async () => {
    server.reply({
      status: 404,
      body: { message: 'No access', __type: 'com.amazonaws.switchboard.portal#ResourceNotFoundException' },
    });
    expect(
      await rejection(portal().getRoleCredentials({ accessToken: TOKEN, accountId: '1', roleName: 'R' })),
    ).toMatchObject({ code: 'not_found', operation: 'GetRoleCredentials' });
  });

  it('a server echoing the bearer token back does not leak it', async () => {
    server.reply((request) => ({
      status: 400,
      body: {
        __type: 'com.amazonaws.switchboard.portal#InvalidRequestException',
        message: `bad token ${String(request.headers['x-amz-sso_bearer_token'])}`,
      },
    }));
    const error = await rejection(portal().listAccounts({ accessToken: TOKEN }));
    expect(error).toMatchObject({ code: 'invalid_request', errorDescription: 'bad token [redacted]' });
  });

  it('nothing listening → NetworkError', async () => {
    const error = await rejection(
      createSsoPortalClient({ endpoint: await unusedUrl() }).logout({ accessToken: TOKEN }),
    );
    expect(error).toBeInstanceOf(NetworkError);
  });
});

describe('pagination', () => {
  /** Serves `pages` keyed by the next_token they answer (`''` = first page). */
  function servePages(pages: Record<string, unknown>) {
    server.reply((request) => {
      const token = new URL(request.url, server.url).searchParams.get('next_token') ?? '';
      return ok(pages[token]);
    });
  }

  it('listAllAccounts follows nextToken until it is null, passing maxResults each time', async () => {
    servePages({
      '': { accountList: [{ accountId: '1' }], nextToken: 'p/2' },
      'p/2': { accountList: [{ accountId: '2' }, { accountId: '3' }], nextToken: 'p3' },
      p3: { accountList: [{ accountId: '4' }], nextToken: null },
    });
    const accounts = await portal().listAllAccounts({ accessToken: TOKEN, maxResults: 2 });
    expect(accounts.map((a) => a.accountId)).toEqual(['1', '2', '3', '4']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/assignment/accounts?max_result=2',
      '/assignment/accounts?max_result=2&next_token=p%2F2',
      '/assignment/accounts?max_result=2&next_token=p3',
    ]);
  });

  it('listAllAccountRoles stops when nextToken is absent, or an empty string', async () => {
    servePages({
      '': { roleList: [{ roleName: 'A', accountId: '1' }], nextToken: 't2' },
      t2: { roleList: [{ roleName: 'B', accountId: '1' }], nextToken: '' },
    });
    const roles = await portal().listAllAccountRoles({ accessToken: TOKEN, accountId: '1' });
    expect(roles).toEqual([
      { roleName: 'A', accountId: '1' },
      { roleName: 'B', accountId: '1' },
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('paginateAccounts yields pages lazily', async () => {
    servePages({
      '': { accountList: [{ accountId: '1' }], nextToken: 't2' },
      t2: { accountList: [{ accountId: '2' }] },
    });
    const pages = portal().paginateAccounts({ accessToken: TOKEN });
    expect(server.requests).toHaveLength(0);
    const first = await pages.next();
    expect(first.value).toEqual({ accountList: [{ accountId: '1' }], nextToken: 't2' });
    expect(server.requests).toHaveLength(1);
    const rest = [];
    for await (const page of pages) rest.push(page);
    expect(rest).toEqual([{ accountList: [{ accountId: '2' }] }]);
  });

  it('a server repeating a nextToken → ProtocolError instead of an endless loop', async () => {
    servePages({
      '': { roleList: [], nextToken: 'a' },
      a: { roleList: [], nextToken: 'b' },
      b: { roleList: [], nextToken: 'a' },
    });
    const error = await rejection(portal().listAllAccountRoles({ accessToken: TOKEN, accountId: '1' }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('"nextToken" repeats');
    expect(server.requests).toHaveLength(3);
  });

  it('a server returning the same token forever is stopped at the second page', async () => {
    server.reply(ok({ accountList: [], nextToken: 'same' }));
    const error = await rejection(portal().listAllAccounts({ accessToken: TOKEN }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, requestId: 'req-ok' });
    expect(server.requests).toHaveLength(2);
  });

  it('an abort between pages → aborted, and no further request', async () => {
    servePages({
      '': { accountList: [{ accountId: '1' }], nextToken: 't2' },
      t2: { accountList: [{ accountId: '2' }] },
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const page of portal().paginateAccounts(
          { accessToken: TOKEN },
          { signal: controller.signal },
        )) {
          seen.push(...page.accountList.map((a) => a.accountId));
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('aborted');
    expect(seen).toEqual(['1']);
    expect(server.requests).toHaveLength(1);
  });

  it('bad input throws when paginating starts, before any request', () => {
    const { fetch, calls } = recordingFetch();
    const client = createSsoPortalClient({ endpoint: server.url, fetch });
    expect(() => client.paginateAccounts({ accessToken: '' })).toThrowError(
      expect.objectContaining({ argument: 'input.accessToken' }),
    );
    expect(() =>
      client.paginateAccountRoles({ accessToken: TOKEN } as unknown as Omit<
        ListAccountRolesInput,
        'nextToken'
      >),
    ).toThrowError(expect.objectContaining({ argument: 'input.accountId' }));
    expect(calls).toHaveLength(0);
  });
});

describe('input validation happens before any request', () => {
  async function invalidArgument(call: () => Promise<unknown>, argument: string) {
    const { fetch, calls } = recordingFetch();
    vi.stubGlobal('fetch', fetch);
    const error = await rejection(call());
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(calls).toHaveLength(0);
  }
  const client = () => createSsoPortalClient({ region: 'eu-west-1' });

  it.each([
    ['input', null],
    ['input.accessToken', {}],
    ['input.accessToken', { accessToken: '' }],
    ['input.maxResults', { accessToken: TOKEN, maxResults: 0 }],
    ['input.maxResults', { accessToken: TOKEN, maxResults: 101 }],
    ['input.maxResults', { accessToken: TOKEN, maxResults: 2.5 }],
    ['input.maxResults', { accessToken: TOKEN, maxResults: '10' }],
    ['input.nextToken', { accessToken: TOKEN, nextToken: 5 }],
  ])('listAccounts %s: %j', async (argument, input) => {
    await invalidArgument(() => client().listAccounts(input as ListAccountsInput), argument);
  });

  it.each([
    ['input.accountId', { accessToken: TOKEN }],
    ['input.accountId', { accessToken: TOKEN, accountId: 111122223333 }],
    ['input.maxResults', { accessToken: TOKEN, accountId: '1', maxResults: -1 }],
  ])('listAccountRoles %s: %j', async (argument, input) => {
    await invalidArgument(() => client().listAccountRoles(input as ListAccountRolesInput), argument);
  });

  it.each([
    ['input.accessToken', { accountId: '1', roleName: 'R' }],
    ['input.accountId', { accessToken: TOKEN, roleName: 'R' }],
    ['input.roleName', { accessToken: TOKEN, accountId: '1' }],
  ])('getRoleCredentials %s: %j', async (argument, input) => {
    await invalidArgument(() => client().getRoleCredentials(input as GetRoleCredentialsInput), argument);
  });

  it('logout needs an access token', async () => {
    await invalidArgument(
      () => client().logout({ accessToken: undefined as unknown as string }),
      'input.accessToken',
    );
  });

  it('listAll* reject (not throw) on bad input', async () => {
    await invalidArgument(
      () => client().listAllAccounts({ accessToken: TOKEN, maxResults: 500 }),
      'input.maxResults',
    );
  });

  it('maxResults 1 and 100 are accepted', async () => {
    server.reply(ok({ accountList: [] }));
    await portal().listAccounts({ accessToken: TOKEN, maxResults: 1 });
    await portal().listAccounts({ accessToken: TOKEN, maxResults: 100 });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/assignment/accounts?max_result=1',
      '/assignment/accounts?max_result=100',
    ]);
  });
});

describe('config', () => {
  it('resolves the portal endpoint, validated at creation', () => {
    expect(createSsoPortalClient({ region: 'cn-north-1', fips: true }).endpoint).toBe(
      'https://portal.sso-fips.cn-north-1.amazonaws.com.cn',
    );
    expect(() => createSsoPortalClient({ region: 'us-gov-west' })).toThrowError(
      expect.objectContaining({ argument: 'config.region' }),
    );
  });
});
