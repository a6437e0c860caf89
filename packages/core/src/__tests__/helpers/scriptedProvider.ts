import { DeviceLoginError, NetworkError, ServiceError, type ServiceErrorCode } from '../../errors.ts';
import type { DeviceFlowProvider, PollPending, TokenSet } from '../../provider.ts';
import type { StoredRegistration, StoredSession } from '../../storage.ts';

/**
 * A provider answering from a script, written against the public DeviceFlowProvider interface (an extension
 * point). Every call is recorded with its time; in-flight calls are counted.
 */
export type Step =
  | 'pending'
  | 'slow_down'
  | 'approve'
  | 'deny'
  | 'expire'
  | 'invalid_client'
  | 'invalid_grant'
  | 'server_error'
  | 'throttled'
  | 'network'
  | 'hang'
  | { error: DeviceLoginError }
  | { tokens: Partial<TokenSet> };

export interface Call {
  op: 'register' | 'start' | 'poll' | 'refresh' | 'logout';
  at: number;
  signal: AbortSignal | undefined;
  clientId?: string | undefined;
  refreshToken?: string | undefined;
}

export interface ScriptedProviderOptions {
  key?: string;
  /** Device code lifetime, s. */
  expiresIn?: number;
  /** Poll interval, s; `null` omits it. */
  interval?: number | null;
  /** Access token lifetime, s. */
  tokenExpiresIn?: number;
  /** Issue refresh tokens. */
  refreshTokens?: boolean;
  /** Refresh responses carry a new refresh token. */
  rotate?: boolean;
  /** Registration lifetime, s. */
  registrationLifetime?: number;
  /**
   * How polls answer "not yet": resolved `{ pending }` (the interface's contract), or rejected with a
   * `ServiceError` (the older contract, which the machine still understands). Defaults to `'result'`.
   */
  pendingAs?: 'result' | 'error';
  now?: () => number;
}

export function scriptedProvider(options: ScriptedProviderOptions = {}) {
  const now = options.now ?? Date.now;
  const calls: Call[] = [];
  const polls: Step[] = [];
  const starts: Step[] = [];
  const registers: Step[] = [];
  const refreshes: Step[] = [];
  const logouts: Step[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let clients = 0;
  let codes = 0;
  let tokens = 0;

  const track = async <T>(call: Call, step: Step | undefined, run: () => T): Promise<T> => {
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await Promise.resolve();
      if (step === 'hang') {
        await new Promise((_, reject) => {
          const abort = () => reject(new DeviceLoginError('aborted', 'aborted'));
          if (call.signal?.aborted) abort();
          call.signal?.addEventListener('abort', abort);
        });
      }
      if (call.signal?.aborted) throw new DeviceLoginError('aborted', 'aborted');
      if (step !== undefined && step !== 'approve' && !(typeof step === 'object' && 'tokens' in step)) {
        throw stepError(step);
      }
      return run();
    } finally {
      inFlight--;
    }
  };

  const issue = (registration: StoredRegistration, extra?: Partial<TokenSet>): TokenSet => {
    tokens++;
    return {
      accessToken: `access-${tokens}-${registration.clientId}`,
      tokenType: 'Bearer',
      expiresIn: options.tokenExpiresIn ?? 3600,
      ...(options.refreshTokens === false ? {} : { refreshToken: `refresh-${tokens}` }),
      ...extra,
    };
  };

  const provider: DeviceFlowProvider = {
    scope: { key: options.key ?? 'test|scope', scopes: ['sso:account:access'] },
    register: ({ signal }) =>
      track({ op: 'register', at: now(), signal }, registers.shift(), () => {
        clients++;
        return {
          clientId: `client-${clients}`,
          clientSecret: `client-secret-${clients}`,
          issuedAt: now(),
          expiresAt: now() + (options.registrationLifetime ?? 90 * 86_400) * 1000,
          scopes: ['sso:account:access'],
        };
      }),
    startDeviceAuthorization: (registration, { signal }) =>
      track({ op: 'start', at: now(), signal, clientId: registration.clientId }, starts.shift(), () => {
        codes++;
        return {
          deviceCode: `device-code-${codes}`,
          userCode: `USER-${codes}`,
          verificationUri: 'https://device.example/verify',
          verificationUriComplete: `https://device.example/verify?user_code=USER-${codes}`,
          expiresIn: options.expiresIn ?? 600,
          ...(options.interval === null ? {} : { interval: options.interval ?? 5 }),
        };
      }),
    pollToken: (registration, _deviceCode, { signal }) => {
      const step = polls.shift() ?? 'pending';
      const call: Call = { op: 'poll', at: now(), signal, clientId: registration.clientId };
      if ((step === 'pending' || step === 'slow_down') && options.pendingAs !== 'error') {
        const pending: PollPending = { pending: step === 'pending' ? 'authorization_pending' : 'slow_down' };
        return track<TokenSet | PollPending>(call, undefined, () => pending);
      }
      return track<TokenSet | PollPending>(call, step, () =>
        issue(registration, typeof step === 'object' && 'tokens' in step ? step.tokens : undefined),
      );
    },
    refresh: (registration, session: StoredSession, { signal }) => {
      const step = refreshes.shift() ?? 'approve';
      return track(
        {
          op: 'refresh',
          at: now(),
          signal,
          clientId: registration.clientId,
          refreshToken: session.refreshToken,
        },
        step,
        () => {
          const next = issue(
            registration,
            typeof step === 'object' && 'tokens' in step ? step.tokens : undefined,
          );
          if (!options.rotate) delete next.refreshToken;
          return next;
        },
      );
    },
    logout: (_session, { signal }) =>
      track({ op: 'logout', at: now(), signal }, logouts.shift(), () => undefined),
  };

  return {
    provider,
    calls,
    polls,
    starts,
    registers,
    refreshes,
    logouts,
    count: (op: Call['op']) => calls.filter((call) => call.op === op).length,
    times: (op: Call['op']) => calls.filter((call) => call.op === op).map((call) => call.at),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

export function serviceError(code: ServiceErrorCode, status = 400, retryAfter?: number): ServiceError {
  return new ServiceError({ code, status, retryAfter, operation: 'CreateToken' });
}

function stepError(step: Step): DeviceLoginError {
  if (typeof step === 'object') {
    if ('error' in step) return step.error;
    throw new Error('tokens step is not an error');
  }
  switch (step) {
    case 'pending':
      return serviceError('authorization_pending');
    case 'slow_down':
      return serviceError('slow_down');
    case 'deny':
      return serviceError('access_denied');
    case 'expire':
      return serviceError('expired_token');
    case 'invalid_client':
      return serviceError('invalid_client', 401);
    case 'invalid_grant':
      return serviceError('invalid_grant');
    case 'server_error':
      return serviceError('server_error', 500);
    case 'throttled':
      return serviceError('throttled', 429);
    case 'network':
      return new NetworkError('https://oidc.example/token', new TypeError('fetch failed'));
    case 'approve':
    case 'hang':
      throw new Error(`${step} is not an error step`);
    default:
      return step satisfies never;
  }
}
