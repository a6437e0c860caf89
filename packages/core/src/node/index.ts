/**
 * `@oidc-device-login/core/node`: adapters that need Node.js built-ins. Kept off the main entry so it stays
 * platform-neutral (browsers, workers, React Native).
 */
export type { AwsCliCacheStorage, AwsCliCacheStorageOptions } from './awsCliCacheStorage.ts';
export { awsCliCacheStorage, awsCliRegistrationCacheKey, awsCliTokenCacheKey } from './awsCliCacheStorage.ts';
