/**
 * `pnpm start` (from the repository root) runs `vite` with this file. The mode comes from the environment: the
 * embedded emulator by default, real AWS with DEMO_AWS_REGION + DEMO_AWS_START_URL, an OpenID provider with
 * DEMO_OIDC_ISSUER (see server/demoServerOptionsFromEnv.ts).
 */
import { defineConfig } from 'vite';
import { demoServerOptionsFromEnv } from './server/demoServerOptionsFromEnv.ts';
import { demoViteConfig } from './server/demoViteConfig.ts';

export default defineConfig(demoViteConfig(demoServerOptionsFromEnv(process.env)));
