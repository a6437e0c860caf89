import { defineProject, mergeConfig } from 'vitest/config';
import { nodeSourceConditions } from '../../vitest.shared.ts';

/**
 * The demo's end-to-end tests: the built app served by `vite preview` (one server per file, on a free port), driven
 * in Debian's Chromium through playwright-core. `globalSetup` builds the app once.
 */
export default mergeConfig(
  nodeSourceConditions,
  defineProject({
    test: {
      name: 'e2e',
      include: ['e2e/**/*.test.ts'],
      environment: 'node',
      // The files share one worker's module cache (Vite, playwright-core): each file starts its own servers and
      // browser, so nothing else is shared, and the heavy imports are paid once.
      isolate: false,
      globalSetup: ['./e2e/support/globalSetup.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  }),
);
