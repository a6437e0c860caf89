import type { ReactNode } from 'react';
import { AlertIcon, RefreshIcon } from './icons.tsx';

/** Grey placeholder rows while something loads; `label` is what screen readers hear instead. */
export function Skeleton({ rows, label }: { rows: number; label: string }) {
  return (
    <div className="skeleton-list" aria-busy="true">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders.
        <div key={index} className="skeleton-row" aria-hidden="true">
          <span className="skeleton skeleton-avatar" />
          <span className="skeleton-lines">
            <span className="skeleton skeleton-line" />
            <span className="skeleton skeleton-line short" />
          </span>
        </div>
      ))}
    </div>
  );
}

/** A failure, what it means, and a button to try again. */
export function ErrorState({
  title,
  message,
  onRetry,
  retrying,
  compact,
}: {
  title: string;
  message: string;
  onRetry: () => void;
  retrying?: boolean;
  compact?: boolean;
}) {
  return (
    <div className={compact ? 'state state-error compact' : 'state state-error'}>
      <AlertIcon />
      <div className="state-body">
        <p className="state-title">{title}</p>
        <p className="state-text">{message}</p>
      </div>
      {/* aria-disabled while retrying: disabled would drop the keyboard focus the person pressed it with. */}
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        onClick={() => {
          if (!retrying) onRetry();
        }}
        aria-disabled={retrying ?? false}
      >
        <RefreshIcon />
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}

/** Nothing to show, said plainly. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-body">
        <p className="state-title">{title}</p>
        <p className="state-text">{children}</p>
      </div>
    </div>
  );
}

/** The text of an error from the kit: the server's description when there is one, else the message. */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const description = (error as { errorDescription?: unknown }).errorDescription;
    if (typeof description === 'string' && description !== '') return description;
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return 'Something went wrong.';
}
