import { defaultClientConditions, defaultServerConditions } from 'vite';

/** Resolve workspace packages to their TypeScript sources, so nothing has to be built before tests. */
export const sourceCondition = '@oidc-device-login/source';

// Vitest hands the server conditions to Node itself (`--conditions`), so Node's own `require`/`import` of
// externalised dependencies uses them too. `module` is a bundler-only condition: with it, Node loads the AWS
// SDK's `dist-es` build, whose extensionless imports it cannot resolve. Keep it out of the server list.
const serverConditions = defaultServerConditions.filter((condition) => condition !== 'module');

export const sourceConditions = {
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...serverConditions] } },
};
