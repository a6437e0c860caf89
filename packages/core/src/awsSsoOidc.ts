import { partitionOf, resolveEndpoint } from './endpoints.ts';
import { InvalidArgumentError, ServiceError } from './errors.ts';
import type { DeviceFlowProvider, PollPending, TokenSet } from './provider.ts';
import { oidcRequest, type SsoOidcOperation, type SsoOidcOperations } from './ssoOidc.ts';
import { portalLogout } from './ssoPortal.ts';
import type { StorageScope, StoredRegistration } from './storage.ts';
import {
  type CreateTokenInput,
  type CreateTokenOutput,
  DEVICE_CODE_GRANT,
  type FetchLike,
  type RequestOptions,
  type SsoOidcClient,
  type SsoPortalClient,
} from './types.ts';

export interface AwsSsoOidcOptions {
  /** AWS region of the IAM Identity Center instance, e.g. `us-east-1`. */
  region: string;
  /** The AWS access portal URL, e.g. `https://d-1234567890.awsapps.com/start`. */
  startUrl: string;
  /** Name shown to people on the approval page. */
  clientName: string;
  /** Registration scopes. `sso:account:access` is what makes AWS issue refresh tokens. Defaults to `['sso:account:access']`. */
  scopes?: string[] | undefined;
  /** Base URL of the SSO OIDC API (a same-origin proxy, or the emulator). Defaults to `https://oidc.{region}.amazonaws.com`. */
  endpoint?: string | undefined;
  /** Base URL of the portal API, used for logout. Defaults to `https://portal.sso.{region}.amazonaws.com`. */
  portalEndpoint?: string | undefined;
  /** Use the FIPS endpoints. Defaults to `false`. */
  fips?: boolean | undefined;
  /** Use the dual-stack (IPv6) endpoints. Defaults to `false`. */
  dualStack?: boolean | undefined;
  /** `fetch` to use. Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
  /** AWS CLI `sso-session` name, for storage adapters that share sessions with the CLI. Defaults to none. */
  sessionName?: string | undefined;
}

/**
 * The AWS IAM Identity Center (SSO OIDC) provider: RegisterClient → StartDeviceAuthorization → CreateToken, and
 * the portal's Logout. Requests go over `fetch` to `endpoint` / `portalEndpoint` (browsers: a same-origin proxy,
 * because AWS sends no CORS headers).
 *
 * @example
 * ```ts
 * const provider = awsSsoOidc({ region: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start', clientName: 'my-app' });
 * const login = createDeviceLogin({ provider });
 * ```
 * @see https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/
 */
export function awsSsoOidc(options: AwsSsoOidcOptions): DeviceFlowProvider {
  validate(options);
  if (options.fetch != null && typeof options.fetch !== 'function') {
    throw new InvalidArgumentError('options.fetch', 'must be a fetch-compatible function');
  }
  const { fetch } = options;
  // Both endpoints are resolved here (so a bad one throws now, named as the option it came from). Only the portal's
  // Logout is used, without the rest of the portal client, which would add its code to every bundle and its
  // closures to every login.
  const portal = {
    endpoint: resolveEndpoint(
      'portal.sso',
      { ...options, endpoint: options.portalEndpoint },
      'options.',
      'portalEndpoint',
    ),
    fetch,
  };
  const oidc = { endpoint: resolveEndpoint('oidc', options, 'options.'), fetch };
  // The provider builds every request input itself, from the options checked above and from server answers that
  // were checked when they arrived, so it calls the operations directly: the client's checks of a caller's input
  // (and their code) are left out, and so is the client's check of its config object. Polls classify the answer
  // before any error is built: "not yet" is a result.
  return awsProvider(
    options,
    (operation, input, requestOptions, poll) => oidcRequest(oidc, operation, input, requestOptions, poll),
    (input, requestOptions) => portalLogout(portal, input, requestOptions),
  );
}

/** What {@link createAwsSsoOidcProvider} needs besides the options: the two API clients. */
export interface AwsSsoOidcClients {
  oidc: SsoOidcClient;
  /** Only `logout` is used. Without it, logout is local only. */
  portal?: Pick<SsoPortalClient, 'logout'> | undefined;
}

/**
 * The AWS IAM Identity Center provider over given clients. {@link awsSsoOidc} builds the clients from options;
 * use this one to pass clients you configured yourself.
 */
export function createAwsSsoOidcProvider(
  options: AwsSsoOidcOptions,
  clients: AwsSsoOidcClients,
): DeviceFlowProvider {
  validate(options);
  const { oidc, portal } = clients;
  return awsProvider(
    options,
    async (operation, input, requestOptions, poll) => {
      try {
        // `RegisterClient` → `registerClient`…
        const method = `${operation[0]!.toLowerCase()}${operation.slice(1)}` as 'createToken';
        return await oidc[method](input as CreateTokenInput, requestOptions);
      } catch (error) {
        // A client's createToken throws for every error answer, as the SDK's does: the "not yet" ones become results.
        if (
          poll &&
          error instanceof ServiceError &&
          (error.code === 'authorization_pending' || error.code === 'slow_down')
        )
          return { pending: error.code } as never;
        throw error;
      }
    },
    portal && ((input, requestOptions) => portal.logout(input, requestOptions)),
  );
}

/**
 * One SSO OIDC operation on checked input. With `poll` (a device-code CreateToken), the "not yet" answers resolve as
 * `{ pending }`.
 */
type OidcCall = <O extends SsoOidcOperation>(
  operation: O,
  input: SsoOidcOperations[O][0],
  options: RequestOptions | undefined,
  poll?: boolean,
) => Promise<SsoOidcOperations[O][1]>;

