/**
 * SSO OIDC client over `fetch`: RegisterClient, StartDeviceAuthorization, CreateToken (restJson1, no auth).
 * Requests are byte-compatible with what `@aws-sdk/client-sso-oidc` sends (PROTOCOL §4): JSON members in the
 * model's order, unset members omitted. Inputs are checked before any request; responses member by member.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/Welcome.html
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
import { InvalidArgumentError } from './errors.ts';
import {
  inputObject,
  optionalString,
  optionalStringArray,
  requiredString,
  requiredUrl,
} from './inputAssertions.ts';
import type { PollPending } from './provider.ts';
import { type ResolvedClientConfig, resolveClientConfig } from './resolveClientConfig.ts';
import {
  type ResponseContext,
  readEpochSeconds,
  readHttpUrl,
  readOptionalHttpUrl,
  readOptionalString,
  readPositiveInteger,
  readString,
} from './responseAssertions.ts';
import { type SendRequestResult, sendRequest } from './sendRequest.ts';
import {
  type CreateTokenInput,
  type CreateTokenOutput,
  DEVICE_CODE_GRANT,
  type RegisterClientInput,
  type RegisterClientOutput,
  type RequestOptions,
  type SsoClientConfig,
  type SsoOidcClient,
  type StartDeviceAuthorizationInput,
  type StartDeviceAuthorizationOutput,
} from './types.ts';

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL = 5;

type Grant = typeof DEVICE_CODE_GRANT | 'refresh_token' | 'authorization_code';

/** Members that belong to one grant only; sending one with another grant is a caller mistake. */
const GRANT_MEMBERS = {
  deviceCode: [DEVICE_CODE_GRANT],
  refreshToken: ['refresh_token'],
  code: ['authorization_code'],
  redirectUri: ['authorization_code'],
  codeVerifier: ['authorization_code'],
} as const satisfies Record<string, readonly Grant[]>;

function checkGrantType(value: unknown): Grant {
  const grantType = requiredString(
    value,
    'input.grantType',
    `"${DEVICE_CODE_GRANT}", "refresh_token" or "authorization_code"`,
  );
  if (
    grantType === DEVICE_CODE_GRANT ||
    grantType === 'refresh_token' ||
    grantType === 'authorization_code'
  ) {
    return grantType;
  }
  if (grantType === 'urn:ietf:params:oauth:grant-type:device-code') {
    throw new InvalidArgumentError(
      'input.grantType',
      `uses a hyphen ("device-code"), a typo copied from the AWS SDK docs: use "${DEVICE_CODE_GRANT}"`,
    );
  }
  throw new InvalidArgumentError(
    'input.grantType',
    `is not a supported grant type: use "${DEVICE_CODE_GRANT}", "refresh_token" or "authorization_code"`,
  );
}

function checkGrantTypeList(value: unknown): string[] | undefined {
  const grantTypes = optionalStringArray(value, 'input.grantTypes');
  grantTypes?.forEach((grantType, index) => {
    if (grantType === 'urn:ietf:params:oauth:grant-type:device-code') {
      throw new InvalidArgumentError(
        `input.grantTypes[${index}]`,
        `uses a hyphen ("device-code"), a typo copied from the AWS SDK docs: use "${DEVICE_CODE_GRANT}"`,
      );
    }
  });
  return grantTypes;
}

type Reader = (context: ResponseContext, body: SendRequestResult['body'], key: string) => unknown;

/**
 * Reads an answer member by member, in the table's order, with the table's reader for each. Unknown members are
 * dropped and absent or `null` optionals left out, as the SDK does.
 */
function parse<T>(operation: string, result: SendRequestResult, readers: Record<string, Reader>): T {
  const context = { operation, status: result.status, requestId: result.requestId };
  const output: Record<string, unknown> = {};
  for (const key in readers) {
    const value = readers[key]!(context, result.body, key);
    if (value !== undefined) output[key] = value;
  }
  return output as T;
}

/** RegisterClient: timestamps stay epoch seconds. */
const REGISTER_CLIENT_OUTPUT = {
  clientId: readString,
  clientSecret: readString,
  clientIdIssuedAt: readEpochSeconds,
  clientSecretExpiresAt: readEpochSeconds,
  authorizationEndpoint: readOptionalString,
  tokenEndpoint: readOptionalString,
};

