import { defineProject } from 'vitest/config';
import { sourceCondition, sourceConditions } from '../../vitest.shared.ts';

// Node conditions without `module`: vitest passes these to Node as `--conditions`, and with `module` the AWS SDK
// (a devDependency of the proxy tests) resolves to its bundler-only `dist-es` build, which Node cannot load
// ("Cannot find module …/emitWarningIfUnsupportedVersion"). Same fix as packages/emulator. Not merged with
// `sourceConditions.ssr`, because mergeConfig would concatenate the lists and bring `module` back.
const nodeConditions = [sourceCondition, 'node', 'development|production'];

export default defineProject({
  resolve: sourceConditions.resolve,
  ssr: { resolve: { conditions: nodeConditions } },
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
