import { defineConfig, type UserConfig } from 'tsdown';

const shared: UserConfig = {
  entry: ['src/index.ts'],
  dts: true,
  platform: 'neutral',
  sourcemap: true,
  fixedExtension: false,
};

export default defineConfig([
  { ...shared, format: 'esm', clean: true },
  // oauth4webapi ships ESM only; `require()` of ESM needs Node 20.19+, so the CommonJS build carries its own copy.
  { ...shared, format: 'cjs', noExternal: ['oauth4webapi'] },
]);
