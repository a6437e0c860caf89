import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useAnnounce } from './Announcer.tsx';
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

/**
 * A failure, what it means, and a button to try again. Said through the live region when it appears and when a
 * retry fails again: it replaces a list or a dialog's content silently otherwise.
 */
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
  const announce = useAnnounce();
  const box = useRef<HTMLDivElement>(null);
  // A retry that works replaces this box, and the Retry button that has the focus, with the content: hand the
  // focus to the content's section (or dialog) instead of letting it fall to <body>. A layout effect, so this runs
  // while the box is still in the document.
  useLayoutEffect(
    () => () => {
      const element = box.current;
      if (!element?.contains(document.activeElement)) return;
      const container = element.parentElement?.closest<HTMLElement>('section, dialog');
      const target = container?.querySelector<HTMLElement>('h1, h2, h3') ?? container;
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus();
    },
    [],
  );
  const wasRetrying = useRef<boolean | undefined>(undefined);
  useEffect(() => {
    const first = wasRetrying.current === undefined;
    const failedAgain = wasRetrying.current === true && !retrying;
    wasRetrying.current = retrying ?? false;
    if (first || failedAgain) announce(`${title}. ${message}`);
  }, [retrying, title, message, announce]);
  return (
    <div ref={box} className={compact ? 'state state-error compact' : 'state state-error'}>
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

/**
 * The query's error, kept while a retry runs: TanStack Query puts a query without data back to `pending` when it
 * fetches again, which would swap the error, and the Retry button that has the keyboard focus, for a skeleton.
 * `undefined` once it succeeds or while nothing failed.
 */
export function useErrorWhileRetrying(query: {
  error: unknown;
  isSuccess: boolean;
  isFetching: boolean;
}): unknown {
  const [kept, setKept] = useState<unknown>(undefined);
  // Derived state, set during render (React re-renders at once, before painting).
  if (query.error != null && query.error !== kept) setKept(query.error);
  if (query.isSuccess && kept !== undefined) setKept(undefined);
  return query.error ?? (query.isFetching ? kept : undefined);
}
