import type { DeviceLoginError } from './errors.ts';

/**
 * What a sign-in is doing, as a UI shows it.
 * - `idle`: not signed in, nothing running (also after logout or when a session ended: see `error`).
 * - `registering`: registering the client (AWS RegisterClient / RFC 7591).
 * - `authorizing`: asking for a device code.
 * - `awaitingUser`: showing the code; polling until the person approves.
 * - `authenticated`: signed in (a refresh may be running: `isRefreshing`).
 * - `expired`: the device code expired before approval; `start()` gets a new one.
 * - `denied`: the person denied access; `retry()` starts again.
 * - `error`: something failed; `error` says what, `retry()` tries again.
 */
export type DeviceLoginStatus =
  | 'idle'
  | 'registering'
  | 'authorizing'
  | 'awaitingUser'
  | 'authenticated'
  | 'expired'
  | 'denied'
  | 'error';

/**
 * Whose device flow the code shown belongs to.
 * - `thisTab`: this login runs the flow (polls for the token).
 * - `otherTab`: another tab sharing the storage key runs it; this one waits for that tab's flow lock and shows
 *   its code. Approving it signs in both; `cancel()` here stops only this tab's wait.
 */
export type DeviceCodeSource = 'thisTab' | 'otherTab';

/** The session as a UI may show it. Tokens are present only when the login was created with `exposeTokens`. */
export interface SessionView {
  /** Epoch ms when the access token expires. */
  readonly expiresAt: number;
  /** Epoch ms when the access token was obtained. */
  readonly issuedAt?: number | undefined;
  /**
   * Epoch ms when this sign-in happened (its device flow yielded a token); the same across refreshes, new with
   * each sign-in. Absent for sessions stored by older versions or read from the AWS CLI cache without it.
   */
  readonly signedInAt?: number | undefined;
  readonly tokenType: string;
  readonly scopes?: readonly string[] | undefined;
  /** True when a refresh token is held, so the session can outlive the access token. */
  readonly refreshable: boolean;
  /** Only with `exposeTokens: true`. */
  readonly accessToken?: string | undefined;
}

/**
 * A plain, frozen view model of a device login. The same object is returned until something in it changes, so
 * it can be compared by reference (`useSyncExternalStore`).
 */
export interface DeviceLoginView {
  readonly status: DeviceLoginStatus;
  /** The code the person confirms on the verification page. Always show it. */
  readonly userCode: string | undefined;
  /** The page where the person enters or confirms the code (http(s) only). */
  readonly verificationUri: string | undefined;
  /** The page with the code filled in, when the server gave one (http(s) only). */
  readonly verificationUriComplete: string | undefined;
  /** Epoch ms when the device code expires. */
  readonly expiresAt: number | undefined;
  /**
   * Whose flow the code shown is: `thisTab`, or `otherTab` while another tab runs it and this one mirrors its
   * code (say "Signing in from another tab"; open the verification page only for `thisTab`, as `autoOpen` does).
   * `undefined` while no code is shown.
   */
  readonly codeSource: DeviceCodeSource | undefined;
  /** Seconds between polls, including slow_down increases. */
  readonly interval: number | undefined;
  /** A slow_down was received during this authorization. */
  readonly isSlowedDown: boolean;
  /** A token refresh is in flight. */
  readonly isRefreshing: boolean;
  /** Stored state is being read at start-up. */
  readonly isRestoring: boolean;
  readonly session: SessionView | undefined;
  /** What went wrong, for `error`, `expired`, `denied`, and `idle` after a session ended. */
  readonly error: DeviceLoginError | undefined;
}

export interface StartOptions {
  /** Start a new sign-in even when signed in. Defaults to `false`. */
  force?: boolean | undefined;
}

export interface GetAccessTokenOptions {
  /**
   * Refresh even if the token is outside the refresh window. Still at most one attempt per
   * `minRefreshIntervalSeconds`: within that of the last one, the current token is returned. Defaults to `false`.
   */
  forceRefresh?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** The headless API, for CLIs, Electron, other frameworks, and the React bindings. */
export interface DeviceLogin {
  /** Starts a sign-in. Calling it again while one runs does nothing (StrictMode-safe). */
  start(options?: StartOptions): void;
  /** Stops a running sign-in and aborts its in-flight request. */
  cancel(): void;
  /** Starts again after `expired`, `denied` or `error`. */
  retry(): void;
  /** Signs out: clears the tokens and tells the server. Resolves when done; never rejects for server errors. */
  logout(): Promise<void>;
  /** Refreshes the access token now (single-flight). */
  refresh(): Promise<void>;
  /** Tells the login that time may have jumped (a tab became visible, the network came back). */
  wake(): void;
  getView(): DeviceLoginView;
  /** Calls `listener` after each change of the view. Returns the unsubscribe function. */
  subscribe(listener: (view: DeviceLoginView) => void): () => void;
  /** A valid access token, refreshed first when needed; rejects with `not_signed_in` when there is none. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  /** Stops timers, requests and listeners. The login cannot be used afterwards. */
  dispose(): void;
}
