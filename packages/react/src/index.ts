export type { DeviceCodePromptProps, HeadingLevel } from './DeviceCodePrompt.tsx';
export { DeviceCodePrompt } from './DeviceCodePrompt.tsx';
export type {
  CopyState,
  DeviceCodePromptActionProps,
  DeviceCodePromptActionsProps,
  DeviceCodePromptContextValue,
  DeviceCodePromptCopyButtonProps,
  DeviceCodePromptCountdownProps,
  DeviceCodePromptQrCodeProps,
  DeviceCodePromptRootProps,
  DeviceCodePromptStatusProps,
  DeviceCodePromptUserCodeProps,
  DeviceCodePromptVerificationLinkProps,
  DeviceCodePromptVerificationUriProps,
} from './DeviceCodePromptParts.tsx';
export {
  DeviceCodePromptActions,
  DeviceCodePromptCancelButton,
  DeviceCodePromptCopyButton,
  DeviceCodePromptCountdown,
  DeviceCodePromptQrCode,
  DeviceCodePromptRetryButton,
  DeviceCodePromptRoot,
  DeviceCodePromptStartButton,
  DeviceCodePromptStatus,
  DeviceCodePromptUserCode,
  DeviceCodePromptVerificationLink,
  DeviceCodePromptVerificationUri,
  useDeviceCodePrompt,
} from './DeviceCodePromptParts.tsx';
export type { DeviceLoginProviderProps } from './DeviceLoginProvider.tsx';
export { DeviceLoginProvider } from './DeviceLoginProvider.tsx';
export type { DeviceCodePromptMessages } from './deviceCodePromptMessages.ts';
export { defaultDeviceCodePromptMessages } from './deviceCodePromptMessages.ts';
export { groupUserCode } from './groupUserCode.ts';
export type { SsoPortalOptions } from './SsoPortalContext.ts';
export type { SsoQueryKeyBase } from './ssoQueryKeys.ts';
export { ssoQueryKeys } from './ssoQueryKeys.ts';
export { ssoQueryScope } from './ssoSession.ts';
export type { AccessTokenState, AccessTokenStatus, UseAccessTokenOptions } from './useAccessToken.ts';
export { useAccessToken } from './useAccessToken.ts';
export type { UseAuthenticatedFetchOptions } from './useAuthenticatedFetch.ts';
export { useAuthenticatedFetch } from './useAuthenticatedFetch.ts';
export { useDeviceLogin } from './useDeviceLogin.ts';
export type {
  DeviceLoginActions,
  UseOidcDeviceLoginOptions,
  UseOidcDeviceLoginResult,
} from './useOidcDeviceLogin.ts';
export { useOidcDeviceLogin } from './useOidcDeviceLogin.ts';
export { useSsoAccountRoles } from './useSsoAccountRoles.ts';
export { useSsoAccounts } from './useSsoAccounts.ts';
export type { SsoQueryOptions } from './useSsoQueryBase.ts';
export type { SsoRoleTarget, UseSsoRoleCredentialsOptions } from './useSsoRoleCredentials.ts';
export { useSsoRoleCredentials } from './useSsoRoleCredentials.ts';
