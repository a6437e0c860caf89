import { ssoQueryScope } from './ssoSession.ts';

/** What every portal query key holds after the scope: the login, the portal endpoint and the sign-in. */
export interface SsoQueryKeyBase {
  login: number;
  endpoint: string;
  session: string | undefined;
}

/**
 * Query keys of the portal hooks, for `invalidateQueries` / `removeQueries`. Everything below
 * `[ssoQueryScope]` belongs to them.
 */
export const ssoQueryKeys = {
  all: [ssoQueryScope] as const,
  accounts: (base: SsoQueryKeyBase) => [ssoQueryScope, base, 'accounts'] as const,
  accountRoles: (base: SsoQueryKeyBase, accountId: string) =>
    [ssoQueryScope, base, 'roles', accountId] as const,
  roleCredentials: (base: SsoQueryKeyBase, accountId: string, roleName: string) =>
    [ssoQueryScope, base, 'credentials', accountId, roleName] as const,
};
