import type { SnapshotFrom } from 'xstate';
import type { deviceLoginMachine } from './deviceLoginMachine.ts';
import type { DeviceLoginStatus, DeviceLoginView, SessionView } from './view.ts';

export type DeviceLoginSnapshot = SnapshotFrom<typeof deviceLoginMachine>;

/** The top-level state names of the machine. */
type TopState = KeysOf<DeviceLoginSnapshot['value']>;
type KeysOf<T> = T extends string ? T : keyof T;

export interface SelectViewOptions {
  /** Put the access token (and ID token) in `view.session`. Defaults to `false`. */
  exposeTokens?: boolean | undefined;
}

/**
 * The view model of a machine snapshot: plain, frozen, without secrets. Pass the previous view to get it back
 * unchanged (same reference) when nothing in it changed, which is what `useSyncExternalStore` needs.
 */
export function selectView(
  snapshot: DeviceLoginSnapshot,
  options: SelectViewOptions = {},
  previous?: DeviceLoginView,
): DeviceLoginView {
  const { context, value } = snapshot;
  const [top, child] = stateOf(value);
  const status = statusAt(top, child, context);
  const device = status === 'awaitingUser' ? (context.device ?? context.mirror) : undefined;
  const stored = context.session;
  let session: SessionView | undefined =
    status === 'authenticated' && stored
      ? {
          expiresAt: stored.expiresAt,
          issuedAt: stored.issuedAt,
          signedInAt: stored.signedInAt,
          tokenType: stored.tokenType,
          scopes: stored.scopes && Object.freeze([...stored.scopes]),
          refreshable: stored.refreshToken !== undefined,
          ...(options.exposeTokens ? { accessToken: stored.accessToken } : {}),
        }
      : undefined;
  if (session && previous?.session && same(previous.session, session)) session = previous.session;
  const next: DeviceLoginView = {
    status,
    userCode: device?.userCode,
    verificationUri: device?.verificationUri,
    verificationUriComplete: device?.verificationUriComplete,
    expiresAt: device?.expiresAt,
    // Only this tab's own flow keeps `device`: a mirrored prompt lives in `mirror`.
    codeSource: device && (context.device ? 'thisTab' : 'otherTab'),
    interval: device?.interval,
    isSlowedDown: status === 'awaitingUser' && context.device?.slowedDown === true,
    isRefreshing: top === 'authenticated' && child === 'refreshing',
    isRestoring: top === 'restoring',
    session: session && Object.freeze(session),
    error: context.error,
  };
  return previous && same(previous, next) ? previous : Object.freeze(next);
}

/** The status a snapshot shows. */
export function statusOf(snapshot: DeviceLoginSnapshot): DeviceLoginStatus {
  return statusAt(...stateOf(snapshot.value), snapshot.context);
}

// The state value is read directly rather than through `snapshot.matches`, which resolves its argument against the
// machine on every call: this runs on every snapshot, twice per poll.

/**
 * The top-level state and its active child (`undefined` when it has none). The machine is not parallel, and no child
 * state has children of its own: an object value has exactly one key, and a string under it.
 */
function stateOf(value: DeviceLoginSnapshot['value']): [TopState, string | undefined] {
  return typeof value === 'string' ? [value, undefined] : (Object.entries(value)[0] as [TopState, string]);
}

/** The status of each top-level state; a `Record` so that a new state fails to compile until it has one. */
const STATUS: Record<TopState, DeviceLoginStatus> = {
  restoring: 'idle',
  restored: 'idle',
  idle: 'idle',
  signingIn: 'registering',
  authenticated: 'authenticated',
  expired: 'expired',
  denied: 'denied',
  failed: 'error',
};

function statusAt(
  top: TopState,
  child: string | undefined,
  context: DeviceLoginSnapshot['context'],
): DeviceLoginStatus {
  if (top !== 'signingIn') return STATUS[top];
  // While another tab runs the flow (`waitingForLock` with its prompt mirrored), show that tab's code.
  if (child === 'awaitingUser' || (child === 'waitingForLock' && context.mirror)) return 'awaitingUser';
  return child === 'authorizing' || child === 'authorizeBackoff' ? 'authorizing' : 'registering';
}

/**
 * Shallow equality of two views or two session views: the same keys, each value identical, or, for lists
 * (`scopes`), the same items.
 */
function same(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return (
    keys.length === Object.keys(y).length &&
    keys.every((key) => {
      const p = x[key];
      const q = y[key];
      return (
        p === q ||
        (Array.isArray(p) && Array.isArray(q) && p.length === q.length && p.every((item, i) => item === q[i]))
      );
    })
  );
}
