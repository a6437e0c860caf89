import type { StorybookConfig } from '@storybook/react-vite';
import { mergeConfig } from 'vite';
import { sourceConditions } from '../vitest.shared.ts';

/**
 * Storybook for `@oidc-device-login/react`: stories live next to the components. Workspace packages resolve to
 * their sources (the `@oidc-device-login/source` condition), so nothing has to be built first.
 */
const config: StorybookConfig = {
  stories: ['../packages/react/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: { strictMode: true } },
  core: { disableTelemetry: true },
  viteFinal: (viteConfig) => mergeConfig(viteConfig, sourceConditions),
};

export default config;
