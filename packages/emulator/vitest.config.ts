import { defineProject, mergeConfig } from 'vitest/config';
import { nodeSourceConditions } from '../../vitest.shared.ts';

export default mergeConfig(
  nodeSourceConditions,
  defineProject({
    test: {
      name: 'emulator',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
    },
  }),
);
