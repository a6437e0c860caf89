import { useAccessToken, useDeviceLogin, useOidcDeviceLogin } from '@oidc-device-login/react';
import { useState } from 'react';
import { useAnnounce } from './Announcer.tsx';
import type { DemoConfig } from './demoConfig.ts';
import { formatClockTime, formatRelative } from './formatTime.ts';
import { describeError } from './states.tsx';
import { useNow } from './useNow.ts';

const selectSession = (view: { session?: { issuedAt?: number; refreshable: boolean } | undefined }) => ({
  issuedAt: view.session?.issuedAt,
  refreshable: view.session?.refreshable ?? false,
});

type Outcome = { kind: 'ok' | 'info' | 'error'; text: string } | undefined;

/** The session: when the access token expires, "Refresh now" and "Sign out" (both reach every tab). */
export function SessionPanel({ config }: { config: DemoConfig }) {
  const login = useDeviceLogin();
  const { status, expiresAt } = useAccessToken();
  const { refreshable } = useOidcDeviceLogin({ select: selectSession });
  const announce = useAnnounce();
  const now = useNow();
  const [busy, setBusy] = useState<'refresh' | 'logout' | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(undefined);

  const tell = (next: NonNullable<Outcome>) => {
    setOutcome(next);
    announce(next.text);
  };

  const refresh = async () => {
    setBusy('refresh');
    setOutcome(undefined);
    const before = login.getView().session?.issuedAt;
    try {
      await login.refresh();
      const after = login.getView().session?.issuedAt;
      if (after !== undefined && after !== before) tell({ kind: 'ok', text: 'Session refreshed.' });
      else
        tell({
          kind: 'info',
          text: 'Not refreshed: the session was refreshed less than 30 seconds ago. Try again in a moment.',
        });
    } catch (error) {
      tell({ kind: 'error', text: `Refresh failed: ${describeError(error)}` });
    } finally {
      setBusy(undefined);
    }
  };

  const signOut = async () => {
    setBusy('logout');
    // Resolves once every tab is signed out; this panel is gone by then.
    await login.logout();
  };

  return (
    <section className="card session-card" aria-labelledby="session-title">
      <div className="card-header">
        <h2 id="session-title" className="card-title">
          Session
        </h2>
        <span className="pill" data-state={status}>
          <span className="pill-dot" aria-hidden="true" />
          {status === 'refreshing' ? 'Refreshing…' : 'Signed in'}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Access token expires</dt>
          <dd data-testid="token-expiry">
            {expiresAt === undefined ? (
              '—'
            ) : (
              <>
                <time dateTime={new Date(expiresAt).toISOString()}>{formatClockTime(expiresAt)}</time>{' '}
                <span className="muted">({formatRelative(expiresAt, now)})</span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>
            {refreshable
              ? 'Automatic, with the refresh token, before it expires'
              : 'None: sign in again when it expires'}
          </dd>
        </div>
        {config.mode === 'oidc' ? (
          <div>
            <dt>Issuer</dt>
            <dd className="break">{config.issuer}</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>Region</dt>
              <dd className="mono">{config.region}</dd>
            </div>
            <div>
              <dt>Start URL</dt>
              <dd className="break">{config.startUrl}</dd>
            </div>
          </>
        )}
      </dl>
      {outcome ? (
        <p className="outcome" data-kind={outcome.kind}>
          {outcome.text}
        </p>
      ) : null}
      <div className="card-actions">
        {/* Busy, the buttons are aria-disabled rather than disabled: a disabled button loses the keyboard focus
            it had, and the person their place. */}
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            if (busy === undefined) void refresh();
          }}
          aria-disabled={busy !== undefined}
          disabled={!refreshable}
        >
          {busy === 'refresh' ? 'Refreshing…' : 'Refresh now'}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            if (busy === undefined) void signOut();
          }}
          aria-disabled={busy !== undefined}
        >
          {busy === 'logout' ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      <p className="card-note">
        Your other tabs of this demo share this session: signing out here signs them out too.
      </p>
    </section>
  );
}
