export type { AuthorizationServerMetadata, DiscoveryOptions, OAuthEndpoints } from './authorizationServer.ts';
export { discoverAuthorizationServer } from './authorizationServer.ts';
export type { ClassifyErrorOptions, HeadersLike } from './classifyError.ts';
export { classifyError } from './classifyError.ts';
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
  DeviceLogin,
  DeviceLoginStatus,
  DeviceLoginView,
  GetAccessTokenOptions,
  SessionView,
  StartOptions,
} from './view.ts';
