export type {
  SsoProxyErrorInfo,
  SsoProxyHandler,
  SsoProxyOptions,
  SsoProxyTarget,
  SsoUpstream,
} from './createSsoProxy.ts';
export { createSsoProxy } from './createSsoProxy.ts';
export type { SsoProxyErrorReason } from './ssoProxyErrorResponse.ts';
export type { SsoProxyRoute, SsoProxyService } from './ssoProxyRoutes.ts';
export { ssoProxyRoutes } from './ssoProxyRoutes.ts';
