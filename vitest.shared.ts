import { defaultClientConditions, defaultServerConditions } from 'vite';

/** Resolve workspace packages to their TypeScript sources, so nothing has to be built before tests. */
export const sourceCondition = '@oidc-device-login/source';

/** For browser-like projects (jsdom, Storybook, the demo). */
export const sourceConditions = {
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
};

// Node conditions without `module`: with `module` first, the AWS SDK (a devDependency of the tests) resolves to its
// bundler-only `dist-es` build, which Node cannot load ("Cannot find module …/emitWarningIfUnsupportedVersion").
const nodeConditionList = [sourceCondition, 'node', 'development|production'];

/** For projects whose tests run in Node. */
export const nodeSourceConditions = {
  resolve: { conditions: nodeConditionList },
  ssr: { resolve: { conditions: nodeConditionList } },
};
