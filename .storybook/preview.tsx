import '@oidc-device-login/react/styles.css';
import type { Decorator, Preview } from '@storybook/react-vite';

type Theme = 'system' | 'light' | 'dark';

const pageColours: Record<Theme, { background: string; color: string } | undefined> = {
  system: undefined,
  light: { background: '#fcfcfd', color: '#1c2024' },
  dark: { background: '#111113', color: '#edeef0' },
};

/**
 * The toolbar's theme, as `data-theme` on a wrapper: the prompt's stylesheet follows `prefers-color-scheme` unless
 * an ancestor (or the prompt) sets `data-theme="light" | "dark"`.
 */
const withTheme: Decorator = (Story, context) => {
  const theme: Theme =
    context.globals.theme === 'light' || context.globals.theme === 'dark' ? context.globals.theme : 'system';
  return (
    <div
      data-theme={theme === 'system' ? undefined : theme}
      style={{ padding: '1rem', borderRadius: '0.5rem', ...pageColours[theme] }}
    >
      <Story />
    </div>
  );
};

const preview: Preview = {
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'Colour theme of the prompt (data-theme on an ancestor)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'system', title: 'System (prefers-color-scheme)' },
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'padded',
    // Accessibility violations fail the story tests (axe runs after each story in the vitest project).
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
};

export default preview;
