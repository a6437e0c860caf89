export type { AuthorizationServerMetadata, DiscoveryOptions, OAuthEndpoints } from './authorizationServer.ts';
export { discoverAuthorizationServer } from './authorizationServer.ts';
export type { AwsSsoOidcClients, AwsSsoOidcOptions } from './awsSsoOidc.ts';
export { awsScopeKey, awsSsoOidc, createAwsSsoOidcProvider } from './awsSsoOidc.ts';
export type { RetryOptions } from './backoff.ts';
export type { ClassifyErrorOptions, HeadersLike } from './classifyError.ts';
export { classifyError } from './classifyError.ts';
export type { CreateDeviceLoginOptions, DeviceLoginClient } from './createDeviceLogin.ts';
export { createDeviceLogin } from './createDeviceLogin.ts';
export type {
  BroadcastChannelLike,
  CrossTabCoordinator,
  CrossTabMessage,
  CrossTabOptions,
  DevicePrompt,
  LockManagerLike,
} from './crossTab.ts';
export { crossTab, localCoordinator } from './crossTab.ts';
export type {
  DeviceCodeState,
  DeviceLoginActor,
  DeviceLoginContext,
  DeviceLoginDeps,
  DeviceLoginEvent,
  DeviceLoginMachineInput,
  PollEvent,
} from './deviceLoginMachine.ts';
export { deviceLoginMachine } from './deviceLoginMachine.ts';
export type { EndpointOptions } from './endpoints.ts';
export {
  prefersDualStack,
  regionFromStartUrl,
  resolveSsoOidcEndpoint,
  resolveSsoPortalEndpoint,
} from './endpoints.ts';
export type { DeviceLoginErrorCode, ResponseInfo, ServiceErrorCode } from './errors.ts';
export {
  DeviceLoginError,
  InvalidArgumentError,
  isTransientError,
  NetworkError,
  ProtocolError,
  ServiceError,
} from './errors.ts';
export type {
  OidcClientAuthMethod,
  OidcDeviceProvider,
  OidcDeviceProviderOptions,
} from './oidcDeviceProvider.ts';
export { oidcDeviceProvider } from './oidcDeviceProvider.ts';
export type {
  DeviceAuthorization,
  DeviceFlowProvider,
  PollPending,
  ProviderRequestOptions,
  TokenSet,
} from './provider.ts';
export type { Secret } from './secret.ts';
export type { DeviceLoginSnapshot, SelectViewOptions } from './selectView.ts';
export { selectView, statusOf } from './selectView.ts';
export { createSsoOidcClient } from './ssoOidc.ts';
export { createSsoPortalClient } from './ssoPortal.ts';
export type {
  DeviceLoginStorage,
  MaybePromise,
  StorageScope,
  StoredRegistration,
  StoredSession,
  WebStorageLike,
  WebStorageOptions,
} from './storage.ts';
export { isStoredRegistration, isStoredSession, memoryStorage, webStorage } from './storage.ts';
export type * from './types.ts';
export { DEVICE_CODE_GRANT } from './types.ts';
export type {
  DeviceCodeSource,
  DeviceLogin,
  DeviceLoginStatus,
  DeviceLoginView,
  GetAccessTokenOptions,
  SessionView,
  StartOptions,
} from './view.ts';
export { webPageUrlProblem } from './webPageUrlProblem.ts';
