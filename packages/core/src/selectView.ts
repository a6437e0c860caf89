import type { SnapshotFrom } from 'xstate';
import type { deviceLoginMachine } from './deviceLoginMachine.ts';
import type { StoredSession } from './storage.ts';
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
  const top = topOf(value);
  const child = childOf(value);
  const status = statusAt(top, child, context);
  const device = status === 'awaitingUser' ? (context.device ?? context.mirror) : undefined;
  const session =
    status === 'authenticated' && context.session ? sessionView(context.session, options) : undefined;
  const next: DeviceLoginView = {
    status,
    userCode: device?.userCode,
    verificationUri: device?.verificationUri,
    verificationUriComplete: device?.verificationUriComplete,
    expiresAt: device?.expiresAt,
    interval: device?.interval,
    isSlowedDown: context.device !== undefined && status === 'awaitingUser' && context.device.slowedDown,
    isRefreshing: top === 'authenticated' && child === 'refreshing',
    isRestoring: top === 'restoring',
    session:
      previous?.session && session && sameSession(previous.session, session) ? previous.session : session,
    error: context.error,
  };
  if (previous && sameView(previous, next)) return previous;
  if (next.session) Object.freeze(next.session);
  return Object.freeze(next);
}

/** The status a snapshot shows. */
export function statusOf(snapshot: DeviceLoginSnapshot): DeviceLoginStatus {
  const { value } = snapshot;
  return statusAt(topOf(value), childOf(value), snapshot.context);
}

// The state value is read directly rather than through `snapshot.matches`, which resolves its argument against the
// machine on every call: this runs on every snapshot, twice per poll.

/** The top-level state. The machine is not parallel at the top, so an object value has exactly one key. */
function topOf(value: DeviceLoginSnapshot['value']): TopState {
  if (typeof value === 'string') return value;
  let top: string | undefined;
  for (top in value) break;
  return top as TopState;
}

/** The name of the active child of the top-level state; `undefined` when that state has none. */
function childOf(value: DeviceLoginSnapshot['value']): string | undefined {
  if (typeof value === 'string') return undefined;
  for (const top in value) {
    const child: unknown = (value as Record<string, unknown>)[top];
    if (typeof child === 'string') return child;
    for (const name in child as object) return name;
  }
  return undefined;
}

function statusAt(
  top: TopState,
  child: string | undefined,
  context: DeviceLoginSnapshot['context'],
): DeviceLoginStatus {
  switch (top) {
    case 'restoring':
    case 'restored':
    case 'idle':
      return 'idle';
    case 'signingIn':
      switch (child) {
        case 'awaitingUser':
          return 'awaitingUser';
        // Another tab runs the flow: show its code.
        case 'waitingForLock':
          return context.mirror ? 'awaitingUser' : 'registering';
        case 'authorizing':
        case 'authorizeBackoff':
          return 'authorizing';
        default:
          return 'registering';
      }
    case 'authenticated':
      return 'authenticated';
    case 'expired':
      return 'expired';
    case 'denied':
      return 'denied';
    case 'failed':
      return 'error';
    default:
      return top satisfies never;
  }
}

function sessionView(session: StoredSession, options: SelectViewOptions): SessionView {
  const view: SessionView = {
    expiresAt: session.expiresAt,
    issuedAt: session.issuedAt,
    tokenType: session.tokenType,
    scopes: session.scopes ? Object.freeze([...session.scopes]) : undefined,
    refreshable: session.refreshToken !== undefined,
    ...(options.exposeTokens ? { accessToken: session.accessToken } : {}),
  };
  return view;
}

function sameSession(a: SessionView, b: SessionView): boolean {
  return (
    a.expiresAt === b.expiresAt &&
    a.issuedAt === b.issuedAt &&
    a.tokenType === b.tokenType &&
    a.refreshable === b.refreshable &&
    a.accessToken === b.accessToken &&
    sameList(a.scopes, b.scopes)
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((item, index) => item === b[index]);
}

function sameView(a: DeviceLoginView, b: DeviceLoginView): boolean {
  return (
    a.status === b.status &&
    a.userCode === b.userCode &&
    a.verificationUri === b.verificationUri &&
    a.verificationUriComplete === b.verificationUriComplete &&
    a.expiresAt === b.expiresAt &&
    a.interval === b.interval &&
    a.isSlowedDown === b.isSlowedDown &&
    a.isRefreshing === b.isRefreshing &&
    a.isRestoring === b.isRestoring &&
    a.session === b.session &&
    a.error === b.error
  );
}