/**
 * StartDeviceAuthorization: verification URIs must be http(s) (they become links), `interval` defaults to 5 s when
 * absent or `null`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2
 */
const DEVICE_AUTHORIZATION_OUTPUT = {
  deviceCode: readString,
  userCode: readString,
  verificationUri: readHttpUrl,
  expiresIn: readPositiveInteger,
  interval: (context, body, key) =>
    body[key] == null ? DEFAULT_INTERVAL : readPositiveInteger(context, body, key),
  verificationUriComplete: readOptionalHttpUrl,
} satisfies Record<string, Reader>;

/** CreateToken: `idToken` is kept when present although AWS says it is not supported. */
const CREATE_TOKEN_OUTPUT = {
  accessToken: readString,
  tokenType: readString,
  expiresIn: readPositiveInteger,
  refreshToken: readOptionalString,
  idToken: readOptionalString,
};

/** Each operation's path and output. */
const OPERATIONS = {
  RegisterClient: ['/client/register', REGISTER_CLIENT_OUTPUT],
  StartDeviceAuthorization: ['/device_authorization', DEVICE_AUTHORIZATION_OUTPUT],
  CreateToken: ['/token', CREATE_TOKEN_OUTPUT],
} as const satisfies Record<string, readonly [string, Record<string, Reader>]>;

/** @internal An SSO OIDC operation name. */
export type SsoOidcOperation = keyof typeof OPERATIONS;

/** @internal The input and output of each operation. */
export interface SsoOidcOperations {
  RegisterClient: [RegisterClientInput, RegisterClientOutput];
  StartDeviceAuthorization: [StartDeviceAuthorizationInput, StartDeviceAuthorizationOutput];
  CreateToken: [CreateTokenInput, CreateTokenOutput];
}

/**
 * @internal One SSO OIDC POST on input that is already checked, members in the model's order: exactly the SDK's
 * request, JSON with no Authorization header (the operations are `smithy.api#noAuth`). JSON.stringify drops
 * `undefined` members, so unset optionals are omitted, never sent as null. The input's secret members (whichever
 * are set) are blanked out of error text.
 *
 * The client's methods check the caller's input first; `awsSsoOidc` builds its input itself (from checked options
 * and checked server answers), so its bundle leaves the input checks out.
 *
 * With `poll` (a device-code CreateToken, one poll), the "not yet" answers resolve as `{ pending }`, so the poll
 * that nearly always gets one builds no error.
 */
