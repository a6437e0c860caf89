import type { AccountInfo } from '@oidc-device-login/core';
import { useSsoAccountRoles } from '@oidc-device-login/react';
import { KeyIcon } from './icons.tsx';
import { describeError, ErrorState, Skeleton, useErrorWhileRetrying } from './states.tsx';

/** ListAccountRoles for one account, each role with its "Get credentials" button. */
export function RolesList({
  account,
  onGetCredentials,
}: {
  account: AccountInfo;
  onGetCredentials: (roleName: string) => void;
}) {
  const roles = useSsoAccountRoles(account.accountId);
  const error = useErrorWhileRetrying(roles);
  const accountLabel = account.accountName ?? account.accountId;
  if (error !== undefined) {
    return (
      <ErrorState
        compact
        title={`Could not load your roles in ${accountLabel}`}
        message={describeError(error)}
        onRetry={() => void roles.refetch()}
        retrying={roles.isFetching}
      />
    );
  }
  if (roles.isPending) return <Skeleton rows={2} label={`Loading your roles in ${accountLabel}…`} />;
  if (roles.isError) return null;
  if (roles.data.length === 0) {
    return <p className="roles-empty">You have no role in this account.</p>;
  }
  return (
    <ul className="role-list" aria-label={`Your roles in ${accountLabel}`}>
      {roles.data.map((role) => (
        <li key={role.roleName} className="role">
          <span className="role-icon" aria-hidden="true">
            <KeyIcon />
          </span>
          <span className="role-name">{role.roleName}</span>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => onGetCredentials(role.roleName)}
          >
            Get credentials
            <span className="visually-hidden">
              {' '}
              for {role.roleName} in {accountLabel}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