function awsProvider(
  options: AwsSsoOidcOptions,
  call: OidcCall,
  logout: SsoPortalClient['logout'] | undefined,
): DeviceFlowProvider {
  const scopes = [...(options.scopes ?? ['sso:account:access'])].sort();
  const scope: StorageScope = Object.freeze({
    key: awsScopeKey(options, scopes),
    region: options.region,
    startUrl: options.startUrl,
    scopes: Object.freeze([...scopes]) as string[],
    sessionName: options.sessionName,
  });
  // A registration may come from a storage adapter: checked here, as the client checks a caller's input.
  // AWS registrations always have both: one without is not from RegisterClient.
  const filled = (value: unknown, member: string) => {
    if (!isFilled(value)) {
      throw new InvalidArgumentError(
        `registration.${member}`,
        'must be a non-empty string from RegisterClient: this registration was not made by it.',
      );
    }
    return value;
  };
  const credentials = ({ clientId, clientSecret }: StoredRegistration) => ({
    clientId: filled(clientId, 'clientId'),
    clientSecret: filled(clientSecret, 'clientSecret'),
  });

  return {
    scope,
    async register(request) {
      const output = await call(
        'RegisterClient',
        { clientName: options.clientName, clientType: 'public', scopes: [...scopes] },
        request,
      );
      return {
        clientId: output.clientId,
        clientSecret: output.clientSecret,
        // AWS sends epoch seconds.
        expiresAt: output.clientSecretExpiresAt * 1000,
        issuedAt: output.clientIdIssuedAt * 1000,
        scopes: [...scopes],
      };
    },
    async startDeviceAuthorization(registration, request) {
      return call(
        'StartDeviceAuthorization',
        { ...credentials(registration), startUrl: options.startUrl },
        request,
      );
    },
    async pollToken(registration, deviceCode, request) {
      const output: CreateTokenOutput | PollPending = await call(
        'CreateToken',
        { ...credentials(registration), grantType: DEVICE_CODE_GRANT, deviceCode },
        request,
        true,
      );
      return 'pending' in output ? output : tokenSet(output);
    },
    async refresh(registration, session, request) {
      if (!session.refreshToken) {
        throw new ServiceError({
          code: 'invalid_grant',
          status: 0,
          errorDescription: 'The session has no refresh token.',
          operation: 'CreateToken',
        });
      }
      return tokenSet(
        await call(
          'CreateToken',
          { ...credentials(registration), grantType: 'refresh_token', refreshToken: session.refreshToken },
          request,
        ),
      );
    },
    ...(logout
      ? {
          async logout(session, request) {
            try {
              await logout({ accessToken: session.accessToken }, request);
            } catch (error) {
              // 401: the portal session is already gone, which is what logout wants.
              if (error instanceof ServiceError && (error.status === 401 || error.code === 'unauthorized'))
                return;
              throw error;
            }
          },
        }
      : {}),
    registrationMatches(registration) {
      // A registration made for authorization code + PKCE is not used for the device grant (botocore does the same).
      if (registration.grantTypes?.includes('authorization_code')) return false;
      if (!registration.clientSecret) return false;
      // Stored without scopes (older AWS CLI records): the storage key already covers the scopes.
      if (!registration.scopes) return true;
      const registered = [...registration.scopes].sort();
      return registered.length === scopes.length && registered.every((item, index) => item === scopes[index]);
    },
  };
}

/** The tokens of a CreateToken answer, without `idToken` and `scope`, which PROTOCOL.md says to ignore. */
function tokenSet(output: CreateTokenOutput): TokenSet {
  return {
    accessToken: output.accessToken,
    tokenType: output.tokenType,
    expiresIn: output.expiresIn,
    refreshToken: output.refreshToken,
  };
}

/**
 * Stable storage key of an AWS configuration: region, start URL, sorted scopes and the endpoint family, so records
 * of one configuration are never reused for another. Contains no secret.
 */
export function awsScopeKey(options: AwsSsoOidcOptions, sortedScopes: readonly string[]): string {
  const family = options.endpoint
    ? `endpoint=${options.endpoint.replace(/\/+$/, '')}`
    : [options.fips ? 'fips' : '', options.dualStack ? 'dualstack' : ''].filter(Boolean).join('+') ||
      'default';
  return [
    'aws-sso-oidc',
    options.region,
    options.startUrl.replace(/\/+$/, ''),
    sortedScopes.join(' '),
    family,
  ].join('|');
}

function validate(options: AwsSsoOidcOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'pass `{ region, startUrl, clientName }`.');
  }
  // Required here (the endpoint rules default to us-east-1), and of a known partition (the same check).
  partitionOf(options.region, 'options.region');
  let https = false;
  try {
    const { protocol, hostname } = new URL(options.startUrl);
    https =
      protocol === 'https:' ||
      (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
  } catch {
    // Not a URL: refused below.
  }
  if (!https) {
    throw new InvalidArgumentError(
      'options.startUrl',
      'must be the https URL of your AWS access portal, e.g. `https://d-1234567890.awsapps.com/start`.',
    );
  }
  if (!isFilled(options.clientName)) {
    throw new InvalidArgumentError(
      'options.clientName',
      'must be a non-empty name shown on the approval page.',
    );
  }
  if (options.scopes !== undefined && (!Array.isArray(options.scopes) || !options.scopes.every(isFilled))) {
    throw new InvalidArgumentError('options.scopes', 'must be an array of non-empty strings.');
  }
}

/** A string with at least one non-space character, what the SSO OIDC client requires of its string inputs. */
function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
