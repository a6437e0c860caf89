import { resolveEndpoint } from './endpoints.ts';
import { InvalidArgumentError } from './errors.ts';
import type { FetchLike, SsoClientConfig } from './types.ts';

/** What a client keeps from its config: where to send requests, and which fetch to use. */
export interface ResolvedClientConfig {
  readonly endpoint: string;
  readonly fetch: FetchLike | undefined;
}

/**
 * Validates a client config at creation, so a bad region or endpoint fails where it is written rather than at
 * the first request. Argument names are prefixed with `config.`.
 */
export function resolveClientConfig(
  config: SsoClientConfig | undefined,
  service: 'oidc' | 'portal.sso',
): ResolvedClientConfig {
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new InvalidArgumentError('config', 'must be an object or undefined');
  }
  const fetch = config?.fetch ?? undefined;
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new InvalidArgumentError('config.fetch', 'must be a fetch-compatible function');
  }
  return { endpoint: resolveEndpoint(service, config, 'config.'), fetch };
}
