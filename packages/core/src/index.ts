export type { DeviceLoginErrorCode, ResponseInfo, ServiceErrorCode } from './errors.ts';
export {
  DeviceLoginError,
  InvalidArgumentError,
  isTransientError,
  NetworkError,
  ProtocolError,
  ServiceError,
} from './errors.ts';
export type * from './types.ts';
export { DEVICE_CODE_GRANT } from './types.ts';
