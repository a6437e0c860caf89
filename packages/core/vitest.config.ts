import { defineProject, mergeConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default mergeConfig(
  sourceConditions,
  defineProject({
    test: {
      name: 'core',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
    },
  }),
);
