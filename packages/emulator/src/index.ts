/** The Node entry: everything in the platform-neutral `./in-process` entry, plus the HTTP server and middleware. */

export type { OidcExceptionName, PortalExceptionName } from './awsErrorResponse.ts';
export { OIDC_EXCEPTIONS, PORTAL_EXCEPTIONS } from './awsErrorResponse.ts';
export { DEFAULT_PAGE_SIZE, MAX_RECORDED_REQUESTS } from './emulator.ts';
export * from './inProcess.ts';
export type {
  EmulatorControls,
  EmulatorMiddleware,
  EmulatorMiddlewareOptions,
  RunningEmulator,
  StartEmulatorOptions,
} from './server.ts';
export { createEmulatorMiddleware, startEmulator } from './server.ts';
