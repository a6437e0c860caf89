import { resolve } from 'node:path';
import { defineProject, mergeConfig } from 'vitest/config';
import { nodeSourceConditions } from '../vitest.shared.ts';
import { exampleModules } from './src/exampleModules.ts';

export default mergeConfig(
  nodeSourceConditions,
  defineProject({
    plugins: [exampleModules(resolve(import.meta.dirname, '..'), import.meta.dirname)],
    test: {
      name: 'docs',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
    },
  }),
);
