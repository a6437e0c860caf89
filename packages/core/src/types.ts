/**
 * AWS IAM Identity Center wire types: SSO OIDC (`com.amazonaws.ssooidc`, 2019-06-10) and the SSO portal API.
 * Member names are exactly AWS's (camelCase). Timestamps are as AWS sends them: `clientIdIssuedAt` and
 * `clientSecretExpiresAt` in epoch **seconds**, `roleCredentials.expiration` in epoch **milliseconds**.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/
 * @see https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/
 */

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the request; the promise rejects with a `DeviceLoginError` coded `aborted`. */
  signal?: AbortSignal | undefined;
}

/** A `fetch`-compatible function (the global `fetch`, a proxy wrapper, or the emulator's in-process fetch). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

// ---------------------------------------------------------------------------------------------------------------
// RegisterClient: POST /client/register
// ---------------------------------------------------------------------------------------------------------------

export interface RegisterClientInput {
  /** Friendly name shown to users on the approval page. */
  clientName: string;
  /** Must be `public`: the service supports no other type. */
  clientType: 'public';
  /** e.g. `['sso:account:access']`, which AWS needs to issue refresh tokens. */
  scopes?: string[] | undefined;
  redirectUris?: string[] | undefined;
  grantTypes?: string[] | undefined;
  issuerUrl?: string | undefined;
  entitledApplicationArn?: string | undefined;
}

export interface RegisterClientOutput {
  clientId: string;
  clientSecret: string;
  /** Epoch seconds. */
  clientIdIssuedAt: number;
  /** Epoch seconds. */
  clientSecretExpiresAt: number;
  authorizationEndpoint?: string | undefined;
  tokenEndpoint?: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// StartDeviceAuthorization: POST /device_authorization
// ---------------------------------------------------------------------------------------------------------------

export interface StartDeviceAuthorizationInput {
  clientId: string;
  clientSecret: string;
  /** The AWS access portal URL, e.g. `https://d-1234567890.awsapps.com/start`. */
  startUrl: string;
}

export interface StartDeviceAuthorizationOutput {
  /** Secret. Never display, log or persist it. */
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string | undefined;
  /** Seconds until the device code expires. */
  expiresIn: number;
  /** Seconds to wait between polls; 5 when the server sent none. */
  interval: number;
}

// ---------------------------------------------------------------------------------------------------------------
// CreateToken: POST /token
// ---------------------------------------------------------------------------------------------------------------

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface CreateTokenBase {
  clientId: string;
  clientSecret: string;
  /** AWS documents that this has no effect; kept for wire fidelity. */
  scope?: string[] | undefined;
}

export interface CreateTokenDeviceCodeInput extends CreateTokenBase {
  grantType: typeof DEVICE_CODE_GRANT;
  deviceCode: string;
}

export interface CreateTokenRefreshInput extends CreateTokenBase {
  grantType: 'refresh_token';
  refreshToken: string;
}

export interface CreateTokenAuthorizationCodeInput extends CreateTokenBase {
  grantType: 'authorization_code';
  code: string;
  redirectUri: string;
  codeVerifier?: string | undefined;
}

export type CreateTokenInput =
  | CreateTokenDeviceCodeInput
  | CreateTokenRefreshInput
  | CreateTokenAuthorizationCodeInput;

export interface CreateTokenOutput {
  accessToken: string;
  tokenType: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken?: string | undefined;
  idToken?: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Portal API
// ---------------------------------------------------------------------------------------------------------------

export interface AccountInfo {
  accountId: string;
  accountName?: string | undefined;
  emailAddress?: string | undefined;
}

export interface RoleInfo {
  roleName: string;
  accountId: string;
}

export interface ListAccountsInput {
  accessToken: string;
  /** 1–100. */
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

export interface ListAccountsOutput {
  accountList: AccountInfo[];
  nextToken?: string | undefined;
}

export interface ListAccountRolesInput extends ListAccountsInput {
  accountId: string;
}

export interface ListAccountRolesOutput {
  roleList: RoleInfo[];
  nextToken?: string | undefined;
}

export interface GetRoleCredentialsInput {
  accessToken: string;
  accountId: string;
  roleName: string;
}

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface GetRoleCredentialsOutput {
  roleCredentials: RoleCredentials;
}

export interface LogoutInput {
  accessToken: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Client shapes
// ---------------------------------------------------------------------------------------------------------------

export interface SsoOidcClient {
  /** The resolved base URL requests go to. */
  readonly endpoint: string;
  registerClient(input: RegisterClientInput, options?: RequestOptions): Promise<RegisterClientOutput>;
  startDeviceAuthorization(
    input: StartDeviceAuthorizationInput,
    options?: RequestOptions,
  ): Promise<StartDeviceAuthorizationOutput>;
  createToken(input: CreateTokenInput, options?: RequestOptions): Promise<CreateTokenOutput>;
}

export interface SsoPortalClient {
  readonly endpoint: string;
  listAccounts(input: ListAccountsInput, options?: RequestOptions): Promise<ListAccountsOutput>;
  listAccountRoles(input: ListAccountRolesInput, options?: RequestOptions): Promise<ListAccountRolesOutput>;
  /** Every account, following `nextToken` until the last page. */
  listAllAccounts(
    input: Omit<ListAccountsInput, 'nextToken'>,
    options?: RequestOptions,
  ): Promise<AccountInfo[]>;
  /** Every role of an account, following `nextToken` until the last page. */
  listAllAccountRoles(
    input: Omit<ListAccountRolesInput, 'nextToken'>,
    options?: RequestOptions,
  ): Promise<RoleInfo[]>;
  /** Pages of accounts as an async iterator. */
  paginateAccounts(
    input: Omit<ListAccountsInput, 'nextToken'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<ListAccountsOutput>;
  paginateAccountRoles(
    input: Omit<ListAccountRolesInput, 'nextToken'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<ListAccountRolesOutput>;
  getRoleCredentials(
    input: GetRoleCredentialsInput,
    options?: RequestOptions,
  ): Promise<GetRoleCredentialsOutput>;
  logout(input: LogoutInput, options?: RequestOptions): Promise<void>;
}

export interface SsoClientConfig {
  /** AWS region of the IAM Identity Center instance, e.g. `us-east-1`. Defaults to `us-east-1`. */
  region?: string | undefined;
  /** Base URL that overrides endpoint resolution (a same-origin proxy, or the emulator). */
  endpoint?: string | undefined;
  /** Use the FIPS endpoint. Defaults to `false`. */
  fips?: boolean | undefined;
  /** Use the dual-stack (IPv6) endpoint. Defaults to `false`. */
  dualStack?: boolean | undefined;
  /** `fetch` to use. Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
}
