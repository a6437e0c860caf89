/**
 * Peer bundles measured in every size run, with exactly the method of ../shared/peer-sizes/measure.sh. The entry
 * files in bench/entries are copies of ../shared/peer-sizes/entries (plus two marked bench-only), so the bench
 * needs nothing outside the repository. Versions are pinned in bench/package.json.
 */
export interface AnchorSpec {
  id: string;
  label: string;
  entry: string;
  /** External beyond nothing: `react` = react, react-dom and their subpaths (the PEERS.md "react ext" rows). */
  external: 'none' | 'react';
  /** Packages whose installed versions are recorded next to the figure. */
  packages: string[];
}

export const ANCHORS: AnchorSpec[] = [
  {
    id: 'aws-sdk-sso-oidc',
    label: 'AWS SDK client-sso-oidc (SSOOIDCClient + 3 commands)',
    entry: 'aws-client-sso-oidc.js',
    external: 'none',
    packages: ['@aws-sdk/client-sso-oidc'],
  },
  {
    id: 'aws-sdk-sso',
    label: 'AWS SDK client-sso (SSOClient + 3 portal commands) [bench-only]',
    entry: 'aws-client-sso.js',
    external: 'none',
    packages: ['@aws-sdk/client-sso'],
  },
  {
    id: 'aws-sdk-both',
    label: 'AWS SDK client-sso-oidc + client-sso together [bench-only]',
    entry: 'aws-clients-sso-oidc-and-sso.js',
    external: 'none',
    packages: ['@aws-sdk/client-sso-oidc', '@aws-sdk/client-sso'],
  },
  {
    id: 'openid-client-device',
    label: 'openid-client device calls',
    entry: 'openid-client-device.js',
    external: 'none',
    packages: ['openid-client'],
  },
  {
    id: 'openid-client-device-full',
    label: 'openid-client device + discovery + refresh + DCR',
    entry: 'openid-client-device-full.js',
    external: 'none',
    packages: ['openid-client'],
  },
  {
    id: 'oauth4webapi-device',
    label: 'oauth4webapi device + refresh fns',
    entry: 'oauth4webapi-device.js',
    external: 'none',
    packages: ['oauth4webapi'],
  },
  {
    id: 'octokit-device',
    label: '@octokit/auth-oauth-device',
    entry: 'octokit-auth-oauth-device.js',
    external: 'none',
    packages: ['@octokit/auth-oauth-device'],
  },
  {
    id: 'oidc-client-ts',
    label: 'oidc-client-ts UserManager',
    entry: 'oidc-client-ts.js',
    external: 'none',
    packages: ['oidc-client-ts'],
  },
  {
    id: 'react-oidc-context',
    label: 'react-oidc-context + oidc-client-ts (react ext)',
    entry: 'react-oidc-context.js',
    external: 'react',
    packages: ['react-oidc-context', 'oidc-client-ts'],
  },
  {
    id: 'axa-react-oidc',
    label: '@axa-fr/react-oidc + oidc-client (react ext)',
    entry: 'axa-react-oidc.js',
    external: 'react',
    packages: ['@axa-fr/react-oidc'],
  },
  {
    id: 'msal-browser',
    label: '@azure/msal-browser PublicClientApplication',
    entry: 'msal-browser.js',
    external: 'none',
    packages: ['@azure/msal-browser'],
  },
  {
    id: 'msal-react',
    label: '@azure/msal-react + msal-browser (react ext)',
    entry: 'msal-react.js',
    external: 'react',
    packages: ['@azure/msal-react', '@azure/msal-browser'],
  },
  {
    id: 'xstate',
    label: 'xstate createActor + setup + fromPromise',
    entry: 'xstate-core.js',
    external: 'none',
    packages: ['xstate'],
  },
  {
    id: 'xstate-react',
    label: '@xstate/react + xstate (react ext)',
    entry: 'xstate-react.js',
    external: 'react',
    packages: ['@xstate/react', 'xstate'],
  },
  {
    id: 'react-query',
    label: '@tanstack/react-query (react ext)',
    entry: 'tanstack-react-query.js',
    external: 'react',
    packages: ['@tanstack/react-query'],
  },
  {
    id: 'qrcode-react',
    label: 'qrcode.react QRCodeSVG (react ext)',
    entry: 'qrcode-react.js',
    external: 'react',
    packages: ['qrcode.react'],
  },
  {
    id: 'stack-baseline',
    label: 'planned stack: xstate + @xstate/react + react-query + client-sso-oidc (react ext)',
    entry: 'stack-baseline.js',
    external: 'react',
    packages: [],
  },
  {
    id: 'stack-no-aws-sdk',
    label: 'planned stack minus AWS SDK (react ext)',
    entry: 'stack-no-aws-sdk.js',
    external: 'react',
    packages: [],
  },
];
