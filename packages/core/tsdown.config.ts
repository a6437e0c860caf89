import { defineConfig } from 'tsdown';

export default defineConfig({
  // One build for all entries, so code they share (errors.ts) lands in one shared chunk: a DeviceLoginError
  // thrown by the node entry is `instanceof` the class the main entry exports.
  entry: { index: 'src/index.ts', testing: 'src/testing.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // The main entry stays platform-neutral; only the node entry imports `node:*` built-ins (never bundled).
  platform: 'neutral',
  deps: { neverBundle: [/^node:/] },
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
