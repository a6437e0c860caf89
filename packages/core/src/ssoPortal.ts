/**
 * SSO portal API client over `fetch` (service `SWBPortalService`, sdkId `SSO`): what an access token unlocks.
 * Requests match `@aws-sdk/client-sso` (PROTOCOL §4, §7): bearer token in the `x-amz-sso_bearer_token` header,
 * query members in the SDK's order, no content-type on GETs, an empty POST for Logout.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/Welcome.html
 */
import { ProtocolError } from './errors.ts';
import { inputObject, optionalInteger, optionalString, requiredString } from './inputAssertions.ts';
import { type ResolvedClientConfig, resolveClientConfig } from './resolveClientConfig.ts';
import {
  type ResponseContext,
  readEpochMillis,
  readObject,
  readObjectList,
  readOptionalString,
  readString,
} from './responseAssertions.ts';
import { type SendRequestResult, sendRequest } from './sendRequest.ts';
import type {
  AccountInfo,
  GetRoleCredentialsInput,
  GetRoleCredentialsOutput,
  ListAccountRolesInput,
  ListAccountRolesOutput,
  ListAccountsInput,
  ListAccountsOutput,
  LogoutInput,
  RequestOptions,
  RoleInfo,
  SsoClientConfig,
  SsoPortalClient,
} from './types.ts';

