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
  const { context } = snapshot;
  const status = statusOf(snapshot);
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
    isRefreshing: snapshot.matches({ authenticated: 'refreshing' }),
    isRestoring: snapshot.matches('restoring'),
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
  const value = snapshot.value;
  const top = (typeof value === 'string' ? value : Object.keys(value)[0]) as TopState;
  switch (top) {
    case 'restoring':
    case 'restored':
    case 'idle':
      return 'idle';
    case 'signingIn': {
      if (snapshot.matches({ signingIn: 'awaitingUser' })) return 'awaitingUser';
      if (snapshot.matches({ signingIn: 'waitingForLock' })) {
        // Another tab runs the flow: show its code.
        return snapshot.context.mirror ? 'awaitingUser' : 'registering';
      }
      if (
        snapshot.matches({ signingIn: 'authorizing' }) ||
        snapshot.matches({ signingIn: 'authorizeBackoff' })
      ) {
        return 'authorizing';
      }
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
