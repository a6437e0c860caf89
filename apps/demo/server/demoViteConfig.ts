import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';
import { sourceConditions } from '../../../vitest.shared.ts';
import { type DemoServerOptions, demoServer } from './demoServer.ts';

/** The demo app's folder (where `index.html` is). */
export const demoRoot = path.resolve(import.meta.dirname, '..');

/**
 * The demo's Vite configuration for one server mode. `vite.config.ts` builds it from the environment; the
 * end-to-end tests build it with their own options (a short device-code lifetime, an upstream emulator…) and pass
 * it to Vite's `build()` and `preview()` with `configFile: false`.
 */
export function demoViteConfig(server: DemoServerOptions): UserConfig {
  return {
    root: demoRoot,
    // Workspace packages resolve to their TypeScript sources: the demo needs no library build first.
    ...sourceConditions,
    plugins: [react(), demoServer(server)],
    build: { outDir: path.join(demoRoot, 'dist'), emptyOutDir: true, sourcemap: true },
  };
}
