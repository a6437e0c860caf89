import {
  defaultStatusFor,
  jsonResponse,
  oidcErrorResponse,
  portalErrorResponse,
} from './awsErrorResponse.ts';
import { EmulatorControlError } from './emulatorControlError.ts';
import { DEVICE_CODE_GRANT, type GrantType, isGrantType, REFRESH_TOKEN_GRANT } from './grantType.ts';
import { isOperation, isPortalOperation, type Operation } from './operations.ts';

/**
 * A fault to inject into the next `count` requests for `operation` (and `grantType`, if given). Give one of
 * `error`, `drop` or `malformed`, optionally with `delayMs`; `delayMs` alone delays the request and then handles it
 * normally. A faulted request does not reach the operation, so it changes no state.
 */
export interface FaultSpec {
  operation: Operation;
  /**
   * CreateToken only: the fault matches only requests whose body carries this `grantType`, so a fault meant for a
   * refresh (`'refresh_token'`) lets device code polls (`'urn:ietf:params:oauth:grant-type:device_code'`) through,
   * and the reverse. Defaults to every grant.
   */
  grantType?: GrantType;
  /** How many matching requests the fault applies to. Defaults to `1`. */
  count?: number;
  /**
   * An AWS exception name, rendered AWS-style for the operation's service (`x-amzn-ErrorType` + OAuth body for
   * SSO OIDC, `__type` + `message` for the portal), e.g. `InternalServerException`, `TooManyRequestsException`.
   */
  error?: string;
  /**
   * HTTP status for `error`. Defaults to the exception's modeled status, 500 for `InternalServerException`, or 400
   * for other unmodeled names.
   */
  status?: number;
  /**
   * Drop the connection without a response: over HTTP the socket is destroyed; the in-process `fetch` rejects
   * with a `TypeError`, as a browser's fetch does.
   */
  drop?: boolean;
  /**
   * Answer 200 with a bad body: `true` or `'non-json'` sends an HTML page, `'wrong-shape'` sends JSON whose
   * members have the wrong types.
   */
  malformed?: boolean | 'non-json' | 'wrong-shape';
  /** Wait this long (ms, on real or fake timers) first. Honours the request's `AbortSignal`. */
  delayMs?: number;
}

/** A validated fault with its remaining count. */
export interface ActiveFault {
  operation: Operation;
  grantType?: GrantType;
  remaining: number;
  error?: { name: string; status: number };
  drop: boolean;
  malformed?: 'non-json' | 'wrong-shape';
  delayMs: number;
}

/** The kind recorded on `requests()` entries that a fault answered. */
export type FaultKind = 'error' | 'drop' | 'malformed' | 'delay';

