/** The SSO OIDC CreateToken `grantType` of a device code poll (RFC 8628 §3.4), exactly as it goes over the wire. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The CreateToken `grantType` of a refresh (RFC 6749 §6). */
export const REFRESH_TOKEN_GRANT = 'refresh_token';

/** The CreateToken grants the emulator implements, by their wire `grantType`: what `fault({ grantType })` takes. */
export type GrantType = typeof DEVICE_CODE_GRANT | typeof REFRESH_TOKEN_GRANT;

export function isGrantType(value: unknown): value is GrantType {
  return value === DEVICE_CODE_GRANT || value === REFRESH_TOKEN_GRANT;
}
