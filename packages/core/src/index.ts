export type { AuthorizationServerMetadata, DiscoveryOptions, OAuthEndpoints } from './authorizationServer.ts';
export { discoverAuthorizationServer } from './authorizationServer.ts';
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
