// bench-only anchor (not in PEERS.md): AWS SDK v3 SSO portal client, the three calls the portal hooks replace
export {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  SSOClient,
} from '@aws-sdk/client-sso';
