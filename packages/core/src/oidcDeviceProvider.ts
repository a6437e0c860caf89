/**
 * The device authorization grant against any RFC 8628 provider (Keycloak, Okta, Auth0, Entra ID, Google,
 * GitHub, node-oidc-provider…), as a provider object for `createDeviceLogin`.
 *
 * oauth4webapi builds and validates every exchange; `oauthQuirks.ts` fixes the known server deviations first and
 * `oauthErrors.ts` maps failures to the kit's errors.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
import {
  allowInsecureRequests,
  type Client,
  type ClientAuth,
  ClientSecretBasic,
  ClientSecretPost,
  customFetch,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  dynamicClientRegistrationRequest,
  None,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  processDynamicClientRegistrationResponse,
  processRefreshTokenResponse,
  processRevocationResponse,
  refreshTokenGrantRequest,
  revocationRequest,
  type TokenEndpointResponse,
} from 'oauth4webapi';
import {
  type AuthorizationServerMetadata,
  authorizationServerFromEndpoints,
  discoverAuthorizationServer,
  type OAuthEndpoints,
} from './authorizationServer.ts';
import { isClientAuthMethod, type OidcClientAuthMethod } from './clientAuthMethod.ts';
import { configuredEndpoint } from './endpointUrl.ts';
import { DeviceLoginError, InvalidArgumentError, ProtocolError } from './errors.ts';
import { abortError, guardedFetch, toDeviceLoginError } from './oauthErrors.ts';
import { normalizeOAuthResponse } from './oauthQuirks.ts';
import type {
  DeviceAuthorization,
  DeviceFlowProvider,
  PollPending,
  ProviderRequestOptions,
  TokenSet,
} from './provider.ts';
import type { StorageScope, StoredRegistration, StoredSession } from './storage.ts';
import { DEVICE_CODE_GRANT, type FetchLike } from './types.ts';
import { webPageUrlProblem } from './webPageUrlProblem.ts';

export type { OidcClientAuthMethod } from './clientAuthMethod.ts';

export interface OidcDeviceProviderOptions {
  /**
   * The issuer identifier, e.g. `https://login.example.com/realms/main`. Its metadata is discovered
   * (`/.well-known/openid-configuration`, then `/.well-known/oauth-authorization-server`) on first use. Must be
   * https (http only for localhost, 127.0.0.1, [::1]). Give this or `endpoints`.
   */
  issuer?: string | undefined;
  /**
   * The endpoints, for a server without metadata or reached through a proxy. When set, nothing is discovered;
   * `issuer` (if also set) only names the storage scope. Defaults to discovering them from `issuer`.
   */
  endpoints?: OAuthEndpoints | undefined;
  /**
   * A client registered with the provider for the device grant. Defaults to registering one dynamically
   * (RFC 7591), which needs a `registration_endpoint`.
   */
  clientId?: string | undefined;
  /** The secret of a confidential client. Defaults to none (a public client). */
  clientSecret?: string | undefined;
  /**
   * Client authentication at the token, device authorization and revocation endpoints; also the method asked for
   * in a dynamic registration, where the method the server registers the client with (its answer's
   * `token_endpoint_auth_method`) wins. Defaults to `none` without a secret, and with one to `client_secret_basic`,
   * or to `client_secret_post` when the metadata's `token_endpoint_auth_methods_supported` lists only that.
   */
  tokenEndpointAuthMethod?: OidcClientAuthMethod | undefined;
  /** `client_name` sent in a dynamic registration (shown on consent pages). Defaults to `Device login`. */
  clientName?: string | undefined;
  /**
   * More RFC 7591 client metadata for a dynamic registration (`software_id`, `logo_uri`…); it overrides the
   * defaults (`grant_types` device_code + refresh_token, `response_types: []`). Defaults to none.
   */
  registrationMetadata?: Record<string, unknown> | undefined;
  /** Bearer token for a registration endpoint that is not open (RFC 7591 §3). Defaults to none. */
  initialAccessToken?: string | undefined;
  /** Scopes to ask for. Defaults to `['openid', 'offline_access']` (offline_access asks for a refresh token). */
  scopes?: string[] | undefined;
  /** `audience` parameter (Auth0, Okta custom APIs), sent with the device authorization and token requests. Defaults to none. */
  audience?: string | undefined;
  /** RFC 8707 `resource` indicator(s), sent with the device authorization and token requests. Defaults to none. */
  resource?: string | string[] | undefined;
  /** Extra parameters of the device authorization request. Defaults to none. */
  authorizationParameters?: Record<string, string> | undefined;
  /** Extra parameters of the token requests (device code and refresh). Defaults to none. */
  tokenParameters?: Record<string, string> | undefined;
  /**
   * Access token lifetime in seconds to assume when a token response has no `expires_in` (RFC 6749 makes it
   * optional; GitHub OAuth apps omit it). Defaults to `3600`.
   */
  defaultExpiresIn?: number | undefined;
  /** `fetch` to use. Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
}

/**
 * A {@link DeviceFlowProvider} that speaks RFC 8628 to any OAuth 2.0 / OpenID provider. Device authorizations
 * always carry an `interval` (5 when the server sent none); token sets carry the granted `scopes` when the server
 * says, and an ID token only as an opaque string (not validated: validate it yourself before trusting its claims).
 */
