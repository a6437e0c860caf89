import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSsoProxy, type SsoUpstream } from '@oidc-device-login/core/proxy';
import { toNodeMiddleware } from '@oidc-device-login/core/proxy/node';
import { createEmulator, createEmulatorMiddleware, type EmulatorOptions } from '@oidc-device-login/emulator';
import type { Connect, Plugin } from 'vite';
import { DEMO_CONFIG_PATH, type DemoConfig } from '../src/demoConfig.ts';

/** Where the embedded emulator is served on the demo's origin (verification page: `/emulator/device`). */
export const EMULATOR_PREFIX = '/emulator';
/** Where the same-origin AWS proxy is served: `/aws/<region>/oidc/…` and `/aws/<region>/portal/…`. */
export const AWS_PROXY_BASE_PATH = '/aws';
/** The region and start URL the demo names when it signs in to the emulator (the emulator accepts any). */
export const EMULATOR_REGION = 'us-east-1';
export const EMULATOR_START_URL = 'https://emulator.local/start';

/** The embedded IAM Identity Center emulator, on the demo's own origin. No AWS account needed. */
export interface EmulatorModeOptions {
  mode: 'emulator';
  /** Emulator options, e.g. a short `deviceCodeTtl` for tests. Defaults to the emulator's defaults. */
  emulator?: EmulatorOptions | undefined;
}

/** Real AWS IAM Identity Center, through `createSsoProxy` mounted on the demo's origin (AWS sends no CORS headers). */
export interface AwsModeOptions {
  mode: 'aws';
  /** The IAM Identity Center region; the only one the proxy forwards to. */
  region: string;
  /** The AWS access portal URL, e.g. `https://d-1234567890.awsapps.com/start`. */
  startUrl: string;
  /** Forward to the FIPS endpoints. Defaults to `false`. */
  fips?: boolean | undefined;
  /** Forward to the dual-stack endpoints (needed for start URLs on `….app.aws`). Defaults to `false`. */
  dualStack?: boolean | undefined;
  /** Forward somewhere other than AWS (tests: a second emulator). The region allow-list still applies. */
  upstream?: SsoUpstream | undefined;
}

/** Any RFC 8628 OpenID provider that allows the demo's origin (CORS), e.g. the one `pnpm start:oidc` runs. */
export interface OidcModeOptions {
  mode: 'oidc';
  issuer: string;
  /** A pre-registered public client with the device_code grant. */
  clientId: string;
}

export type DemoServerOptions = EmulatorModeOptions | AwsModeOptions | OidcModeOptions;

/**
 * The demo's server side, for `vite` (dev) and `vite preview`: serves `/demo-config.json` (which identity provider
 * the page signs in with) and, on the same origin, either the embedded emulator or the AWS proxy. Nothing here
 * holds a secret: tokens live in the browser, and the proxy only relays to allow-listed AWS hosts.
 */
export function demoServer(options: DemoServerOptions): Plugin {
  // Set up on first server start, not at config time: `vite build` needs no emulator.
  let state: ReturnType<typeof setUp> | undefined;
  const serveConfig =
    (config: DemoConfig): Connect.NextHandleFunction =>
    (req, res, next) => {
      if (pathOf(req) !== DEMO_CONFIG_PATH) return next();
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      sendJson(res, config, req.method === 'HEAD');
    };
  const install = (server: {
    middlewares: Connect.Server;
    printUrls(): void;
    config: { logger: { info(message: string): void } };
  }) => {
    state ??= setUp(options);
    const { config, middleware, hint } = state;
    server.middlewares.use(serveConfig(config));
    if (middleware) server.middlewares.use(middleware);
    const printUrls = server.printUrls.bind(server);
    server.printUrls = () => {
      printUrls();
      for (const line of hint) server.config.logger.info(line);
    };
  };
  return {
    name: 'oidc-device-login-demo',
    configureServer: install,
    configurePreviewServer: install,
  };
}

function setUp(options: DemoServerOptions): {
  config: DemoConfig;
  middleware: Connect.NextHandleFunction | undefined;
  hint: string[];
} {
  const mode = options.mode;
  switch (mode) {
    case 'emulator': {
      const emulator = createEmulator(options.emulator);
      return {
        config: {
          mode,
          region: EMULATOR_REGION,
          startUrl: EMULATOR_START_URL,
          oidcEndpoint: EMULATOR_PREFIX,
          portalEndpoint: EMULATOR_PREFIX,
        },
        middleware: createEmulatorMiddleware(emulator, { prefix: EMULATOR_PREFIX }),
        hint: [
          '  ➜  Signs in against the embedded AWS IAM Identity Center emulator (no AWS account needed):',
          `     click "Sign in", open the verification page (${EMULATOR_PREFIX}/device), choose a user, Allow access.`,
        ],
      };
    }
    case 'aws': {
      const { region } = options;
      const proxy = createSsoProxy({
        regions: [region],
        basePath: AWS_PROXY_BASE_PATH,
        fips: options.fips,
        dualStack: options.dualStack,
        upstream: options.upstream,
      });
      return {
        config: {
          mode,
          region,
          startUrl: options.startUrl,
          oidcEndpoint: `${AWS_PROXY_BASE_PATH}/${region}/oidc`,
          portalEndpoint: `${AWS_PROXY_BASE_PATH}/${region}/portal`,
        },
        middleware: toNodeMiddleware(proxy),
        hint: [
          `  ➜  Signs in to AWS IAM Identity Center in ${region} (${options.startUrl})`,
          `     through the same-origin proxy at ${AWS_PROXY_BASE_PATH}/${region}/…` +
            (options.fips ? ' (FIPS endpoints)' : '') +
            (options.dualStack ? ' (dual-stack endpoints)' : ''),
        ],
      };
    }
    case 'oidc':
      return {
        config: { mode, issuer: options.issuer, clientId: options.clientId },
        middleware: undefined,
        hint: [
          `  ➜  Signs in with the OpenID provider ${options.issuer} (device flow, client ${options.clientId})`,
        ],
      };
    default:
      throw new TypeError(`Unknown demo mode ${JSON.stringify(mode satisfies never)}.`);
  }
}

function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  return url.split('?')[0] ?? '/';
}

function sendJson(res: ServerResponse, body: unknown, headOnly: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(headOnly ? undefined : text);
}
