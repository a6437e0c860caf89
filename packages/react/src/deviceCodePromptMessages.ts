import type { DeviceLoginError } from '@oidc-device-login/core';

/**
 * Every string `<DeviceCodePrompt>` shows or announces. Pass a partial object as the `messages` prop; what you
 * leave out stays English. Functions receive what they interpolate, already formatted for the `locale` prop.
 */
export interface DeviceCodePromptMessages {
  /** Heading of the styled prompt. */
  title: string;
  /** What to do with the code, shown above it while waiting. */
  instructions: string;
  /** Label of the user code, for sight and screen readers. */
  userCodeLabel: string;
  /**
   * The code as a screen reader reads it, one character at a time. `groups` are the code's groups
   * (`['ABCD', 'EFGH']`). Defaults to characters joined by spaces and groups by commas: `A B C D, E F G H`.
   */
  spellUserCode: (groups: readonly string[]) => string;
  /** Copy button, before copying. */
  copy: string;
  /** Copy button, for a moment after the code was copied; also announced. */
  copied: string;
  /** Copy button, when the browser refused to copy. */
  copyFailed: string;
  /** Link that opens the verification page. */
  openVerificationPage: string;
  /** Added to the link's accessible name, since it opens a new tab. */
  opensInNewTab: string;
  /** Text before the plain verification URI, for typing it on another device. */
  verificationUriLabel: string;
  /** Accessible name of the QR code image. */
  qrCodeLabel: string;
  /** Countdown to expiry; `time` is the remaining time formatted as `m:ss` with the locale's digits. */
  countdown: (time: string) => string;
  /** Status: not signed in, nothing running. */
  statusIdle: string;
  /** Status: looking for a stored session, before anything is known (page load). */
  statusRestoring: string;
  /** Status: registering the client or asking for a code. */
  statusStarting: string;
  /** Status: the code is shown and the login waits for approval. */
  statusWaiting: string;
  /** Status: waiting, and the server asked to poll less often. */
  statusSlowedDown: string;
  /**
   * Status: the code expires soon. `duration` is the `aboutToExpireSeconds` threshold as a localised duration
   * ("1 minute", `Intl.NumberFormat` units), so the sentence is said once rather than each second.
   */
  statusAboutToExpire: (duration: string) => string;
  /** Status: the code expired before it was approved. */
  statusExpired: string;
  /** Status: the person denied the sign-in. */
  statusDenied: string;
  /** Status: something failed; `description` says what. */
  statusError: (description: string) => string;
  /** Status: signed in. */
  statusAuthenticated: string;
  /**
   * Status shown, not announced, while the session is refreshed: replaces `statusAuthenticated` on screen, which
   * screen readers keep reading, since a refresh runs on its own and is no news.
   */
  statusRefreshing: string;
  /** Status: a previous session ended (it expired or was revoked); sign in again. */
  statusSessionEnded: string;
  /** Describes an error for `statusError`. Defaults to the server's description, else the error's message. */
  describeError: (error: DeviceLoginError | undefined) => string;
  /** Button that starts a sign-in. */
  start: string;
  /** Button that stops the running sign-in. */
  cancel: string;
  /** Button after `expired`. */
  getNewCode: string;
  /** Button after `denied` or `error`. */
  tryAgain: string;
}

/** The English defaults. */
export const defaultDeviceCodePromptMessages: DeviceCodePromptMessages = {
  title: 'Sign in on another device',
  instructions: 'Open the verification page, check that it shows this code, and approve the sign-in.',
  userCodeLabel: 'Your code',
  spellUserCode: (groups) => groups.map((group) => [...group].join(' ')).join(', '),
  copy: 'Copy code',
  copied: 'Copied',
  copyFailed: 'Copy failed: select the code and copy it',
  openVerificationPage: 'Open the verification page',
  opensInNewTab: '(opens in a new tab)',
  verificationUriLabel: 'Or go to',
  qrCodeLabel: 'QR code of the verification page',
  countdown: (time) => `Code expires in ${time}`,
  statusIdle: 'You are not signed in.',
  statusRestoring: 'Checking for a saved session…',
  statusStarting: 'Getting a code…',
  statusWaiting: 'Waiting for you to approve the sign-in.',
  statusSlowedDown: 'Still waiting for approval. Checking less often, as the server asked.',
  statusAboutToExpire: (duration) => `Less than ${duration} left to approve the code.`,
  statusExpired: 'The code expired before it was approved.',
  statusDenied: 'The sign-in was denied.',
  statusError: (description) => `Sign-in failed: ${description}`,
  statusAuthenticated: 'You are signed in.',
  statusRefreshing: 'You are signed in. Refreshing your session…',
  statusSessionEnded: 'Your session ended. Sign in again.',
  describeError: (error) => {
    if (!error) return 'unknown error.';
    const description = 'errorDescription' in error ? error.errorDescription : undefined;
    return typeof description === 'string' && description !== '' ? description : error.message;
  },
  start: 'Sign in',
  cancel: 'Cancel',
  getNewCode: 'Get a new code',
  tryAgain: 'Try again',
};
