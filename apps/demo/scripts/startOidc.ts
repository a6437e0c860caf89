/**
 * `pnpm start:oidc`: the demo against a standard OpenID provider instead of AWS. Starts node-oidc-provider 8.8.1
 * on 127.0.0.1 with the device flow (the same set-up core's tests use), then the demo's dev server in OpenID mode.
 * Stop both with Ctrl+C.
 */
import { createServer } from 'vite';
import {
  startOidcProvider,
  TEST_CLIENTS,
  TEST_USER,
} from '../../../packages/core/src/__tests__/support/oidcProvider.ts';
import { demoViteConfig } from '../server/demoViteConfig.ts';
import { isLoopbackOrigin } from '../server/isLoopbackOrigin.ts';

const provider = await startOidcProvider({ allowOrigin: isLoopbackOrigin });
const server = await createServer({
  ...demoViteConfig({ mode: 'oidc', issuer: provider.issuer, clientId: TEST_CLIENTS.public.clientId }),
  configFile: false,
});
await server.listen();
server.printUrls();
server.config.logger.info(
  `  ➜  On the provider's pages, sign in as "${TEST_USER.accountId}" with any password, then continue.\n`,
);
server.bindCLIShortcuts({ print: true });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([server.close(), provider.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
