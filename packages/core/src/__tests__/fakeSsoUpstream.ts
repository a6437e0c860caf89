import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small real HTTP stand-in for AWS SSO OIDC + portal on 127.0.0.1, for the proxy tests until the emulator
 * package lands on main. It answers the seven operations the AWS way (status, `x-amzn-ErrorType` with the
 * Coral suffix, `x-amzn-RequestId`, OAuth / portal error bodies) and records every request it receives.
 * It also sends headers the proxy must drop (`set-cookie`, `x-amz-cf-id`, `strict-transport-security`).
 *
 * Extra paths: `/hang/...` never answers; `/redirect/...` answers 302 to another host.
 */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeSsoUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Approves the pending device authorization with this user code (what the person does in the browser). */
  approve(userCode: string): void;
  close(): Promise<void>;
}

export const SECRETS = {
  clientSecret: 'secret-client-secret-4242',
  deviceCode: 'secret-device-code-4242',
  accessToken: 'secret-access-token-4242',
  refreshToken: 'secret-refresh-token-4242',
  secretAccessKey: 'secret-role-key-4242',
  sessionToken: 'secret-role-session-4242',
} as const;

const USER_CODE = 'WXYZ-1234';
const CORAL = ':http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';

export async function startFakeSsoUpstream(): Promise<FakeSsoUpstream> {
  const requests: RecordedRequest[] = [];
  const approved = new Set<string>();
  let requestCount = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? '', url, headers: req.headers, body });
      const requestId = `req-${++requestCount}`;
      const send = (status: number, payload: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
          'set-cookie': 'aws-session=should-not-pass; Path=/; HttpOnly',
          'x-amz-cf-id': 'cloudfront-id',
          'strict-transport-security': 'max-age=31536000',
        });
        res.end(JSON.stringify(payload));
      };
      const oidcError = (status: number, exception: string, error: string, description: string) =>
        send(status, { error, error_description: description }, `${exception}${CORAL}`);
      const portalUnauthorized = () =>
        send(
          401,
          {
            message: 'Session token not found or invalid',
            __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
          },
          'UnauthorizedException',
        );

      const { pathname, searchParams } = new URL(url, 'http://upstream');
      if (pathname.startsWith('/hang/')) return; // never answers
      if (pathname.startsWith('/redirect/')) {
        res.writeHead(302, { location: 'https://evil.example/steal' });
        res.end();
        return;
      }
      const json = (): Record<string, unknown> => {
        try {
          return JSON.parse(body) as Record<string, unknown>;
        } catch {
          return {};
        }
      };
      const bearer = req.headers['x-amz-sso_bearer_token'];
      const signedIn = bearer === SECRETS.accessToken;

      switch (`${req.method} ${pathname}`) {
        case 'POST /client/register':
          return send(200, {
            clientId: 'client-id-1',
            clientSecret: SECRETS.clientSecret,
            clientIdIssuedAt: 1_700_000_000,
            clientSecretExpiresAt: 1_707_776_000,
          });
        case 'POST /device_authorization': {
          const input = json();
          if (input.clientSecret !== SECRETS.clientSecret) {
            return oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client');
          }
          return send(200, {
            deviceCode: SECRETS.deviceCode,
            userCode: USER_CODE,
            verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
            verificationUriComplete: `https://device.sso.us-east-1.amazonaws.com/?user_code=${USER_CODE}`,
            expiresIn: 600,
            interval: 1,
          });
        }
        case 'POST /token': {
          const input = json();
          if (input.deviceCode !== SECRETS.deviceCode) {
            return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid grant provided');
          }
          if (!approved.has(USER_CODE)) {
            return oidcError(
              400,
              'AuthorizationPendingException',
              'authorization_pending',
              'Authorization is still pending',
            );
          }
          return send(200, {
            accessToken: SECRETS.accessToken,
            tokenType: 'Bearer',
            expiresIn: 28_800,
            refreshToken: SECRETS.refreshToken,
          });
        }
        case 'GET /assignment/accounts':
          if (!signedIn) return portalUnauthorized();
          return send(200, {
            accountList: [{ accountId: '111122223333', accountName: 'dev', emailAddress: 'dev@example.com' }],
            nextToken: null,
          });
        case 'GET /assignment/roles':
          if (!signedIn) return portalUnauthorized();
          return send(200, {
            roleList: [{ roleName: 'ReadOnly', accountId: searchParams.get('account_id') }],
            nextToken: null,
          });
        case 'GET /federation/credentials':
          if (!signedIn) return portalUnauthorized();
          return send(200, {
            roleCredentials: {
              accessKeyId: 'ASIAFAKE',
              secretAccessKey: SECRETS.secretAccessKey,
              sessionToken: SECRETS.sessionToken,
              expiration: 1_700_003_600_000,
            },
          });
        case 'POST /logout':
          if (!signedIn) return portalUnauthorized();
          res.writeHead(200, { 'x-amzn-requestid': requestId });
          res.end();
          return;
        default:
          return send(404, { message: 'Not found' }, 'UnknownOperationException');
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    approve: (userCode) => approved.add(userCode),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