export interface OidcDeviceProvider extends DeviceFlowProvider {
  /** Storage scope: the issuer (or device endpoint), client, scopes, audience and resources. */
  readonly scope: StorageScope;
  /** The server metadata: discovered once (and again after a failure), or built from `endpoints`. */
  metadata(options?: ProviderRequestOptions): Promise<AuthorizationServerMetadata>;
  /**
   * The configured client (its secret stays in the options), or a new one from dynamic registration (RFC 7591),
   * with the `tokenEndpointAuthMethod` the server registered it with. Rejects with `invalid_argument` when that is
   * a method the kit cannot perform (`private_key_jwt`, `tls_client_auth`…).
   */
  register(options?: ProviderRequestOptions): Promise<StoredRegistration>;
  startDeviceAuthorization(
    registration: StoredRegistration,
    options?: ProviderRequestOptions,
  ): Promise<DeviceAuthorization & { interval: number }>;
  /**
   * One token request with the device code. Resolves `{ pending: 'authorization_pending' }` or
   * `{ pending: 'slow_down' }` until the person has approved, then the tokens; rejects with a `ServiceError` coded
   * `expired_token`, `access_denied`, `invalid_grant`… when the authorization ends otherwise.
   */
  pollToken(
    registration: StoredRegistration,
    deviceCode: string,
    options?: ProviderRequestOptions,
  ): Promise<TokenSet | PollPending>;
  /** Refresh grant; keeps the old refresh token (and ID token) when the server returns none. */
  refresh(
    registration: StoredRegistration,
    session: StoredSession,
    options?: ProviderRequestOptions,
  ): Promise<TokenSet>;
  /**
   * Revokes the refresh and access tokens (RFC 7009) when the server has a revocation endpoint. Best effort: it
   * resolves whatever the server says, and rejects only when aborted.
   */
  logout(session: StoredSession, options?: ProviderRequestOptions): Promise<void>;
  /**
   * False when a stored registration cannot serve this configuration: another client than the configured one, or
   * a registered client without the device_code grant or with a `tokenEndpointAuthMethod` the kit cannot perform.
   */
  registrationMatches(registration: StoredRegistration): boolean;
}

const DEFAULT_SCOPES = ['openid', 'offline_access'];
const DEFAULT_INTERVAL = 5;

/**
 * Creates a provider for any RFC 8628 authorization server.
 *
 * @example
 * ```ts
 * const provider = oidcDeviceProvider({ issuer: 'https://sso.example.com/realms/main', clientId: 'cli' });
 * ```
 */
