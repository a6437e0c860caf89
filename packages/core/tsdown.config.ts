import { defineConfig } from 'tsdown';

export default defineConfig({
  // One build for all entries, so code they share (errors.ts) lands in one shared chunk: a DeviceLoginError
  // thrown by the node entry is `instanceof` the class the main entry exports.
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    'node/index': 'src/node/index.ts',
    'proxy/index': 'src/proxy/index.ts',
    'proxy/node': 'src/proxy/node.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // The main and proxy entries stay platform-neutral; only the node entries (node/index, proxy/node) import
  // `node:*` built-ins (never bundled).
  platform: 'neutral',
  deps: { neverBundle: [/^node:/] },
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
