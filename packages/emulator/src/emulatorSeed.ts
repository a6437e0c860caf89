/** An AWS account the portal lists (`ListAccounts` → `accountList[]`). */
export interface SeedAccount {
  /** 12 digits, e.g. `111122223333`. */
  accountId: string;
  accountName: string;
  emailAddress: string;
}

/** A person who can sign in on the verification page, with the roles assigned to them per account. */
export interface SeedUser {
  /** Stable id used by `approve({ user })` and the "Sign in as" form field. */
  userName: string;
  /** Shown on the verification page. Defaults to `userName`. */
  displayName?: string;
  /** Account id → role names, e.g. `{ '111122223333': ['AdministratorAccess', 'ReadOnly'] }`. */
  assignments: Readonly<Record<string, readonly string[]>>;
}

/** The identity store and account assignments the emulator serves. */
export interface EmulatorSeed {
  accounts: readonly SeedAccount[];
  /** At least one. The first is the default user of `approve()`. */
  users: readonly SeedUser[];
}

/**
 * Three accounts and two users: `alice` (admin everywhere) and `bob` (read-only on dev and prod).
 */
export const defaultSeed: EmulatorSeed = {
  accounts: [
    { accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com' },
    { accountId: '444455556666', accountName: 'prod', emailAddress: 'prod@example.com' },
    { accountId: '777788889999', accountName: 'sandbox', emailAddress: 'sandbox@example.com' },
  ],
  users: [
    {
      userName: 'alice',
      displayName: 'Alice Admin',
      assignments: {
        '111122223333': ['AdministratorAccess', 'ReadOnly'],
        '444455556666': ['AdministratorAccess', 'ReadOnly'],
        '777788889999': ['AdministratorAccess'],
      },
    },
    {
      userName: 'bob',
      displayName: 'Bob Reader',
      assignments: {
        '111122223333': ['ReadOnly'],
        '444455556666': ['ReadOnly'],
      },
    },
  ],
};

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Checks a caller-provided seed up front, so a typo fails at `createEmulator` rather than as a 404 later. */
export function validateSeed(seed: EmulatorSeed): void {
  if (!Array.isArray(seed?.accounts) || !Array.isArray(seed.users)) {
    throw new TypeError('seed must be { accounts: SeedAccount[], users: SeedUser[] }');
  }
  const accountIds = new Set<string>();
  for (const account of seed.accounts) {
    if (!isNonEmptyString(account?.accountId) || !isNonEmptyString(account.accountName)) {
      throw new TypeError('Each seed account needs a non-empty accountId and accountName');
    }
    if (typeof account.emailAddress !== 'string') {
      throw new TypeError(`seed account ${account.accountId} needs an emailAddress string`);
    }
    if (accountIds.has(account.accountId)) {
      throw new TypeError(`seed account ${account.accountId} is listed twice`);
    }
    accountIds.add(account.accountId);
  }
  if (seed.users.length === 0)
    throw new TypeError('seed.users needs at least one user (approve() signs in the first)');
  const userNames = new Set<string>();
  for (const user of seed.users) {
    if (!isNonEmptyString(user?.userName)) throw new TypeError('Each seed user needs a non-empty userName');
    if (userNames.has(user.userName)) throw new TypeError(`seed user ${user.userName} is listed twice`);
    userNames.add(user.userName);
    if (typeof user.assignments !== 'object' || user.assignments === null) {
      throw new TypeError(`seed user ${user.userName} needs assignments: { [accountId]: roleNames[] }`);
    }
    for (const [accountId, roles] of Object.entries(user.assignments)) {
      if (!accountIds.has(accountId)) {
        throw new TypeError(
          `seed user ${user.userName} is assigned to ${accountId}, which is not in seed.accounts`,
        );
      }
      if (!Array.isArray(roles) || !roles.every(isNonEmptyString)) {
        throw new TypeError(`seed user ${user.userName}: roles for ${accountId} must be non-empty strings`);
      }
    }
  }
}