export function oidcDeviceProvider(options: OidcDeviceProviderOptions): OidcDeviceProvider {
  const config = checkOptions(options);
  const fetchImpl = guardedFetch(() => options.fetch ?? globalThis.fetch);
  // Every endpoint is checked to be https or loopback http before use (endpointUrl.ts), so oauth4webapi's own
  // https-only rule would only refuse the loopback case.
  const http = (signal: AbortSignal | undefined) => ({
    [customFetch]: fetchImpl,
    [allowInsecureRequests]: true,
    signal,
  });
  /** Options of a token request (device code or refresh): with the token parameters. */
  const tokenRequest = (signal: AbortSignal | undefined) => ({
    ...http(signal),
    additionalParameters: parameters(options.tokenParameters),
  });

  const fixed = options.endpoints
    ? authorizationServerFromEndpoints(options.endpoints, options.issuer)
    : undefined;
  let discovering: Promise<AuthorizationServerMetadata> | undefined;
  function metadata({ signal }: ProviderRequestOptions = {}): Promise<AuthorizationServerMetadata> {
    if (fixed) return Promise.resolve(fixed);
    discovering ??= discoverAuthorizationServer(config.issuer!, { fetch: options.fetch, signal }).catch(
      (error: unknown) => {
        discovering = undefined; // a later call tries again
        throw error;
      },
    );
    return discovering;
  }

  function authMethod(
    as: AuthorizationServerMetadata,
    clientSecret: string | undefined,
  ): OidcClientAuthMethod {
    const configured = options.tokenEndpointAuthMethod;
    if (!clientSecret) {
      if (configured && configured !== 'none') {
        throw new InvalidArgumentError(
          'clientSecret',
          `tokenEndpointAuthMethod "${configured}" needs a client secret, and the registration has none.`,
        );
      }
      return 'none';
    }
    if (configured) return configured;
    const supported = as.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (supported.includes('client_secret_basic')) return 'client_secret_basic';
    if (supported.includes('client_secret_post')) return 'client_secret_post';
    throw new InvalidArgumentError(
      'clientSecret',
      `the token endpoint accepts neither client_secret_basic nor client_secret_post (it lists ` +
        `${supported.join(', ') || 'nothing'}); use a public client or a method the server supports.`,
    );
  }

  /** The configured client's secret comes from the options (a stored copy may be stale); others bring theirs. */
  function secretOf(registration: ClientRecord): string | undefined {
    return registration.clientId === config.clientId ? options.clientSecret : registration.clientSecret;
  }

  /**
   * How `client` authenticates: as the server registered it (RFC 7591 §3.2.1: the registered method may differ from
   * the one asked for), else as configured or chosen from the metadata. The configured client follows the options.
   */
  function clientAuth(as: AuthorizationServerMetadata, client: ClientRecord): ClientAuth {
    const clientSecret = secretOf(client);
    const method =
      (client.clientId !== config.clientId && client.tokenEndpointAuthMethod) || authMethod(as, clientSecret);
    switch (method) {
      case 'none':
        return None();
      case 'client_secret_basic':
        if (clientSecret) return ClientSecretBasic(clientSecret);
        break;
      case 'client_secret_post':
        if (clientSecret) return ClientSecretPost(clientSecret);
        break;
      default:
        method satisfies never;
    }
    // Only a record that bypassed register() and registrationMatches gets here (hand-made, another version's).
    // RFC 6749 §5.2 counts an unsupported method as invalid_client, which the machine answers by registering (or
    // signing in) again: the remedy here too.
    throw new DeviceLoginError(
      'invalid_client',
      `The kit cannot authenticate as "${method}" with the client's secret: register a new client.`,
    );
  }

  /** The request's parameters: the extra ones from the options, then the audience and the resources. */
  function parameters(extra: Record<string, string> | undefined, scope?: string): URLSearchParams {
    const params = new URLSearchParams(extra);
    if (scope) params.set('scope', scope);
    if (options.audience !== undefined) params.set('audience', options.audience);
    for (const resource of config.resources) params.append('resource', resource);
    return params;
  }

  function tokenSet(json: TokenEndpointResponse, idToken: string | undefined): TokenSet {
    return {
      accessToken: json.access_token,
      // oauth4webapi lower-cases token_type (and accepts only bearer and dpop); restore the RFC spelling.
      tokenType:
        json.token_type === 'bearer' ? 'Bearer' : json.token_type === 'dpop' ? 'DPoP' : json.token_type,
      expiresIn: json.expires_in ?? config.defaultExpiresIn,
      refreshToken: json.refresh_token,
      idToken,
      scopes: json.scope === undefined ? undefined : json.scope.split(' ').filter(Boolean),
    };
  }

  async function exchange<T>(
    operation: string,
    signal: AbortSignal | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    const aborted = abortError(signal);
    if (aborted) throw aborted;
    try {
      return await run();
    } catch (error) {
      throw await toDeviceLoginError(error, operation, signal);
    }
  }

  /** An {@link exchange} as a registered client: the metadata and the client's authentication come first. */
  async function clientExchange<T>(
    operation: string,
    registration: StoredRegistration,
    signal: AbortSignal | undefined,
    run: (as: AuthorizationServerMetadata, client: Client, auth: ClientAuth) => Promise<T>,
  ): Promise<T> {
    const as = await metadata({ signal });
    const client = { client_id: registration.clientId };
    const auth = clientAuth(as, registration);
    return exchange(operation, signal, () => run(as, client, auth));
  }

  return {
    scope: config.scope,
    metadata,

    registrationMatches(registration) {
      if (config.clientId !== undefined) return registration.clientId === config.clientId;
      const { grantTypes, tokenEndpointAuthMethod: method } = registration;
      return (
        (grantTypes === undefined || grantTypes.includes(DEVICE_CODE_GRANT)) &&
        (method === undefined || canPerform(method, registration.clientSecret))
      );
    },

    async register({ signal } = {}) {
      if (config.clientId !== undefined) {
        // The configured secret stays in the configuration: it is never handed out to be stored.
        return { clientId: config.clientId, scopes: config.scopes };
      }
      const as = await metadata({ signal });
      if (!as.registration_endpoint) {
        throw new InvalidArgumentError(
          'clientId',
          `${as.issuer} has no registration_endpoint (dynamic registration): register a device-grant client with ` +
            'the provider and pass its clientId.',
        );
      }
      const requested = {
        client_name: options.clientName ?? 'Device login',
        grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
        response_types: [],
        token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? 'none',
        ...options.registrationMetadata,
      };
      const now = Date.now();
      let status = 0;
      const client = await exchange('Client registration', signal, async () => {
        const response = await dynamicClientRegistrationRequest(as, requested, {
          ...http(signal),
          initialAccessToken: options.initialAccessToken,
        });
        status = response.status;
        return processDynamicClientRegistrationResponse(
          (await normalizeOAuthResponse(response, 'registration')).response,
        );
      });
      const issuedAt = client.client_id_issued_at;
      // oauth4webapi checked that a present client_secret is a non-empty string, and that it then comes with a
      // finite client_secret_expires_at of 0 or more.
      const clientSecret = client.client_secret as string | undefined;
      const expiresAt = client.client_secret_expires_at as number;
      const grantTypes = client.grant_types;
      const method = assignedMethod(client.token_endpoint_auth_method, clientSecret, status);
      return {
        clientId: client.client_id,
        clientSecret,
        issuedAt: typeof issuedAt === 'number' && issuedAt > 0 ? issuedAt * 1000 : now,
        // RFC 7591 §3.2.1: 0 means the secret never expires.
        expiresAt: clientSecret && expiresAt > 0 ? expiresAt * 1000 : undefined,
        scopes: config.scopes,
        grantTypes:
          Array.isArray(grantTypes) && grantTypes.every((g) => typeof g === 'string')
            ? grantTypes
            : requested.grant_types,
        tokenEndpointAuthMethod: method,
      };
    },

    async startDeviceAuthorization(registration, { signal } = {}) {
      return clientExchange('Device authorization', registration, signal, async (as, client, auth) => {
        const params = parameters(options.authorizationParameters, config.scopes.join(' '));
        const response = await deviceAuthorizationRequest(as, client, auth, params, http(signal));
        const fixedResponse = (await normalizeOAuthResponse(response, 'deviceAuthorization')).response;
        const status = fixedResponse.status;
        const json = await processDeviceAuthorizationResponse(as, client, fixedResponse);
        // oauth4webapi accepts 0, a code dead on arrival: the sign-in would end before it is shown.
        if (json.expires_in <= 0) {
          throw new ProtocolError(
            'The device authorization response "expires_in" is 0: the device code expired before it could be shown.',
            { status },
          );
        }
        return {
          deviceCode: json.device_code,
          userCode: json.user_code,
          verificationUri: webPage(json.verification_uri, 'verification_uri', status),
          verificationUriComplete:
            json.verification_uri_complete === undefined
              ? undefined
              : webPage(json.verification_uri_complete, 'verification_uri_complete', status),
          expiresIn: json.expires_in,
          interval: json.interval ?? DEFAULT_INTERVAL,
        };
      });
    },

    async pollToken(registration, deviceCode, { signal } = {}) {
      if (typeof deviceCode !== 'string' || deviceCode === '') {
        throw new InvalidArgumentError(
          'deviceCode',
          'must be the non-empty device code of the authorization.',
        );
      }
      return clientExchange('Token request (device code)', registration, signal, async (as, client, auth) => {
        const response = await deviceCodeGrantRequest(as, client, auth, deviceCode, tokenRequest(signal));
        const normalized = await normalizeOAuthResponse(response, 'token');
        // The answer nearly every poll gets: a result, not an error built by oauth4webapi and then mapped.
        const { error } = normalized;
        if (error === 'authorization_pending' || error === 'slow_down') return { pending: error };
        return tokenSet(await processDeviceCodeResponse(as, client, normalized.response), normalized.idToken);
      });
    },

    async refresh(registration, session, { signal } = {}) {
      const refreshToken = session.refreshToken;
      if (!refreshToken) {
        throw new DeviceLoginError(
          'session_expired',
          'The session has no refresh token: sign in again, asking for the `offline_access` scope (or what the ' +
            'provider needs) to get one.',
        );
      }
      const tokens = await clientExchange('Token refresh', registration, signal, async (as, client, auth) => {
        const response = await refreshTokenGrantRequest(as, client, auth, refreshToken, tokenRequest(signal));
        const normalized = await normalizeOAuthResponse(response, 'token');
        return tokenSet(
          await processRefreshTokenResponse(as, client, normalized.response),
          normalized.idToken,
        );
      });
      // Without rotation the server returns no refresh token: the one we have stays valid (RFC 6749 §6).
      return {
        ...tokens,
        refreshToken: tokens.refreshToken ?? refreshToken,
        idToken: tokens.idToken ?? session.idToken,
      };
    },

    async logout(session, { signal } = {}) {
      const clientId = session.clientId ?? config.clientId;
      let as: AuthorizationServerMetadata;
      try {
        as = await metadata({ signal });
      } catch (error) {
        if (isAbort(error)) throw error;
        return; // best effort: no metadata, nothing to revoke at
      }
      if (!as.revocation_endpoint || clientId === undefined) return;
      const sessionClient = { ...session, clientId };
      const client = { client_id: clientId };
      const tokens = [
        [session.refreshToken, 'refresh_token'],
        [session.accessToken, 'access_token'],
      ] as const;
      for (const [token, hint] of tokens) {
        if (!token) continue;
        try {
          await exchange('Token revocation', signal, async () => {
            const response = await revocationRequest(as, client, clientAuth(as, sessionClient), token, {
              ...http(signal),
              additionalParameters: { token_type_hint: hint },
            });
            await processRevocationResponse(response);
          });
        } catch (error) {
          if (isAbort(error)) throw error;
          // best effort: the local session is cleared either way
        }
      }
    },
  };
}

