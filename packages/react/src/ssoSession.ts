import type { DeviceLogin, DeviceLoginView } from '@oidc-device-login/core';
import type { QueryClient } from '@tanstack/react-query';

/** The first element of every query key of the portal hooks: `queryClient.invalidateQueries({ queryKey: [ssoQueryScope] })`. */
export const ssoQueryScope = 'oidc-device-login/sso';

/**
 * Follows which sign-in a login holds, for query keys. A sign-in is identified by when its first access token was
 * issued (`session.issuedAt`, else `expiresAt`), kept across refreshes: a refresh renews the token, not the
 * sign-in, so it must not empty the cache. Never the token itself: query keys are visible in devtools. When the sign-in ends or another begins, the portal queries of the
 * previous one are removed from every QueryClient that used them, mounted or not, since they may hold role
 * credentials.
 */
export interface SsoSessionTracker {
  /** The current sign-in's key; `undefined` while signed out. */
  readonly key: string | undefined;
  /** Removes this login's portal queries of earlier sign-ins from `client` now and whenever the sign-in changes. */
  register(client: QueryClient): void;
}

const trackers = new WeakMap<DeviceLogin, SsoSessionTracker>();

/** The tracker of `login`, created and subscribed on first use and kept as long as the login. */
export function ssoSessionTracker(login: DeviceLogin): SsoSessionTracker {
  let tracker = trackers.get(login);
  if (!tracker) {
    tracker = createTracker(login);
    trackers.set(login, tracker);
  }
  return tracker;
}

function sessionKeyOf(view: DeviceLoginView): string | undefined {
  const session = view.status === 'authenticated' ? view.session : undefined;
  return session ? String(session.issuedAt ?? session.expiresAt) : undefined;
}

function createTracker(login: DeviceLogin): SsoSessionTracker {
  let key = sessionKeyOf(login.getView());
  const clients = new Set<QueryClient>();

  const removeStale = (client: QueryClient) => {
    client.removeQueries({
      predicate: (query) =>
        query.queryKey[0] === ssoQueryScope &&
        (query.queryKey[1] as { login?: unknown } | undefined)?.login === loginId &&
        (key === undefined || (query.queryKey[1] as { session?: unknown }).session !== key),
    });
  };
  const loginId = idOf(login);

  login.subscribe((view) => {
    const next = sessionKeyOf(view);
    // A refresh renews the token while signed in: the key stays. Every new sign-in (also a forced one, or
    // another account) passes through a status without a session, which is where the key changes.
    if (next !== undefined && key !== undefined) return;
    if (next === key) return;
    key = next;
    for (const client of clients) removeStale(client);
  });

  return {
    get key() {
      return key;
    },
    register(client) {
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