/** The SDK's `extendedEncodeURIComponent`: also escapes `!'()*`, which `encodeURIComponent` leaves alone. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A query string from `[name, value]` pairs in the given order, skipping unset values. */
function query(pairs: readonly (readonly [string, string | number | undefined])[]): string {
  const parts = pairs
    .filter((pair): pair is readonly [string, string | number] => pair[1] !== undefined)
    .map(([name, value]) => `${name}=${encode(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function contextOf(operation: string, result: SendRequestResult): ResponseContext {
  return { operation, status: result.status, requestId: result.requestId };
}

/** `nextToken`: a non-empty string, or absent. `null` and `""` both end the pagination. */
function readNextToken(context: ResponseContext, body: SendRequestResult['body']): string | undefined {
  const token = readOptionalString(context, body, 'nextToken');
  return token === '' ? undefined : token;
}

function parseListAccountsResponse(result: SendRequestResult): ListAccountsOutput {
  const context = contextOf('ListAccounts', result);
  const accountList = readObjectList(context, result.body, 'accountList').map((item, index) => {
    const path = `accountList[${index}]`;
    const account: AccountInfo = { accountId: readString(context, item, 'accountId', `${path}.accountId`) };
    const accountName = readOptionalString(context, item, 'accountName', `${path}.accountName`);
    if (accountName !== undefined) account.accountName = accountName;
    const emailAddress = readOptionalString(context, item, 'emailAddress', `${path}.emailAddress`);
    if (emailAddress !== undefined) account.emailAddress = emailAddress;
    return account;
  });
  const output: ListAccountsOutput = { accountList };
  const nextToken = readNextToken(context, result.body);
  if (nextToken !== undefined) output.nextToken = nextToken;
  return output;
}

function parseListAccountRolesResponse(result: SendRequestResult): ListAccountRolesOutput {
  const context = contextOf('ListAccountRoles', result);
  const roleList = readObjectList(context, result.body, 'roleList').map(
    (item, index): RoleInfo => ({
      roleName: readString(context, item, 'roleName', `roleList[${index}].roleName`),
      accountId: readString(context, item, 'accountId', `roleList[${index}].accountId`),
    }),
  );
  const output: ListAccountRolesOutput = { roleList };
  const nextToken = readNextToken(context, result.body);
  if (nextToken !== undefined) output.nextToken = nextToken;
  return output;
}

function parseGetRoleCredentialsResponse(result: SendRequestResult): GetRoleCredentialsOutput {
  const context = contextOf('GetRoleCredentials', result);
  const credentials = readObject(context, result.body, 'roleCredentials');
  return {
    roleCredentials: {
      accessKeyId: readString(context, credentials, 'accessKeyId', 'roleCredentials.accessKeyId'),
      secretAccessKey: readString(context, credentials, 'secretAccessKey', 'roleCredentials.secretAccessKey'),
      sessionToken: readString(context, credentials, 'sessionToken', 'roleCredentials.sessionToken'),
      expiration: readEpochMillis(context, credentials, 'expiration', 'roleCredentials.expiration'),
    },
  };
}

/** A checked ListAccounts / ListAccountRoles input. */
interface ListRequest {
  accessToken: string;
  accountId?: string | undefined;
  maxResults: number | undefined;
  nextToken: string | undefined;
}

/** A page and where it came from, so pagination errors can carry the status and request id. */
interface Page<T> {
  output: T;
  result: SendRequestResult;
}

/**
 * Follows `nextToken` until it is absent. A token seen before means the server is looping (it would never end),
 * which is a protocol error rather than an endless loop.
 */
async function* paginate<T extends { nextToken?: string | undefined }>(
  operation: string,
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    nextToken = page.output.nextToken;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) {
        throw new ProtocolError(
          `${operation} response: member "nextToken" repeats a token from an earlier page, so the pagination ` +
            'would never end',
          { status: page.result.status, requestId: page.result.requestId },
        );
      }
      seen.add(nextToken);
    }
    // An abort between pages surfaces from the next request as a `DeviceLoginError` coded `aborted`.
    yield page.output;
  } while (nextToken !== undefined);
}

/** One portal request: the bearer token goes in the header, and is blanked out of any error text. */
function portalRequest(
  config: ResolvedClientConfig,
  operation: string,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  accessToken: string,
  options: RequestOptions | undefined,
): Promise<SendRequestResult> {
  return sendRequest({
    fetch: config.fetch,
    service: 'portal',
    operation,
    method,
    url: `${config.endpoint}${pathAndQuery}`,
    // The header name really has an underscore (nginx drops such headers unless `underscores_in_headers on`).
    headers: { 'x-amz-sso_bearer_token': accessToken },
    signal: options?.signal,
    allowEmpty: operation === 'Logout',
    secrets: [accessToken],
  });
}

function accessTokenOf(value: Readonly<Record<string, unknown>>): string {
  return requiredString(value.accessToken, 'input.accessToken', 'from createToken');
}

/**
 * The portal's Logout on its own, for callers that need nothing else from the portal (the AWS provider), so the
 * rest of the client is left out of their bundle. The input is not checked here: the AWS provider passes the
 * access token of a session that was checked when it was obtained or read from storage, and the client's
 * `logout` checks a caller's input before calling this.
 */
export async function portalLogout(
  config: ResolvedClientConfig,
  input: LogoutInput,
  options?: RequestOptions,
): Promise<void> {
  // An empty POST, as the SDK sends it: no body and so no content-type (fetch adds `content-length: 0`).
  await portalRequest(config, 'Logout', 'POST', '/logout', input.accessToken, options);
}

/**
 * Creates an SSO portal API client. The config is validated now; the region is the IAM Identity Center region,
 * the same as the OIDC client's.
 *
 * @example
 * ```ts
 * const portal = createSsoPortalClient({ region: 'eu-west-1' });
 * const accounts = await portal.listAllAccounts({ accessToken });
 * ```
 */
export function createSsoPortalClient(config?: SsoClientConfig): SsoPortalClient {
  const resolved = resolveClientConfig(config, 'portal.sso');

  function checkListAccounts(input: unknown): ListRequest {
    const value = inputObject(input, 'input');
    return {
      accessToken: accessTokenOf(value),
      maxResults: optionalInteger(value.maxResults, 'input.maxResults', 1, 100),
      nextToken: optionalString(value.nextToken, 'input.nextToken'),
    };
  }

  function checkListAccountRoles(input: unknown): ListRequest {
    const value = inputObject(input, 'input');
    return {
      accessToken: accessTokenOf(value),
      accountId: requiredString(value.accountId, 'input.accountId', 'a 12-digit AWS account ID'),
      maxResults: optionalInteger(value.maxResults, 'input.maxResults', 1, 100),
      nextToken: optionalString(value.nextToken, 'input.nextToken'),
    };
  }

  async function listAccountsPage(request: ListRequest, options: RequestOptions | undefined) {
    const path = `/assignment/accounts${query([
      ['max_result', request.maxResults],
      ['next_token', request.nextToken],
    ])}`;
    const result = await portalRequest(resolved, 'ListAccounts', 'GET', path, request.accessToken, options);
    return { output: parseListAccountsResponse(result), result };
  }

  async function listAccountRolesPage(request: ListRequest, options: RequestOptions | undefined) {
    const path = `/assignment/roles${query([
      ['account_id', request.accountId],
      ['max_result', request.maxResults],
      ['next_token', request.nextToken],
    ])}`;
    const result = await portalRequest(
      resolved,
      'ListAccountRoles',
      'GET',
      path,
      request.accessToken,
      options,
    );
    return { output: parseListAccountRolesResponse(result), result };
  }

  // Inputs are checked when paginating starts (a synchronous throw), not on the first `next()`; a `nextToken`
  // in the input is ignored, as the types say: pagination always starts at the first page.
  function paginateAccounts(input: Omit<ListAccountsInput, 'nextToken'>, options?: RequestOptions) {
    const request = checkListAccounts({ ...inputObject(input, 'input'), nextToken: undefined });
    return paginate('ListAccounts', (nextToken) => listAccountsPage({ ...request, nextToken }, options));
  }

  function paginateAccountRoles(input: Omit<ListAccountRolesInput, 'nextToken'>, options?: RequestOptions) {
    const request = checkListAccountRoles({ ...inputObject(input, 'input'), nextToken: undefined });
    return paginate('ListAccountRoles', (nextToken) =>
      listAccountRolesPage({ ...request, nextToken }, options),
    );
  }

  return {
    endpoint: resolved.endpoint,

    async listAccounts(input, options) {
      return (await listAccountsPage(checkListAccounts(input), options)).output;
    },

    async listAccountRoles(input, options) {
      return (await listAccountRolesPage(checkListAccountRoles(input), options)).output;
    },

    paginateAccounts,
    paginateAccountRoles,

    async listAllAccounts(input, options) {
      const accounts: AccountInfo[] = [];
      for await (const page of paginateAccounts(input, options)) accounts.push(...page.accountList);
      return accounts;
    },

    async listAllAccountRoles(input, options) {
      const roles: RoleInfo[] = [];
      for await (const page of paginateAccountRoles(input, options)) roles.push(...page.roleList);
      return roles;
    },

    async getRoleCredentials(input: GetRoleCredentialsInput, options?: RequestOptions) {
      const value = inputObject(input, 'input');
      const accessToken = accessTokenOf(value);
      // The SDK's order: account_id before role_name (PROTOCOL §4 capture).
      const path = `/federation/credentials${query([
        ['account_id', requiredString(value.accountId, 'input.accountId', 'a 12-digit AWS account ID')],
        ['role_name', requiredString(value.roleName, 'input.roleName', 'from listAccountRoles')],
      ])}`;
      return parseGetRoleCredentialsResponse(
        await portalRequest(resolved, 'GetRoleCredentials', 'GET', path, accessToken, options),
      );
    },

    async logout(input: LogoutInput, options?: RequestOptions) {
      await portalLogout(resolved, { accessToken: accessTokenOf(inputObject(input, 'input')) }, options);
    },
  };
}
