import path from 'node:path';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineProject, mergeConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.ts';
import storybookConfig from './main.ts';

// Storybook's iframe.html defines FRAMEWORK_OPTIONS (React StrictMode…) before the renderer loads; vitest's tester
// page does not, so without this the story tests would render without StrictMode.
const frameworkOptions =
  typeof storybookConfig.framework === 'object' ? storybookConfig.framework.options : {};

/**
 * The `storybook` vitest project: every story is a test (render, play function, axe), in headless Debian Chromium
 * (`CHROMIUM_PATH`, else `/usr/bin/chromium`; `scripts/ensure-chromium.mjs` installs it). Playwright never
 * downloads a browser here.
 */
export default mergeConfig(
  sourceConditions,
  defineProject({
    // The repository root, not this folder: the stories' globs and the Vite config resolve from there.
    root: path.join(import.meta.dirname, '..'),
    plugins: [
      storybookTest({ configDir: import.meta.dirname }),
      {
        name: 'storybook-framework-options',
        transformIndexHtml: () => [
          {
            tag: 'script',
            children: `window.FRAMEWORK_OPTIONS = ${JSON.stringify(frameworkOptions)};`,
            injectTo: 'head-prepend',
          },
        ],
      },
    ],
    test: {
      name: 'storybook',
      browser: {
        enabled: true,
        headless: true,
        instances: [{ browser: 'chromium' }],
        provider: playwright({
          // What a person's click grants a page: without it, a scripted click may not write to the clipboard.
          contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
          launchOptions: {
            executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
            args: [
              '--no-sandbox',
              '--disable-gpu',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
              '--no-first-run',
            ],
          },
        }),
      },
    },
  }),
);