export async function oidcRequest<O extends SsoOidcOperation>(
  config: ResolvedClientConfig,
  operation: O,
  input: SsoOidcOperations[O][0],
  options: RequestOptions | undefined,
  poll?: boolean,
): Promise<SsoOidcOperations[O][1]> {
  const [path, readers] = OPERATIONS[operation];
  const { clientSecret, deviceCode, code, refreshToken, codeVerifier } = input as Partial<
    Record<'clientSecret' | 'deviceCode' | 'code' | 'refreshToken' | 'codeVerifier', string>
  >;
  const result = await sendRequest({
    fetch: config.fetch,
    service: 'oidc',
    operation,
    method: 'POST',
    url: `${config.endpoint}${path}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
    signal: options?.signal,
    secrets: [clientSecret, deviceCode, code, refreshToken, codeVerifier].filter(
      (secret): secret is string => secret !== undefined,
    ),
    poll,
  });
  return result.pending
    ? ({ pending: result.pending } as PollPending as never)
    : parse(operation, result, readers as Record<string, Reader>);
}

/**
 * Creates an SSO OIDC client. The config is validated now (region, FIPS/dual-stack, endpoint), so a mistake
 * throws an `InvalidArgumentError` here rather than at the first call.
 *
 * @example
 * ```ts
 * const oidc = createSsoOidcClient({ region: 'eu-west-1' });
 * const client = await oidc.registerClient({ clientName: 'my-app', clientType: 'public', scopes: ['sso:account:access'] });
 * ```
 */
export function createSsoOidcClient(config?: SsoClientConfig): SsoOidcClient {
  const resolved = resolveClientConfig(config, 'oidc');

  return {
    endpoint: resolved.endpoint,

    async registerClient(
      input: RegisterClientInput,
      options?: RequestOptions,
    ): Promise<RegisterClientOutput> {
      const value = inputObject(input, 'input');
      const clientName = requiredString(
        value.clientName,
        'input.clientName',
        'the name users see when approving',
      );
      if (value.clientType !== 'public') {
        throw new InvalidArgumentError(
          'input.clientType',
          'must be "public": IAM Identity Center rejects every other client type',
        );
      }
      const body = {
        clientName,
        clientType: 'public' as const,
        scopes: optionalStringArray(value.scopes, 'input.scopes'),
        redirectUris: optionalStringArray(value.redirectUris, 'input.redirectUris'),
        grantTypes: checkGrantTypeList(value.grantTypes),
        issuerUrl:
          value.issuerUrl === undefined || value.issuerUrl === null
            ? undefined
            : requiredUrl(value.issuerUrl, 'input.issuerUrl', {
                https: false,
                example: '"https://d-1234567890.awsapps.com/start"',
              }),
        entitledApplicationArn: optionalString(value.entitledApplicationArn, 'input.entitledApplicationArn'),
      };
      return oidcRequest(resolved, 'RegisterClient', body, options);
    },

    async startDeviceAuthorization(
      input: StartDeviceAuthorizationInput,
      options?: RequestOptions,
    ): Promise<StartDeviceAuthorizationOutput> {
      const value = inputObject(input, 'input');
      const body = {
        clientId: requiredString(value.clientId, 'input.clientId', 'from registerClient'),
        clientSecret: requiredString(value.clientSecret, 'input.clientSecret', 'from registerClient'),
        startUrl: requiredUrl(value.startUrl, 'input.startUrl', {
          https: true,
          example: '"https://d-1234567890.awsapps.com/start"',
        }),
      };
      return oidcRequest(resolved, 'StartDeviceAuthorization', body, options);
    },

    async createToken(input: CreateTokenInput, options?: RequestOptions): Promise<CreateTokenOutput> {
      const value = inputObject(input, 'input');
      const clientId = requiredString(value.clientId, 'input.clientId', 'from registerClient');
      const clientSecret = requiredString(value.clientSecret, 'input.clientSecret', 'from registerClient');
      const grantType = checkGrantType(value.grantType);
      let member: keyof typeof GRANT_MEMBERS;
      for (member in GRANT_MEMBERS) {
        const grants = GRANT_MEMBERS[member];
        const given = value[member];
        if (given !== undefined && given !== null && !(grants as readonly string[]).includes(grantType)) {
          throw new InvalidArgumentError(
            `input.${member}`,
            `does not belong to grantType "${grantType}" (it is used with "${grants.join('", "')}"): remove it`,
          );
        }
      }
      const isAuthCode = grantType === 'authorization_code';
      // Model order: clientId, clientSecret, grantType, deviceCode, code, refreshToken, scope, redirectUri,
      // codeVerifier.
      const body = {
        clientId,
        clientSecret,
        grantType,
        deviceCode:
          grantType === DEVICE_CODE_GRANT
            ? requiredString(value.deviceCode, 'input.deviceCode', 'from startDeviceAuthorization')
            : undefined,
        code: isAuthCode
          ? requiredString(value.code, 'input.code', 'from the /authorize redirect')
          : undefined,
        refreshToken:
          grantType === 'refresh_token'
            ? requiredString(value.refreshToken, 'input.refreshToken', 'from an earlier createToken')
            : undefined,
        scope: optionalStringArray(value.scope, 'input.scope'),
        redirectUri: isAuthCode
          ? requiredUrl(value.redirectUri, 'input.redirectUri', {
              https: false,
              example: '"http://127.0.0.1:55555/oauth/callback"',
            })
          : undefined,
        codeVerifier: isAuthCode ? optionalString(value.codeVerifier, 'input.codeVerifier') : undefined,
      };
      return oidcRequest(resolved, 'CreateToken', body as CreateTokenInput, options);
    },
  };
}
