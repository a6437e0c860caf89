import { useDeviceLogin, useOidcDeviceLogin } from '@oidc-device-login/react';
import { useEffect, useRef } from 'react';
import { AccountsPanel } from './AccountsPanel.tsx';
import { Announcer } from './Announcer.tsx';
import type { DemoConfig } from './demoConfig.ts';
import { Frame } from './Frame.tsx';
import { SessionPanel } from './SessionPanel.tsx';
import { SignedInPanel } from './SignedInPanel.tsx';
import { SignInScreen } from './SignInScreen.tsx';
import { useResumeAfterReload } from './useResumeAfterReload.ts';

const selectScreen = (view: { status: string; isRestoring: boolean }) => ({
  status: view.status,
  isRestoring: view.isRestoring,
});

/** Sign-in screen until signed in; then the accounts (AWS) or the "Signed in" panel (OpenID), and the session. */
export function App({ config }: { config: DemoConfig }) {
  const login = useDeviceLogin();
  const { status, isRestoring } = useOidcDeviceLogin({ select: selectScreen });
  const resumedAfterReload = useResumeAfterReload(login);
  const screen = isRestoring ? 'restoring' : status === 'authenticated' ? 'signed-in' : 'sign-in';
  useFocusHeadingOnScreenChange(screen);

  return (
    <Frame config={config}>
      {screen === 'restoring' ? (
        <div className="card boot-card" aria-busy="true">
          <span className="visually-hidden">Looking for a saved session…</span>
          <span className="skeleton skeleton-line" aria-hidden="true" />
          <span className="skeleton skeleton-line short" aria-hidden="true" />
        </div>
      ) : screen === 'sign-in' ? (
        <SignInScreen config={config} resumedAfterReload={resumedAfterReload} />
      ) : (
        <Announcer>
          <div className="dashboard">
            <div className="dashboard-main">
              {config.mode === 'oidc' ? <SignedInPanel config={config} /> : <AccountsPanel config={config} />}
            </div>
            <aside className="dashboard-aside" aria-label="Session">
              <SessionPanel config={config} />
            </aside>
          </div>
        </Announcer>
      )}
    </Frame>
  );
}

/**
 * When the screen changes (signed in, here or in another tab; signed out), the focused control is gone: move focus
 * to the new screen's heading, so keyboard and screen reader users land at its start. Not on first load.
 */
function useFocusHeadingOnScreenChange(screen: string): void {
  const previous = useRef(screen);
  useEffect(() => {
    if (previous.current === screen) return;
    const wasRestoring = previous.current === 'restoring';
    previous.current = screen;
    if (wasRestoring) return;
    document.querySelector<HTMLElement>('[data-screen-heading]')?.focus();
  }, [screen]);
}
