import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'proxy/index': 'src/proxy/index.ts',
    // Node-only: the only entry allowed to import `node:` modules (they stay external).
    'proxy/node': 'src/proxy/node.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  // `node:` built-ins (used only by proxy/node) are never bundled.
  deps: { neverBundle: [/^node:/] },
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
