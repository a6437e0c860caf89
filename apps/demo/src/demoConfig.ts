/**
 * What the demo's server tells the page at `GET /demo-config.json`: which identity provider to sign in with and
 * where to reach it. It is read at run time, so one build serves every mode (`vite preview` in the end-to-end tests).
 */
export type DemoConfig = AwsDemoConfig | OidcDemoConfig;

/** AWS IAM Identity Center: the embedded emulator, or real AWS through the same-origin proxy. */
export interface AwsDemoConfig {
  readonly mode: 'emulator' | 'aws';
  readonly region: string;
  readonly startUrl: string;
  /** Root-relative SSO OIDC base URL on the page's own origin, e.g. `/aws/us-east-1/oidc` or `/emulator`. */
  readonly oidcEndpoint: string;
  /** Root-relative SSO portal base URL on the page's own origin. */
  readonly portalEndpoint: string;
}

/** Any RFC 8628 OpenID provider (`pnpm start:oidc` runs node-oidc-provider on 127.0.0.1). */
export interface OidcDemoConfig {
  readonly mode: 'oidc';
  readonly issuer: string;
  readonly clientId: string;
}

/** The path the page reads its configuration from. */
export const DEMO_CONFIG_PATH = '/demo-config.json';

/** Checks the JSON the server sent; a wrong shape is an error that names the member, never a half-built config. */
export function parseDemoConfig(value: unknown): DemoConfig {
  if (typeof value !== 'object' || value === null)
    throw new Error('The demo configuration is not an object.');
  const record = value as Record<string, unknown>;
  const text = (name: string): string => {
    const member = record[name];
    if (typeof member !== 'string' || member === '') {
      throw new Error(`The demo configuration has no "${name}".`);
    }
    return member;
  };
  const mode = record.mode;
  if (mode === 'emulator' || mode === 'aws') {
    return {
      mode,
      region: text('region'),
      startUrl: text('startUrl'),
      oidcEndpoint: text('oidcEndpoint'),
      portalEndpoint: text('portalEndpoint'),
    };
  }
  if (mode === 'oidc') return { mode, issuer: text('issuer'), clientId: text('clientId') };
  throw new Error(`The demo configuration has an unknown mode: ${JSON.stringify(mode)}.`);
}
