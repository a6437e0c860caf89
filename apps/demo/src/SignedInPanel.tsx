import { useAccessToken, useOidcDeviceLogin } from '@oidc-device-login/react';
import type { OidcDemoConfig } from './demoConfig.ts';
import { formatClockTime, formatRelative } from './formatTime.ts';
import { CheckIcon } from './icons.tsx';
import { useNow } from './useNow.ts';

const selectScopes = (view: { session?: { scopes?: readonly string[] | undefined } | undefined }) => ({
  scopes: view.session?.scopes,
});

/** OpenID mode: no AWS accounts to list, so the screen says who signed you in and until when. */
export function SignedInPanel({ config }: { config: OidcDemoConfig }) {
  const { expiresAt } = useAccessToken();
  const { scopes } = useOidcDeviceLogin({ select: selectScopes });
  const now = useNow();
  return (
    <>
      <div className="page-header">
        <h1 className="page-title" tabIndex={-1} data-screen-heading="">
          Signed in
        </h1>
        <p className="lead">
          The OpenID provider at <span className="nowrap">{new URL(config.issuer).host}</span> approved this
          browser with the device authorization grant. Accounts and roles are an AWS IAM Identity Center
          feature, so there are none here.
        </p>
      </div>
      <section className="card signed-in-card" aria-labelledby="signed-in-title">
        <div className="signed-in-badge" aria-hidden="true">
          <CheckIcon />
        </div>
        <div>
          <h2 id="signed-in-title" className="card-title">
            You are signed in
          </h2>
          <dl className="facts">
            <div>
              <dt>Access token expires</dt>
              <dd data-testid="signed-in-expiry">
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
              <dt>Client</dt>
              <dd className="mono">{config.clientId}</dd>
            </div>
            {scopes && scopes.length > 0 ? (
              <div>
                <dt>Scopes</dt>
                <dd className="scopes">
                  {scopes.map((scope) => (
                    <span key={scope} className="tag">
                      {scope}
                    </span>
                  ))}
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
      </section>
    </>
  );
}
