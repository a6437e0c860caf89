import { defineConfig } from 'tsdown';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/inProcess.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    sourcemap: true,
    clean: true,
    fixedExtension: false,
  },
  {
    // The bin: ESM only (the package is "type": "module"); the source's shebang is kept.
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    platform: 'node',
    sourcemap: true,
    clean: false,
    fixedExtension: false,
  },
]);
