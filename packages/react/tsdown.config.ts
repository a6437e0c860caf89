import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  // Every export is a hook or a component, so the whole bundle is client code for React Server Components.
  // JavaScript only: a directive in a .d.ts is a statement in an ambient context (TS1036 without skipLibCheck).
  banner: { js: "'use client';" },
});