/** A client as the requests need it: a registration, or the client a session names. */
type ClientRecord = Pick<StoredRegistration, 'clientId' | 'clientSecret' | 'tokenEndpointAuthMethod'>;

/** Whether the kit can authenticate as a client registered for `method` with `clientSecret`. */
function canPerform(method: unknown, clientSecret: string | undefined): boolean {
  return isClientAuthMethod(method) && (method === 'none' || !!clientSecret);
}

/**
 * The `token_endpoint_auth_method` of a registration response, checked before anything is stored: one the kit
 * cannot perform would otherwise surface later as `invalid_client` on every request, with no hint why.
 */
function assignedMethod(
  method: unknown,
  clientSecret: string | undefined,
  status: number,
): OidcClientAuthMethod | undefined {
  if (method === undefined) return undefined; // RFC 7591 wants it echoed; without it the kit chooses as before
  if (typeof method === 'string' && !isClientAuthMethod(method)) {
    throw new InvalidArgumentError(
      'tokenEndpointAuthMethod',
      `the server registered the client for "${method}", which the kit cannot perform: have the server allow ` +
        'none, client_secret_basic or client_secret_post, or register a client with it and pass its clientId.',
    );
  }
  if (!canPerform(method, clientSecret)) {
    throw new ProtocolError(
      'The registration response "token_endpoint_auth_method" is not a string, or needs a client_secret it lacks.',
      { status },
    );
  }
  return method as OidcClientAuthMethod;
}

