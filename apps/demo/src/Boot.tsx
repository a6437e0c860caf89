import { DeviceLoginProvider } from '@oidc-device-login/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { App } from './App.tsx';
import { Frame } from './Frame.tsx';
import { type LoadedDemo, loadDemo } from './loadDemo.ts';
import { ErrorState } from './states.tsx';

const queryClient = new QueryClient();

type BootState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; demo: LoadedDemo };

/** Loads the server's configuration, then renders the app with the page's one login. */
export function Boot() {
  const [state, setState] = useState<BootState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    // `attempt` re-runs the load after a failure.
    void attempt;
    loadDemo().then(
      (demo) => current && setState({ kind: 'ready', demo }),
      (error: unknown) =>
        current &&
        setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  if (state.kind !== 'ready') {
    return (
      <Frame config={undefined}>
        <div className="boot">
          {state.kind === 'loading' ? (
            <div className="card boot-card" aria-busy="true">
              <span className="visually-hidden">Loading the demo…</span>
              <span className="skeleton skeleton-line" aria-hidden="true" />
              <span className="skeleton skeleton-line short" aria-hidden="true" />
            </div>
          ) : (
            <>
              <h1 className="page-title">The demo could not start</h1>
              <ErrorState
                title="Could not load the demo configuration"
                message={state.message}
                onRetry={() => {
                  setState({ kind: 'loading' });
                  setAttempt((n) => n + 1);
                }}
              />
            </>
          )}
        </div>
      </Frame>
    );
  }
  const { config, login } = state.demo;
  return (
    <QueryClientProvider client={queryClient}>
      <DeviceLoginProvider
        login={login}
        portal={config.mode === 'oidc' ? undefined : { endpoint: config.portalEndpoint }}
      >
        <App config={config} />
      </DeviceLoginProvider>
    </QueryClientProvider>
  );
}
