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
  outputOptions: { banner: "'use client';" },
});
