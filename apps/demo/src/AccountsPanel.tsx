import type { AccountInfo } from '@oidc-device-login/core';
import { useSsoAccounts } from '@oidc-device-login/react';
import { useId, useState } from 'react';
import { CredentialsDialog, type CredentialsTarget } from './CredentialsDialog.tsx';
import type { AwsDemoConfig } from './demoConfig.ts';
import { ChevronIcon } from './icons.tsx';
import { RolesList } from './RolesList.tsx';
import { describeError, EmptyState, ErrorState, Skeleton, useErrorWhileRetrying } from './states.tsx';

/** ListAccounts, as IAM Identity Center's access portal shows it: each account opens to its roles. */
export function AccountsPanel({ config }: { config: AwsDemoConfig }) {
  const accounts = useSsoAccounts();
  const error = useErrorWhileRetrying(accounts);
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [target, setTarget] = useState<CredentialsTarget | undefined>(undefined);
  const filterId = useId();

  const list = accounts.data ?? [];
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? list : list.filter((account) => matches(account, needle));
  const toggle = (accountId: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(accountId)) next.add(accountId);
      return next;
    });

  return (
    <>
      <div className="page-header">
        <h1 className="page-title" tabIndex={-1} data-screen-heading="">
          AWS accounts
        </h1>
        <p className="lead">
          Open an account to see your roles, then get short-term credentials for one. Signed in to{' '}
          <span className="nowrap">{config.startUrl}</span>.
        </p>
      </div>
      <section className="card" aria-label="AWS accounts">
        <div className="toolbar">
          <label className="visually-hidden" htmlFor={filterId}>
            Filter accounts
          </label>
          <input
            id={filterId}
            className="input"
            type="search"
            placeholder="Filter accounts"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            disabled={!accounts.isSuccess || list.length === 0}
          />
          <p className="toolbar-count">
            {accounts.isSuccess ? `${list.length} ${list.length === 1 ? 'account' : 'accounts'}` : '\u00a0'}
          </p>
        </div>
        {error !== undefined ? (
          <ErrorState
            title="Could not load your AWS accounts"
            message={describeError(error)}
            onRetry={() => void accounts.refetch()}
            retrying={accounts.isFetching}
          />
        ) : accounts.isPending ? (
          <Skeleton rows={3} label="Loading your AWS accounts…" />
        ) : list.length === 0 ? (
          <EmptyState title="No AWS accounts">
            No account is assigned to you in IAM Identity Center. Ask your administrator for access.
          </EmptyState>
        ) : shown.length === 0 ? (
          <EmptyState title="No matching accounts">Nothing matches “{filter.trim()}”.</EmptyState>
        ) : (
          <ul className="account-list">
            {shown.map((account) => (
              <AccountItem
                key={account.accountId}
                account={account}
                isOpen={open.has(account.accountId)}
                onToggle={() => toggle(account.accountId)}
                onGetCredentials={(roleName) => setTarget({ account, roleName })}
              />
            ))}
          </ul>
        )}
      </section>
      <CredentialsDialog target={target} onClose={() => setTarget(undefined)} />
    </>
  );
}

function AccountItem({
  account,
  isOpen,
  onToggle,
  onGetCredentials,
}: {
  account: AccountInfo;
  isOpen: boolean;
  onToggle: () => void;
  onGetCredentials: (roleName: string) => void;
}) {
  const rolesId = useId();
  const name = account.accountName ?? account.accountId;
  return (
    <li className="account" data-open={isOpen ? '' : undefined}>
      <h2 className="account-heading">
        <button
          type="button"
          className="account-toggle"
          aria-expanded={isOpen}
          aria-controls={rolesId}
          onClick={onToggle}
        >
          <span className="account-avatar" aria-hidden="true">
            {name.slice(0, 1).toUpperCase()}
          </span>
          <span className="account-text">
            <span className="account-name">{name}</span>
            <span className="account-meta">
              <span className="mono">{account.accountId}</span>
              {account.emailAddress ? <span>{account.emailAddress}</span> : null}
            </span>
          </span>
          <ChevronIcon />
        </button>
      </h2>
      <div id={rolesId} className="account-roles" hidden={!isOpen}>
        {isOpen ? <RolesList account={account} onGetCredentials={onGetCredentials} /> : null}
      </div>
    </li>
  );
}

function matches(account: AccountInfo, needle: string): boolean {
  return [account.accountName, account.accountId, account.emailAddress].some((value) =>
    value?.toLowerCase().includes(needle),
  );
}
