export type {
  SsoProxyErrorInfo,
  SsoProxyHandler,
  SsoProxyOptions,
  SsoProxyTarget,
} from './createSsoProxy.ts';
export { createSsoProxy } from './createSsoProxy.ts';
export type { SsoProxyErrorReason } from './ssoProxyErrorResponse.ts';
export type { SsoProxyRoute, SsoProxyService } from './ssoProxyRoutes.ts';
export { ssoProxyRoutes } from './ssoProxyRoutes.ts';
export type { SsoUpstream } from './ssoUpstreamOrigins.ts';
