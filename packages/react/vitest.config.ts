import { defineProject, mergeConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default mergeConfig(
  sourceConditions,
  defineProject({
    test: {
      name: 'react',
      include: ['src/**/*.test.{ts,tsx}'],
      environment: 'jsdom',
      setupFiles: ['./vitest.setup.ts'],
      restoreMocks: true,
      typecheck: {
        enabled: true,
        include: ['src/**/*.test-d.{ts,tsx}'],
        tsconfig: './tsconfig.json',
      },
    },
  }),
);
