/** How the client proves itself at the token endpoint (RFC 7591 names): the methods the kit can perform. */
export type OidcClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/**
 * True for a method the kit can perform. Methods come from servers (RFC 7591 registration responses) and from
 * storage, so they are checked before use.
 */
export function isClientAuthMethod(value: unknown): value is OidcClientAuthMethod {
  return value === 'none' || value === 'client_secret_basic' || value === 'client_secret_post';
}
