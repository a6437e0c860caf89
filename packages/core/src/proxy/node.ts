/** Node-only entry of the proxy (`@oidc-device-login/core/proxy/node`): adapts the Web handler to `(req, res, next)`. */
export type { NodeMiddleware, NodeMiddlewareOptions, WebHandler } from './toNodeMiddleware.ts';
export { toNodeMiddleware } from './toNodeMiddleware.ts';
