import { defineProject, mergeConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.ts';

export default mergeConfig(
  sourceConditions,
  defineProject({
    test: {
      name: 'bench',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
      // Bundling every peer anchor with brotli at quality 11 takes a few seconds.
      testTimeout: 30_000,
    },
  }),
);
