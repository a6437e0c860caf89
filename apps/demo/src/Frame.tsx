import type { ReactNode } from 'react';
import type { DemoConfig } from './demoConfig.ts';
import { Logo } from './icons.tsx';
import { ThemeSwitcher } from './ThemeSwitcher.tsx';

/** The page around every screen: skip link, banner with the mode, main landmark, footer. */
export function Frame({ config, children }: { config: DemoConfig | undefined; children: ReactNode }) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <a className="brand" href="/">
            <Logo />
            <span className="brand-name">oidc-device-login</span>
            <span className="brand-tag">demo</span>
          </a>
          {config ? <ModeBadge config={config} /> : null}
          <div className="topbar-end">
            <ThemeSwitcher />
          </div>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <p>{footerText(config)}</p>
      </footer>
    </div>
  );
}

function ModeBadge({ config }: { config: DemoConfig }) {
  const mode = config.mode;
  switch (mode) {
    case 'emulator':
      return (
        <p className="mode-badge" data-mode={mode}>
          <span className="mode-dot" aria-hidden="true" />
          Embedded emulator <span className="mode-detail">· {config.region}</span>
        </p>
      );
    case 'aws':
      return (
        <p className="mode-badge" data-mode={mode}>
          <span className="mode-dot" aria-hidden="true" />
          AWS IAM Identity Center <span className="mode-detail">· {config.region}</span>
        </p>
      );
    case 'oidc':
      return (
        <p className="mode-badge" data-mode={mode}>
          <span className="mode-dot" aria-hidden="true" />
          OpenID provider <span className="mode-detail">· {new URL(config.issuer).host}</span>
        </p>
      );
    default:
      return mode satisfies never;
  }
}

function footerText(config: DemoConfig | undefined): string {
  switch (config?.mode) {
    case 'emulator':
      return 'Signing in against the embedded IAM Identity Center emulator: a local model of AWS, no account involved.';
    case 'aws':
      return 'Calls to AWS go through this server’s same-origin proxy; tokens stay in this browser.';
    case 'oidc':
      return 'Signing in with the OAuth 2.0 device authorization grant (RFC 8628) against a local OpenID provider.';
    default:
      return 'OAuth 2.0 device authorization grant (RFC 8628) for AWS IAM Identity Center and OpenID providers.';
  }
}
