export type { OidcExceptionName, PortalExceptionName } from './awsErrorResponse.ts';
export { OIDC_EXCEPTIONS, PORTAL_EXCEPTIONS } from './awsErrorResponse.ts';
export type {
  ApproveInput,
  AuthorizationTarget,
  Emulator,
  EmulatorConfig,
  EmulatorFetch,
  EmulatorOptions,
  HandleOptions,
  PendingAuthorization,
  RecordedOperation,
  RecordedRequest,
} from './emulator.ts';
export { createEmulator, DEFAULT_PAGE_SIZE, isDroppedResponse, MAX_RECORDED_REQUESTS } from './emulator.ts';
export { EmulatorControlError } from './emulatorControlError.ts';
export type { EmulatorSeed, SeedAccount, SeedUser } from './emulatorSeed.ts';
export { defaultSeed } from './emulatorSeed.ts';
export type { FaultKind, FaultSpec } from './faultSpec.ts';
export type { OidcOperation, Operation, PortalOperation } from './operations.ts';
export type { RandomBytes } from './random.ts';
export type {
  EmulatorControls,
  EmulatorMiddleware,
  EmulatorMiddlewareOptions,
  RunningEmulator,
  StartEmulatorOptions,
} from './server.ts';
export { createEmulatorMiddleware, startEmulator } from './server.ts';
