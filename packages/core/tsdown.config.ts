import { defineConfig, type UserConfig } from 'tsdown';

const shared: UserConfig = {
  // One build per format for all entries, so code they share (errors.ts) lands in one shared chunk: a
  // DeviceLoginError thrown by the node entry is `instanceof` the class the main entry exports.
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    'node/index': 'src/node/index.ts',
    'proxy/index': 'src/proxy/index.ts',
    'proxy/node': 'src/proxy/node.ts',
  },
  dts: true,
  // The main and proxy entries stay platform-neutral; only the node entries (node/index, proxy/node) import
  // `node:*` built-ins (never bundled).
  platform: 'neutral',
  sourcemap: true,
  fixedExtension: false,
};

export default defineConfig([
  { ...shared, format: 'esm', clean: true, deps: { neverBundle: [/^node:/] } },
  // oauth4webapi ships ESM only and `require()` of ESM needs Node 20.19+, so the CommonJS build carries its own
  // copy (used only by oidcDeviceProvider).
  {
    ...shared,
    format: 'cjs',
    deps: { neverBundle: [/^node:/], alwaysBundle: ['oauth4webapi'], onlyBundle: ['oauth4webapi'] },
  },
]);
