import type { StorageScope, StoredRegistration, StoredSession } from './storage.ts';

/**
 * The provider-agnostic interface the device-login machine talks to. The machine owns timing, retries, storage and
 * cross-tab coordination; a provider only turns each step into requests. `awsSsoOidc` is the AWS IAM Identity
 * Center provider; a generic RFC 8628 / OpenID provider implements the same interface.
 *
 * Errors: every method rejects with a `DeviceLoginError`. `pollToken` resolves `{ pending }` for the two "not yet"
 * answers and rejects with a `ServiceError` whose `code` is the RFC 8628 name (`expired_token`, `access_denied`) or
 * another OAuth code (`invalid_client`, `invalid_grant`, …); network faults are `network_error` / `timeout`, 5xx and
 * 429 are `server_error` / `throttled`. No error may carry a secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
export interface DeviceFlowProvider {
  /** Which stored registration and session belong to this provider configuration. */
  readonly scope: StorageScope;
  /**
   * Registers a client (AWS RegisterClient, RFC 7591), or returns the fixed registration of a pre-registered
   * client. `expiresAt` is epoch ms.
   */
  register(options: ProviderRequestOptions): Promise<StoredRegistration>;
  /** Asks for a device code and user code (RFC 8628 §3.1–3.2). */
  startDeviceAuthorization(
    registration: StoredRegistration,
    options: ProviderRequestOptions,
  ): Promise<DeviceAuthorization>;
  /**
   * One token request with the device code (RFC 8628 §3.4). Resolves the tokens once the person approved, and
   * `{ pending: 'authorization_pending' }` or `{ pending: 'slow_down' }` until then: those are the usual answers,
   * one per poll, so they are results rather than errors (an `Error` per poll, with its stack, was a measurable
   * share of the cost of polling). A rejection with a `ServiceError` coded `authorization_pending` or `slow_down`
   * is understood too.
   */
  pollToken(
    registration: StoredRegistration,
    deviceCode: string,
    options: ProviderRequestOptions,
  ): Promise<TokenSet | PollPending>;
  /** One refresh-token grant (RFC 6749 §6). */
  refresh(
    registration: StoredRegistration,
    session: StoredSession,
    options: ProviderRequestOptions,
  ): Promise<TokenSet>;
  /** Ends the session on the server. Optional: local logout always succeeds without it. */
  logout?(session: StoredSession, options: ProviderRequestOptions): Promise<void>;
  /** False when a stored registration cannot serve this configuration (other scopes, other grant). */
  registrationMatches?(registration: StoredRegistration): boolean;
}

/** Options the machine passes to every provider call. */
export interface ProviderRequestOptions {
  /** Aborted when the machine leaves the state that made the request (cancel, dispose, a terminal state). */
  signal?: AbortSignal | undefined;
}

/** A device authorization response, with RFC 8628 meanings in AWS's camelCase names. */
export interface DeviceAuthorization {
  /** Secret: the machine keeps it to itself, never in its view, storage or errors. */
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string | undefined;
  /** Seconds until the device code expires. */
  expiresIn: number;
  /** Seconds to wait between polls. The machine uses 5 when absent. */
  interval?: number | undefined;
}

/** A poll the server answered "not yet" (RFC 8628 §3.5): poll again, 5 s less often from now on after `slow_down`. */
export interface PollPending {
  readonly pending: 'authorization_pending' | 'slow_down';
}

/** Tokens from a device-code or refresh grant. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Absent on a refresh means "keep the one you have". */
  refreshToken?: string | undefined;
  idToken?: string | undefined;
  /** Granted scopes, when the server says. */
  scopes?: string[] | undefined;
}
