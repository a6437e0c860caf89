import type { DeviceLogin, DeviceLoginView } from '@oidc-device-login/core';
import type { QueryClient } from '@tanstack/react-query';

/** The first element of every query key of the portal hooks: `queryClient.invalidateQueries({ queryKey: [ssoQueryScope] })`. */
export const ssoQueryScope = 'oidc-device-login/sso';

/**
 * Follows which sign-in a login holds, for query keys. A sign-in is identified by `session.signedInAt`, which
 * every refresh keeps and every sign-in renews, so a refresh keeps the cache and another person's sign-in (from
 * another tab, with no signed-out status in between) empties it. A session without it (stored by an older
 * version, or rewritten by the AWS CLI) keeps the key it had, or takes when its first token was issued
 * (`issuedAt`, else `expiresAt`) after a signed-out status. Never the token itself: query keys are visible in
 * devtools. When the sign-in ends or another begins, the portal queries of the previous one are removed from every
 * QueryClient that used them, mounted or not, since they may hold role credentials.
 */
export interface SsoSessionTracker {
  /** The current sign-in's key; `undefined` while signed out. */
  readonly key: string | undefined;
  /** Removes this login's portal queries of earlier sign-ins from `client` now and whenever the sign-in changes. */
  register(client: QueryClient): void;
}

const trackers = new WeakMap<DeviceLogin, SsoSessionTracker>();

/** The tracker of `login`, created on first use (subscribed once a hook mounts) and kept as long as the login. */
export function ssoSessionTracker(login: DeviceLogin): SsoSessionTracker {
  let tracker = trackers.get(login);
  if (!tracker) {
    tracker = createTracker(login);
    trackers.set(login, tracker);
  }
  return tracker;
}

function createTracker(login: DeviceLogin): SsoSessionTracker {
  let key: string | undefined;
  let subscribed = false;
  const clients = new Set<QueryClient>();
  const loginId = idOf(login);

  // A session that knows its sign-in names it. Without that, a refresh (which renews the token while signed in)
  // keeps the key, and a new sign-in is seen only when it passes through a status without a session; in this tab
  // it does, but a sign-in taken from another tab does not.
  const keyFor = (view: DeviceLoginView) => {
    const session = view.status === 'authenticated' ? view.session : undefined;
    if (!session) return undefined;
    if (session.signedInAt !== undefined) return String(session.signedInAt);
    return key ?? String(session.issuedAt ?? session.expiresAt);
  };
  key = keyFor(login.getView());

  const removeStale = (client: QueryClient) => {
    client.removeQueries({
      predicate: (query) => {
        const [scope, base] = query.queryKey as [unknown, { login?: unknown; session?: unknown } | undefined];
        return (
          scope === ssoQueryScope && base?.login === loginId && (key === undefined || base.session !== key)
        );
      },
    });
  };

  return {
    // Computed from the current view, so a component reading it in the same notification as our listener
    // (whichever runs first) sees the same key. Nothing is subscribed here: on the server, and until a hook
    // mounts, the login sees no "first use" (which reads storage and starts the machine).
    get key() {
      return keyFor(login.getView());
    },
    register(client) {
      if (!subscribed) {
        subscribed = true;
        key = keyFor(login.getView());
        login.subscribe((view) => {
          const next = keyFor(view);
          if (next === key) return;
          key = next;
          for (const known of clients) removeStale(known);
        });
      }
      if (clients.has(client)) return;
      clients.add(client);
      removeStale(client);
    },
  };
}

const ids = new WeakMap<DeviceLogin, number>();
let nextId = 1;

/** A number per login, so two logins (two IAM Identity Center instances) never share cache entries. */
export function idOf(login: DeviceLogin): number {
  let id = ids.get(login);
  if (id === undefined) {
    id = nextId++;
    ids.set(login, id);
  }
  return id;
}