function isAbort(error: unknown): boolean {
  return error instanceof DeviceLoginError && (error.code === 'aborted' || error.code === 'timeout');
}

/** Verification URIs are opened or shown as links: only http(s) is acceptable. */
function webPage(value: string, member: string, status: number): string {
  const problem = webPageUrlProblem(value);
  if (problem !== undefined) {
    throw new ProtocolError(
      `The device authorization response "${member}" is ${problem}, not a plain http(s) URL, so it is not shown or opened.`,
      { status, code: 'unsafe_url' },
    );
  }
  return value;
}

interface CheckedOptions {
  issuer: string | undefined;
  clientId: string | undefined;
  scopes: string[];
  resources: string[];
  defaultExpiresIn: number;
  scope: StorageScope;
}

function checkOptions(options: OidcDeviceProviderOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'pass an object with `issuer` or `endpoints`.');
  }
  const { issuer, endpoints, clientId, clientSecret, tokenEndpointAuthMethod } = options;
  if (issuer === undefined && endpoints === undefined) {
    throw new InvalidArgumentError('issuer', 'pass `issuer` (discovered) or `endpoints` (explicit).');
  }
  if (issuer !== undefined) configuredEndpoint(issuer, 'issuer');
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw new InvalidArgumentError('clientId', 'must be a non-empty string.');
  }
  if (clientSecret !== undefined) {
    if (typeof clientSecret !== 'string' || clientSecret === '') {
      throw new InvalidArgumentError('clientSecret', 'must be a non-empty string.');
    }
    if (clientId === undefined) {
      throw new InvalidArgumentError('clientSecret', 'was given without `clientId`: pass both.');
    }
    if (tokenEndpointAuthMethod === 'none') {
      throw new InvalidArgumentError(
        'tokenEndpointAuthMethod',
        '"none" contradicts the configured clientSecret.',
      );
    }
  }
  if (tokenEndpointAuthMethod !== undefined && !isClientAuthMethod(tokenEndpointAuthMethod)) {
    throw new InvalidArgumentError(
      'tokenEndpointAuthMethod',
      'must be "none", "client_secret_basic" or "client_secret_post".',
    );
  }
  if (
    clientId !== undefined &&
    clientSecret === undefined &&
    (tokenEndpointAuthMethod ?? 'none') !== 'none'
  ) {
    throw new InvalidArgumentError(
      'clientSecret',
      `is needed for tokenEndpointAuthMethod "${tokenEndpointAuthMethod}".`,
    );
  }
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  if (
    !Array.isArray(scopes) ||
    !scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))
  ) {
    throw new InvalidArgumentError(
      'scopes',
      'must be a list of scope tokens (no spaces, quotes or backslashes).',
    );
  }
  const resources =
    options.resource === undefined
      ? []
      : Array.isArray(options.resource)
        ? options.resource
        : [options.resource];
  for (const resource of resources) {
    if (typeof resource !== 'string' || !URL.canParse(resource)) {
      throw new InvalidArgumentError('resource', 'must be absolute URIs (RFC 8707 §2).');
    }
  }
  const defaultExpiresIn = options.defaultExpiresIn ?? 3600;
  if (typeof defaultExpiresIn !== 'number' || !Number.isFinite(defaultExpiresIn) || defaultExpiresIn <= 0) {
    throw new InvalidArgumentError('defaultExpiresIn', 'must be a positive number of seconds.');
  }
  const server = issuer ?? endpoints?.deviceAuthorizationEndpoint;
  const keyParts = ['oidc', server, clientId ?? '(registered)', scopes.join(' ')];
  if (options.audience !== undefined) keyParts.push(`audience=${options.audience}`);
  if (resources.length > 0) keyParts.push(`resource=${resources.join(' ')}`);
  return {
    issuer,
    clientId,
    scopes,
    resources,
    defaultExpiresIn,
    scope: { key: keyParts.join('|'), startUrl: issuer, scopes },
  };
}