export function faultKind(fault: ActiveFault): FaultKind {
  if (fault.error) return 'error';
  if (fault.drop) return 'drop';
  if (fault.malformed) return 'malformed';
  return 'delay';
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Validates a fault from a method call or the HTTP control API; bad input throws {@link EmulatorControlError}. */
export function parseFaultSpec(spec: unknown): ActiveFault {
  if (typeof spec !== 'object' || spec === null) throw new EmulatorControlError('fault needs a JSON object');
  const { operation, grantType, count, error, status, drop, malformed, delayMs } = spec as Record<
    string,
    unknown
  >;
  if (!isOperation(operation)) {
    throw new EmulatorControlError(
      'fault.operation must be one of RegisterClient, StartDeviceAuthorization, CreateToken, ListAccounts, ' +
        'ListAccountRoles, GetRoleCredentials, Logout',
    );
  }
  if (grantType !== undefined) {
    if (operation !== 'CreateToken') {
      throw new EmulatorControlError(
        'fault.grantType applies to CreateToken only (the one operation with grants)',
      );
    }
    if (!isGrantType(grantType)) {
      throw new EmulatorControlError(
        `fault.grantType must be '${REFRESH_TOKEN_GRANT}' or '${DEVICE_CODE_GRANT}', as CreateToken's grantType ` +
          '(leave it out to match every grant)',
      );
    }
  }
  if (count !== undefined && !isPositiveInteger(count)) {
    throw new EmulatorControlError('fault.count must be a positive integer (defaults to 1)');
  }
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)) {
    throw new EmulatorControlError('fault.delayMs must be a non-negative number of milliseconds');
  }
  if (drop !== undefined && typeof drop !== 'boolean')
    throw new EmulatorControlError('fault.drop must be true');
  if (malformed !== undefined && ![true, false, 'non-json', 'wrong-shape'].includes(malformed as string)) {
    throw new EmulatorControlError("fault.malformed must be true, 'non-json' or 'wrong-shape'");
  }
  if (error !== undefined && (typeof error !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(error))) {
    throw new EmulatorControlError(
      'fault.error must be an AWS exception name such as InternalServerException',
    );
  }
  if (status !== undefined) {
    if (error === undefined)
      throw new EmulatorControlError('fault.status needs fault.error (the exception name)');
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
      throw new EmulatorControlError('fault.status must be an HTTP error status (400–599)');
    }
  }
  const kinds = [error !== undefined, drop === true, malformed !== undefined && malformed !== false];
  const kindCount = kinds.filter(Boolean).length;
  if (kindCount > 1)
    throw new EmulatorControlError('Give only one of fault.error, fault.drop, fault.malformed');
  if (kindCount === 0 && delayMs === undefined) {
    throw new EmulatorControlError('fault needs one of error, drop, malformed or delayMs');
  }
  const family = isPortalOperation(operation) ? 'portal' : 'oidc';
  return {
    operation,
    ...(grantType !== undefined ? { grantType } : {}),
    remaining: (count as number | undefined) ?? 1,
    ...(typeof error === 'string'
      ? { error: { name: error, status: (status as number | undefined) ?? defaultStatusFor(error, family) } }
      : {}),
    drop: drop === true,
    ...(malformed === true || malformed === 'non-json' ? { malformed: 'non-json' as const } : {}),
    ...(malformed === 'wrong-shape' ? { malformed: 'wrong-shape' as const } : {}),
    delayMs: (delayMs as number | undefined) ?? 0,
  };
}

/** Bodies whose members exist but have the wrong types: what a validating client must reject. */
const WRONG_SHAPES: Record<Operation, unknown> = {
  RegisterClient: {
    clientId: 42,
    clientSecret: null,
    clientIdIssuedAt: 'yesterday',
    clientSecretExpiresAt: '90d',
  },
  StartDeviceAuthorization: {
    deviceCode: 7,
    userCode: null,
    verificationUri: {},
    expiresIn: '600',
    interval: '1',
  },
  CreateToken: { accessToken: 1, tokenType: 'Bearer', expiresIn: 'an hour', refreshToken: false },
  ListAccounts: { accountList: 'none', nextToken: 5 },
  ListAccountRoles: { roleList: { roleName: 'ReadOnly' }, nextToken: 5 },
  GetRoleCredentials: { roleCredentials: { accessKeyId: 1, secretAccessKey: null, expiration: 'soon' } },
  Logout: { unexpected: true },
};

/** The response a fault of kind `error` or `malformed` produces. */
export function faultResponse(fault: ActiveFault): Response | undefined {
  if (fault.error) {
    return isPortalOperation(fault.operation)
      ? portalErrorResponse(fault.error.name, 'Injected by the emulator fault API', fault.error.status)
      : oidcErrorResponse(fault.error.name, 'Injected by the emulator fault API', fault.error.status);
  }
  if (fault.malformed === 'non-json') {
    return new Response('<html><body><h1>Service Unavailable</h1></body></html>', {
      status: 200,
      headers: { 'content-type': 'text/html' },
    });
  }
  if (fault.malformed === 'wrong-shape') return jsonResponse(200, WRONG_SHAPES[fault.operation]);
  return undefined;
}
