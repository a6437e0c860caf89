import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'bench/vitest.config.ts',
      'docs/vitest.config.ts',
      '.storybook/vitest.config.ts',
    ],
    // node-oidc-provider (the real OpenID provider in core's tests) prints development-mode notices; drop them.
    onConsoleLog: (log) => !log.includes('oidc-provider '),
  },
});
