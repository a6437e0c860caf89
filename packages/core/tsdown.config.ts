import { defineConfig } from 'tsdown';

const shared = {
  entry: ['src/index.ts'],
  dts: true,
  platform: 'neutral',
  sourcemap: true,
  fixedExtension: false,
} as const;

export default defineConfig([
  { ...shared, format: 'esm', clean: true },
  // oauth4webapi ships ESM only; `require()` of ESM needs Node 20.19+, so the CommonJS build carries its own copy.
  { ...shared, format: 'cjs', noExternal: ['oauth4webapi'] },
]);
