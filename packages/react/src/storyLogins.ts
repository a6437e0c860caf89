/**
 * Fixtures shared by the stories (not part of the package's entry): a fixed clock, a view per status, and a
 * fresh {@link createTestDeviceLogin} per story render that behaves like a login when clicked.
 */
import { DeviceLoginError, type DeviceLoginView, ServiceError } from '@oidc-device-login/core';
import { createTestDeviceLogin, type TestDeviceLogin } from '@oidc-device-login/core/testing';

/** The stories' wall clock: 15 January 2026, 09:00 UTC. */
export const FIXED_NOW = Date.UTC(2026, 0, 15, 9, 0, 0);

const realNow = Date.now;
let fixedClockHolds = 0;

/**
 * A story `beforeEach` that stops `Date.now` at {@link FIXED_NOW}, so the countdown renders the same text on every
 * run ("Code expires in 9:41"). Counted, because a docs page renders several stories at once and their clean-ups
 * may run in any order.
 */
export function fixedClock(): () => void {
  fixedClockHolds += 1;
  Date.now = () => FIXED_NOW;
  return () => {
    fixedClockHolds -= 1;
    if (fixedClockHolds === 0) Date.now = realNow;
  };
}

export const USER_CODE = 'WDJB-MJHT';
export const VERIFICATION_URI = 'https://device.sso.us-east-1.amazonaws.com/';
export const VERIFICATION_URI_COMPLETE = `${VERIFICATION_URI}?user_code=${USER_CODE}`;

/** A verification URL that reads as AWS's but opens evil.example (user info): refused, never a link. */
export const USER_INFO_URI = `https://device.sso.us-east-1.amazonaws.com@evil.example/?user_code=${USER_CODE}`;
/** A verification URL with a right-to-left override (U+202E) that makes its text read backwards: refused. */
export const HIDDEN_CHARACTER_URI = 'https://device.sso.us-east-1.amazonaws.com/\u202Emoc.elpmaxe-live';
/** A verification URL longer than a QR code holds (about 2,300 bytes), as a server might send with a big state. */
export const LONG_VERIFICATION_URI_COMPLETE = `${VERIFICATION_URI_COMPLETE}&state=${'x'.repeat(3000)}`;

export const OPENID_USER_CODE = 'BDWP-HQPK';
export const OPENID_VERIFICATION_URI = 'https://id.example.com/realms/demo/device';

const awaiting: Partial<DeviceLoginView> = {
  status: 'awaitingUser',
  userCode: USER_CODE,
  verificationUri: VERIFICATION_URI,
  verificationUriComplete: VERIFICATION_URI_COMPLETE,
  expiresAt: FIXED_NOW + 9 * 60_000 + 41_000,
  codeSource: 'thisTab',
  interval: 1,
};

const session = {
  expiresAt: FIXED_NOW + 3_600_000,
  issuedAt: FIXED_NOW,
  tokenType: 'Bearer',
  scopes: ['sso:account:access'],
  refreshable: true,
};

/** The named states the stories show, each as the view a login would have then. */
export const storyViews = {
  idle: { status: 'idle' },
  /** Looking for a stored session, just after mount: nothing to click yet. */
  restoring: { status: 'idle', isRestoring: true },
  registering: { status: 'registering' },
  authorizing: { status: 'authorizing' },
  awaitingUser: awaiting,
  slowedDown: { ...awaiting, interval: 6, isSlowedDown: true },
  /** Another tab of the app runs the flow; this one waits for it and shows its code. */
  otherTab: { ...awaiting, codeSource: 'otherTab' },
  /** A standard OpenID provider (`oidcDeviceProvider`, e.g. Keycloak) that sends no `verification_uri_complete`. */
  openIdProvider: {
    ...awaiting,
    userCode: OPENID_USER_CODE,
    verificationUri: OPENID_VERIFICATION_URI,
    verificationUriComplete: undefined,
    interval: 5,
  },
  aboutToExpire: { ...awaiting, expiresAt: FIXED_NOW + 42_000 },
  /** `verification_uri_complete` with user info; the plain `verification_uri` is fine. */
  userInfoUrl: { ...awaiting, verificationUriComplete: USER_INFO_URI },
  /** Both verification URLs refused: user info in one, a hidden character in the other. */
  noSafeUrl: { ...awaiting, verificationUri: HIDDEN_CHARACTER_URI, verificationUriComplete: USER_INFO_URI },
  longUrl: { ...awaiting, verificationUriComplete: LONG_VERIFICATION_URI_COMPLETE },
  expired: {
    status: 'expired',
    error: new ServiceError({
      code: 'expired_token',
      status: 400,
      exception: 'ExpiredTokenException',
      error: 'expired_token',
    }),
  },
  denied: {
    status: 'denied',
    error: new ServiceError({
      code: 'access_denied',
      status: 400,
      exception: 'AccessDeniedException',
      error: 'access_denied',
    }),
  },
  error: {
    status: 'error',
    error: new ServiceError({
      code: 'invalid_client',
      status: 401,
      exception: 'InvalidClientException',
      error: 'invalid_client',
      errorDescription: 'The client registration has expired.',
    }),
  },
  sessionEnded: {
    status: 'idle',
    error: new DeviceLoginError('session_expired', 'The session expired: sign in again.'),
  },
  signedIn: { status: 'authenticated', session },
  refreshing: { status: 'authenticated', session, isRefreshing: true },
} satisfies Record<string, Partial<DeviceLoginView>>;

export type StoryState = keyof typeof storyViews;

/**
 * A fake login showing `state` that also moves like a login when its buttons are clicked: `start` and `retry`
 * show a new code, `cancel` goes back to `idle`. Every call is recorded in `login.calls`.
 */
export function createStoryLogin(state: StoryState): TestDeviceLogin {
  const login = createTestDeviceLogin(storyViews[state], {
    start: () => login.setView({ ...storyViews.awaitingUser, error: undefined }),
    retry: () => login.setView({ ...storyViews.awaitingUser, error: undefined }),
    cancel: () => login.setView({ ...emptyView, status: 'idle' }),
    logout: async () => login.setView({ ...emptyView, status: 'idle' }),
  });
  return login;
}

const emptyView: Partial<DeviceLoginView> = {
  userCode: undefined,
  verificationUri: undefined,
  verificationUriComplete: undefined,
  expiresAt: undefined,
  codeSource: undefined,
  interval: undefined,
  isSlowedDown: false,
  isRefreshing: false,
  session: undefined,
  error: undefined,
};

/** Reads the login a story's loader made (`context.loaded.login`), checking that it is one. */
export function loadedLogin(loaded: Record<string, unknown>): TestDeviceLogin {
  const login = loaded.login;
  if (typeof login !== 'object' || login === null || !('setView' in login) || !('calls' in login)) {
    throw new Error('This story needs a loader that returns { login: createStoryLogin(state) }.');
  }
  return login as TestDeviceLogin;
}

/**
 * What a screen reader reads of `element`: its text without the `aria-hidden` subtrees (visually hidden text
 * included), whitespace collapsed.
 */
export function spokenText(element: Element): string {
  let text = '';
  for (const node of element.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? '';
    else if (node instanceof Element && node.getAttribute('aria-hidden') !== 'true') text += spokenText(node);
  }
  return text.replace(/\s+/g, ' ').trim();
}
