import type { AccountInfo, RoleCredentials } from '@oidc-device-login/core';
import { useSsoRoleCredentials } from '@oidc-device-login/react';
import { useEffect, useId, useRef, useState } from 'react';
import { useAnnouncerHost } from './Announcer.tsx';
import { CopyButton } from './CopyButton.tsx';
import { formatClockTime, formatRelative } from './formatTime.ts';
import { CloseIcon } from './icons.tsx';
import { describeError, ErrorState, Skeleton, useErrorWhileRetrying } from './states.tsx';
import { useNow } from './useNow.ts';

export interface CredentialsTarget {
  account: AccountInfo;
  roleName: string;
}

/**
 * GetRoleCredentials in a modal dialog (native `<dialog>`: focus is trapped, Escape closes, focus returns to the
 * button that opened it). The credentials are fetched when it opens and dropped from memory when it closes. While
 * open it hosts the page's live region, which the page around it, inert, would otherwise silence.
 */
export function CredentialsDialog({
  target,
  onClose,
}: {
  target: CredentialsTarget | undefined;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The open modal dialog makes the page around it inert, the live region too: it hosts the region meanwhile.
  const [openDialog, setOpenDialog] = useState<HTMLDialogElement | null>(null);
  useAnnouncerHost(openDialog);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (target && !dialog.open) dialog.showModal();
    if (!target && dialog.open) dialog.close();
    setOpenDialog(target ? dialog : null);
  }, [target]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      {target ? <CredentialsContent target={target} titleId={titleId} onClose={onClose} /> : null}
    </dialog>
  );
}

function CredentialsContent({
  target,
  titleId,
  onClose,
}: {
  target: CredentialsTarget;
  titleId: string;
  onClose: () => void;
}) {
  const { account, roleName } = target;
  const credentials = useSsoRoleCredentials({ accountId: account.accountId, roleName });
  const error = useErrorWhileRetrying(credentials);
  return (
    <>
      <div className="dialog-header">
        <div>
          <h2 id={titleId} className="dialog-title">
            Credentials for {roleName}
          </h2>
          <p className="dialog-subtitle">
            {account.accountName ?? account.accountId} · <span className="mono">{account.accountId}</span>
          </p>
        </div>
        <button type="button" className="btn btn-ghost btn-icon" onClick={onClose}>
          <CloseIcon />
          <span className="visually-hidden">Close</span>
        </button>
      </div>
      <div className="dialog-body">
        {error !== undefined ? (
          <ErrorState
            title="Could not get credentials"
            message={describeError(error)}
            onRetry={() => void credentials.refetch()}
            retrying={credentials.isFetching}
          />
        ) : credentials.isPending || credentials.isError ? (
          <Skeleton rows={3} label="Getting short-term credentials…" />
        ) : (
          <CredentialValues credentials={credentials.data} />
        )}
      </div>
      <div className="dialog-footer">
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </>
  );
}

function CredentialValues({ credentials }: { credentials: RoleCredentials }) {
  const now = useNow();
  const exports = exportLines(credentials);
  return (
    <>
      <p className="expiry" data-testid="credentials-expiry">
        Valid until{' '}
        <time dateTime={new Date(credentials.expiration).toISOString()}>
          {formatClockTime(credentials.expiration)}
        </time>{' '}
        <span className="muted">({formatRelative(credentials.expiration, now)})</span>
      </p>
      <div className="subsection">
        <div className="subsection-header">
          <h3 className="subsection-title">Environment variables</h3>
          <CopyButton text={exports} what="the export commands" />
        </div>
        <p className="subsection-hint">Paste into a terminal on macOS or Linux.</p>
        <pre className="code-block" data-testid="export-lines">
          <code>{exports}</code>
        </pre>
      </div>
      <div className="subsection">
        <h3 className="subsection-title">Values</h3>
        <dl className="fields">
          <Field label="AWS access key ID" value={credentials.accessKeyId} />
          <Field label="AWS secret access key" value={credentials.secretAccessKey} />
          <Field label="AWS session token" value={credentials.sessionToken} />
        </dl>
      </div>
    </>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>
        <code className="field-value" title={value}>
          {value}
        </code>
        <CopyButton text={value} what={label} showLabel={false} />
      </dd>
    </div>
  );
}

/** `export NAME=value` lines; values outside the characters AWS uses are single-quoted for the shell. */
export function exportLines(credentials: RoleCredentials): string {
  return [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.sessionToken],
  ]
    .map(([name, value]) => `export ${name}=${shellValue(value ?? '')}`)
    .join('\n');
}

function shellValue(value: string): string {
  return /^[A-Za-z0-9+/=._:-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
