/**
 * Finding and checking an authorization server's endpoints: OpenID Connect Discovery 1.0 with the RFC 8414
 * fallback, or endpoints the caller lists. oauth4webapi sends the discovery request and checks the issuer.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
import {
  type AuthorizationServer,
  allowInsecureRequests,
  customFetch,
  discoveryRequest,
  JSON_ATTRIBUTE_COMPARISON,
  OperationProcessingError,
  processDiscoveryResponse,
} from 'oauth4webapi';
import { announcedEndpoint, configuredEndpoint } from './endpointUrl.ts';
import { InvalidArgumentError, ProtocolError, ServiceError } from './errors.ts';
import { guardedFetch, toDeviceLoginError } from './oauthErrors.ts';
import type { FetchLike, RequestOptions } from './types.ts';

/** Authorization server metadata (RFC 8414 member names), as discovered or built from explicit endpoints. */
export type AuthorizationServerMetadata = AuthorizationServer;

/** Endpoints of a server that publishes no metadata, or that the app wants to reach through a proxy. */
export interface OAuthEndpoints {
  /** RFC 8628 device authorization endpoint. */
  deviceAuthorizationEndpoint: string;
  tokenEndpoint: string;
  /** RFC 7591 dynamic client registration endpoint; needed only when no `clientId` is configured. Defaults to none. */
  registrationEndpoint?: string | undefined;
  /** RFC 7009 token revocation endpoint; logout revokes the tokens there when set. Defaults to none. */
  revocationEndpoint?: string | undefined;
  /**
   * Client authentication methods the token endpoint accepts, most preferred first. Defaults to
   * `['client_secret_basic']`, the RFC 8414 default.
   */
  tokenEndpointAuthMethodsSupported?: string[] | undefined;
}

export interface DiscoveryOptions extends RequestOptions {
  /** `fetch` to use. Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
}

const ENDPOINTS = [
  'device_authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'revocation_endpoint',
] as const;

/**
 * Reads the metadata of `issuer` from `/.well-known/openid-configuration`, falling back to RFC 8414's
 * `/.well-known/oauth-authorization-server` when the first answers 4xx. The `issuer` in the document must match the
 * configured one (compared as URLs, so only a lone trailing slash on a bare origin may differ), every endpoint must be
 * https (http only on loopback hosts), and the device authorization and token endpoints must be present.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: DiscoveryOptions = {},
): Promise<AuthorizationServerMetadata> {
  const issuerUrl = configuredEndpoint(issuer, 'issuer');
  if (issuerUrl.search || issuerUrl.hash) {
    throw new InvalidArgumentError('issuer', 'must have no query or fragment (RFC 8414 §2).');
  }
  const { signal } = options;
  const requestOptions = {
    [customFetch]: guardedFetch(() => options.fetch ?? globalThis.fetch),
    // Only https or loopback http reached this point (configuredEndpoint above).
    [allowInsecureRequests]: true,
    signal,
  };
  let metadata: AuthorizationServer;
  let status = 200;
  try {
    let response = await discoveryRequest(issuerUrl, { ...requestOptions, algorithm: 'oidc' });
    if (response.status >= 400 && response.status < 500) {
      await response.body?.cancel();
      response = await discoveryRequest(issuerUrl, { ...requestOptions, algorithm: 'oauth2' });
      if (response.status >= 400 && response.status < 500) {
        await response.body?.cancel();
        throw new ServiceError({
          code: 'not_found',
          status: response.status,
          operation: `Discovery of ${issuerUrl.href}`,
          errorDescription:
            'neither /.well-known/openid-configuration nor /.well-known/oauth-authorization-server answered. ' +
            'Check the issuer URL, or configure `endpoints` instead',
        });
      }
    }
    status = response.status;
    metadata = await processDiscoveryResponse(issuerUrl, response);
  } catch (error) {
    if (error instanceof OperationProcessingError && error.code === JSON_ATTRIBUTE_COMPARISON) {
      const named = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
      throw new ProtocolError(
        `The metadata of ${issuerUrl.href} names the issuer "${String(named)}", not the configured one: ` +
          'configure `issuer` exactly as the server names itself (a mismatch can mean a wrong URL or a spoofed ' +
          'document).',
        { status },
      );
    }
    throw await toDeviceLoginError(error, `Discovery of ${issuerUrl.href}`, signal);
  }
  return checkMetadata(metadata, status);
}

/** Builds the metadata from explicit endpoints, checked like discovered ones but as caller arguments. */
export function authorizationServerFromEndpoints(
  endpoints: OAuthEndpoints,
  issuer: string | undefined,
): AuthorizationServerMetadata {
  const device = configuredEndpoint(
    endpoints.deviceAuthorizationEndpoint,
    'endpoints.deviceAuthorizationEndpoint',
  );
  const token = configuredEndpoint(endpoints.tokenEndpoint, 'endpoints.tokenEndpoint');
  const optional = (value: string | undefined, name: string) =>
    value === undefined ? undefined : configuredEndpoint(value, `endpoints.${name}`).href;
  return {
    // oauth4webapi wants an issuer; it is used for nothing here but the storage key (ID tokens are not validated).
    issuer: issuer ?? token.origin,
    device_authorization_endpoint: device.href,
    token_endpoint: token.href,
    registration_endpoint: optional(endpoints.registrationEndpoint, 'registrationEndpoint'),
    revocation_endpoint: optional(endpoints.revocationEndpoint, 'revocationEndpoint'),
    token_endpoint_auth_methods_supported: endpoints.tokenEndpointAuthMethodsSupported,
  };
}

function checkMetadata(metadata: AuthorizationServer, status: number): AuthorizationServerMetadata {
  for (const member of ['device_authorization_endpoint', 'token_endpoint'] as const) {
    if (metadata[member] === undefined) {
      throw new ProtocolError(
        `The metadata of ${metadata.issuer} has no "${member}": the server does not offer the device ` +
          'authorization grant (RFC 8628), or it is disabled for this tenant. Enable it, or configure `endpoints`.',
        { status },
      );
    }
  }
  for (const member of ENDPOINTS) {
    if (metadata[member] !== undefined) announcedEndpoint(metadata[member], member, status);
  }
  const methods = metadata.token_endpoint_auth_methods_supported;
  if (methods !== undefined && !(Array.isArray(methods) && methods.every((m) => typeof m === 'string'))) {
    throw new ProtocolError(
      'The server metadata member "token_endpoint_auth_methods_supported" is not a list of strings.',
      { status },
    );
  }
  return metadata;
}
