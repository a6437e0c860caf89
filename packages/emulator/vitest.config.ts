import { defineProject } from 'vitest/config';
import { sourceCondition } from '../../vitest.shared.ts';

// Node conditions without `module`: with `module` first, the AWS SDK (a devDependency of these tests) resolves
// to its bundler-only `dist-es` build, which Node cannot load ("Cannot find module …/emitWarningIfUnsupportedVersion").
const nodeConditions = [sourceCondition, 'node', 'development|production'];

export default defineProject({
  resolve: { conditions: nodeConditions },
  ssr: { resolve: { conditions: nodeConditions } },
  test: {
    name: 'emulator',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
