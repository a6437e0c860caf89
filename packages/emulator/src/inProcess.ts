/**
 * The platform-neutral entry (`@oidc-device-login/emulator/in-process`): no `node:` imports, for browsers,
 * jsdom and Storybook. Serve it through `emulator.fetch` or your own `handle(request)` wiring.
 */
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
export { createEmulator, isDroppedResponse } from './emulator.ts';
export { EmulatorControlError } from './emulatorControlError.ts';
export type { EmulatorSeed, SeedAccount, SeedUser } from './emulatorSeed.ts';
export { defaultSeed } from './emulatorSeed.ts';
export type { FaultKind, FaultSpec } from './faultSpec.ts';
export type { GrantType } from './grantType.ts';
export type { OidcOperation, Operation, PortalOperation } from './operations.ts';
export type { RandomBytes } from './random.ts';
