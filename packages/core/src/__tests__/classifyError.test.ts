import { describe, expect, it } from 'vitest';
import { classifyError } from '../classifyError.ts';
import { ServiceError, type ServiceErrorCode } from '../errors.ts';

const json = { 'content-type': 'application/json' };

describe('classifyError: PROTOCOL §3.3 cases', () => {
  it('A: typed header with a coral suffix, OAuth body', () => {
    const error = classifyError(
      400,
      {
        ...json,
        'x-amzn-RequestId': 'afbd1371-c55e-474d-9cb8-0c912c83f086',
        'x-amzn-ErrorType':
          'AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/',
      },
      { error: 'authorization_pending', error_description: 'Authorization is still pending' },
      { operation: 'CreateToken' },
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'authorization_pending',
      exception: 'AuthorizationPendingException',
      error: 'authorization_pending',
      errorDescription: 'Authorization is still pending',
      status: 400,
      requestId: 'afbd1371-c55e-474d-9cb8-0c912c83f086',
      operation: 'CreateToken',
      retryAfter: undefined,
      reason: undefined,
    });
    expect(error.message).toBe(
      'CreateToken failed with AuthorizationPendingException (HTTP 400): Authorization is still pending',
    );
  });

  it('B: SlowDownException header', () => {
    const error = classifyError(
      400,
      { 'x-amzn-ErrorType': 'SlowDownException' },
      { error: 'slow_down', error_description: 'x' },
    );
    expect(error).toMatchObject({ code: 'slow_down', exception: 'SlowDownException', error: 'slow_down' });
  });

  it('C: no header, OAuth body only — typed from `error` (the SDK gives up with "Unknown")', () => {
    const error = classifyError(400, json, {
      error: 'authorization_pending',
      error_description: 'Authorization is still pending',
    });
    expect(error).toMatchObject({
      code: 'authorization_pending',
      exception: undefined,
      error: 'authorization_pending',
    });
  });

  it('D: no header, body `__type` with a namespace', () => {
    const error = classifyError(400, json, { __type: 'com.amazonaws.ssooidc#ExpiredTokenException' });
    expect(error).toMatchObject({ code: 'expired_token', exception: 'ExpiredTokenException' });
  });

  it('E: no header, body `code` and `reason`', () => {
    const error = classifyError(400, json, {
      code: 'AccessDeniedException',
      reason: 'KMS_AccessDeniedException',
    });
    expect(error).toMatchObject({
      code: 'access_denied',
      exception: 'AccessDeniedException',
      reason: 'KMS_AccessDeniedException',
    });
  });

  it('E′: the body `code` key is matched case-insensitively', () => {
    expect(classifyError(400, json, { Code: 'AccessDeniedException' }).code).toBe('access_denied');
    expect(classifyError(400, json, { CODE: 'InvalidGrantException' }).code).toBe('invalid_grant');
  });

  it('F: the header wins over body `__type`', () => {
    const error = classifyError(
      400,
      { 'x-amzn-ErrorType': 'InvalidGrantException' },
      { __type: 'SlowDownException', error: 'slow_down' },
    );
    expect(error).toMatchObject({ code: 'invalid_grant', exception: 'InvalidGrantException' });
  });

  it('F′: body `code` wins over body `__type`', () => {
    const error = classifyError(400, json, { __type: 'SlowDownException', code: 'InvalidGrantException' });
    expect(error.exception).toBe('InvalidGrantException');
  });

  it('G: 401 InvalidClientException', () => {
    const error = classifyError(
      401,
      { 'x-amzn-ErrorType': 'InvalidClientException' },
      { error: 'invalid_client' },
    );
    expect(error).toMatchObject({ code: 'invalid_client', status: 401, exception: 'InvalidClientException' });
  });

  it('H: InvalidRequestException with a KMS reason', () => {
    const error = classifyError(
      400,
      { 'x-amzn-ErrorType': 'InvalidRequestException' },
      { error: 'invalid_request', reason: 'KMS_DisabledException' },
    );
    expect(error).toMatchObject({ code: 'invalid_request', reason: 'KMS_DisabledException' });
  });

  it('I: InvalidRequestRegionException', () => {
    const error = classifyError(
      400,
      { 'x-amzn-ErrorType': 'InvalidRequestRegionException' },
      { error: 'invalid_request', endpoint: 'https://oidc.eu-west-1.amazonaws.com', region: 'eu-west-1' },
    );
    expect(error).toMatchObject({ code: 'invalid_request', exception: 'InvalidRequestRegionException' });
  });

  it('J: 500 InternalServerException is a transient server_error', () => {
    const error = classifyError(
      500,
      { 'x-amzn-ErrorType': 'InternalServerException' },
      { error: 'server_error' },
    );
    expect(error).toMatchObject({ code: 'server_error', status: 500 });
    expect(error.transient).toBe(true);
  });

  it('K: an unknown exception keeps its name, `message` becomes the description', () => {
    const error = classifyError(400, { 'x-amzn-ErrorType': 'SomethingElseException' }, { message: 'msg' });
    expect(error).toMatchObject({
      code: 'unknown_error',
      exception: 'SomethingElseException',
      errorDescription: 'msg',
    });
    expect(error.message).toBe('Request failed with SomethingElseException (HTTP 400): msg');
  });

  it('L: a body that was not JSON (undefined) is classified by status', () => {
    expect(classifyError(400, { 'content-type': 'text/html' }, undefined)).toMatchObject({
      code: 'unknown_error',
      status: 400,
      exception: undefined,
      error: undefined,
      errorDescription: undefined,
    });
  });

  it('M: 200 with an OAuth error body is that error (the SDK returns `{}`)', () => {
    const error = classifyError(200, json, { error: 'authorization_pending' });
    expect(error).toMatchObject({ code: 'authorization_pending', status: 200 });
  });

  it('P: 403 {"message":"Forbidden"} without a type is unknown_error, not access_denied', () => {
    const error = classifyError(403, json, { message: 'Forbidden' });
    expect(error).toMatchObject({ code: 'unknown_error', status: 403, errorDescription: 'Forbidden' });
  });

  it('Portal: 401, `__type` with the switchboard namespace, `message`', () => {
    const error = classifyError(
      401,
      json,
      {
        message: 'Session token not found or invalid',
        __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
      },
      { service: 'portal', operation: 'ListAccounts' },
    );
    expect(error).toMatchObject({
      code: 'unauthorized',
      exception: 'UnauthorizedException',
      errorDescription: 'Session token not found or invalid',
      operation: 'ListAccounts',
    });
  });

  it('Portal: 429 TooManyRequestsException', () => {
    const error = classifyError(
      429,
      { 'x-amzn-ErrorType': 'TooManyRequestsException' },
      {},
      { service: 'portal' },
    );
    expect(error).toMatchObject({ code: 'throttled', exception: 'TooManyRequestsException' });
    expect(error.transient).toBe(true);
  });
});

describe('classifyError: exception names', () => {
  const table: [string, ServiceErrorCode][] = [
    ['AuthorizationPendingException', 'authorization_pending'],
    ['SlowDownException', 'slow_down'],
    ['ExpiredTokenException', 'expired_token'],
    ['AccessDeniedException', 'access_denied'],
    ['InvalidGrantException', 'invalid_grant'],
    ['InvalidClientException', 'invalid_client'],
    ['UnauthorizedClientException', 'unauthorized_client'],
    ['InvalidRequestException', 'invalid_request'],
    ['InvalidScopeException', 'invalid_scope'],
    ['UnsupportedGrantTypeException', 'unsupported_grant_type'],
    ['InvalidClientMetadataException', 'invalid_client_metadata'],
    ['InvalidRedirectUriException', 'invalid_redirect_uri'],
    ['InternalServerException', 'server_error'],
    ['UnauthorizedException', 'unauthorized'],
    ['ResourceNotFoundException', 'not_found'],
    ['TooManyRequestsException', 'throttled'],
    ['ThrottlingException', 'throttled'],
    ['InvalidRequestRegionException', 'invalid_request'],
  ];
  it.each(table)('%s → %s (on a 400, so the status cannot be what decided)', (exception, code) => {
    expect(classifyError(400, { 'x-amzn-errortype': exception }, {}).code).toBe(code);
  });

  it.each([
    'ServerErrorException',
    'TemporarilyUnavailableException',
    'authorizationPendingException',
    'AuthorizationPENDINGException',
    'Authorization_PendingException',
    'AuthorizationPending',
    'SlowDownExceptionException',
  ])('%s is not an exception of the models → unknown_error on a 400', (exception) => {
    expect(classifyError(400, { 'x-amzn-errortype': exception }, {}).code).toBe('unknown_error');
  });

  it('matches the header name case-insensitively, in records and in Headers', () => {
    expect(classifyError(400, { 'X-AMZN-ERRORTYPE': 'SlowDownException' }, {}).code).toBe('slow_down');
    expect(classifyError(400, new Headers({ 'X-Amzn-ErrorType': 'SlowDownException' }), {}).code).toBe(
      'slow_down',
    );
  });

  it('sanitises like the SDK: first `,`, then first `:`, then after `#`', () => {
    expect(classifyError(400, { 'x-amzn-errortype': 'SlowDownException,Other:x' }, {}).exception).toBe(
      'SlowDownException',
    );
    expect(
      classifyError(400, json, { __type: 'aws.protocoltests#InvalidGrantException:http://x' }).exception,
    ).toBe('InvalidGrantException');
  });

  it('ignores a value that is not an exception name and falls through to the next place', () => {
    const error = classifyError(
      400,
      { 'x-amzn-errortype': '<html>Bad Gateway</html>' },
      {
        __type: 'SlowDownException',
      },
    );
    expect(error.exception).toBe('SlowDownException');
    expect(classifyError(400, { 'x-amzn-errortype': '' }, { code: 'InvalidGrantException' }).code).toBe(
      'invalid_grant',
    );
  });

  it('accepts a numeric code as the SDK does (and then falls back)', () => {
    expect(classifyError(400, json, { code: 42 })).toMatchObject({ exception: '42', code: 'unknown_error' });
  });

  it('an exception name wins over the OAuth `error` member', () => {
    const error = classifyError(400, { 'x-amzn-errortype': 'ExpiredTokenException' }, { error: 'slow_down' });
    expect(error.code).toBe('expired_token');
    expect(error.error).toBe('slow_down');
  });

  it('an unknown exception falls back to the OAuth `error` member', () => {
    const error = classifyError(400, { 'x-amzn-errortype': 'NewException' }, { error: 'slow_down' });
    expect(error).toMatchObject({ code: 'slow_down', exception: 'NewException' });
  });
});

describe('classifyError: OAuth `error` values', () => {
  it.each([
    ['authorization_pending', 'authorization_pending'],
    ['slow_down', 'slow_down'],
    ['expired_token', 'expired_token'],
    ['access_denied', 'access_denied'],
    ['invalid_grant', 'invalid_grant'],
    ['invalid_client', 'invalid_client'],
    ['unauthorized_client', 'unauthorized_client'],
    ['invalid_request', 'invalid_request'],
    ['invalid_scope', 'invalid_scope'],
    ['unsupported_grant_type', 'unsupported_grant_type'],
    ['invalid_client_metadata', 'invalid_client_metadata'],
    ['invalid_redirect_uri', 'invalid_redirect_uri'],
    ['server_error', 'server_error'],
    ['temporarily_unavailable', 'server_error'],
  ])('%s → %s', (error, code) => {
    expect(classifyError(400, json, { error }).code).toBe(code);
  });

  it('an unknown `error` falls back to the status and is kept as sent', () => {
    expect(classifyError(400, json, { error: 'mystery' })).toMatchObject({
      code: 'unknown_error',
      error: 'mystery',
    });
    expect(classifyError(503, json, { error: 'mystery' }).code).toBe('server_error');
  });

  it('`error` does not inherit from Object.prototype', () => {
    expect(classifyError(400, json, { error: 'constructor' }).code).toBe('unknown_error');
    expect(classifyError(400, { 'x-amzn-errortype': 'toString' }, {}).code).toBe('unknown_error');
  });
});

describe('classifyError: status fallbacks (no type, no OAuth error)', () => {
  it.each([
    [401, 'oidc', 'invalid_client'],
    [401, 'portal', 'unauthorized'],
    [403, 'oidc', 'unknown_error'],
    [403, 'portal', 'unknown_error'],
    [404, 'oidc', 'not_found'],
    [404, 'portal', 'not_found'],
    [429, 'oidc', 'throttled'],
    [500, 'oidc', 'server_error'],
    [502, 'portal', 'server_error'],
    [503, 'oidc', 'server_error'],
    [599, 'oidc', 'server_error'],
    [400, 'oidc', 'unknown_error'],
    [418, 'oidc', 'unknown_error'],
    [600, 'oidc', 'unknown_error'],
  ] as const)('%i (%s) → %s', (status, service, code) => {
    expect(classifyError(status, {}, undefined, { service }).code).toBe(code);
    expect(classifyError(status, {}, { unrelated: true }, { service }).code).toBe(code);
  });

  it('defaults to the OIDC service', () => {
    expect(classifyError(401, {}, undefined).code).toBe('invalid_client');
  });

  it('treats a non-object body as no body', () => {
    expect(classifyError(404, json, ['SlowDownException']).code).toBe('not_found');
    expect(classifyError(404, json, 'SlowDownException').code).toBe('not_found');
    expect(classifyError(404, json, null).code).toBe('not_found');
  });
});

describe('classifyError: fields', () => {
  it('reads Retry-After in seconds', () => {
    expect(classifyError(429, { 'Retry-After': '7' }, undefined).retryAfter).toBe(7);
    expect(classifyError(503, new Headers({ 'retry-after': '0' }), undefined).retryAfter).toBe(0);
  });

  it('reads Retry-After as an HTTP-date, relative to `now`', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    const later = { 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' };
    expect(classifyError(503, later, undefined, { now }).retryAfter).toBe(30);
    const past = { 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' };
    expect(classifyError(503, past, undefined, { now }).retryAfter).toBe(0);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(classifyError(503, { 'retry-after': 'soon' }, undefined).retryAfter).toBeUndefined();
    expect(classifyError(503, { 'retry-after': '-5' }, undefined).retryAfter).toBeUndefined();
  });

  it('prefers error_description over message', () => {
    const error = classifyError(400, json, { error_description: 'from OAuth', message: 'from AWS' });
    expect(error.errorDescription).toBe('from OAuth');
    expect(classifyError(400, json, { Message: 'capital' }).errorDescription).toBe('capital');
    expect(classifyError(400, json, { error_description: 5, message: 'fallback' }).errorDescription).toBe(
      'fallback',
    );
  });

  it('strips control characters and caps long server text', () => {
    const error = classifyError(400, json, {
      error: 'invalid_grant',
      error_description: `line one\r\nFAKE LOG LINE${'x'.repeat(2000)}`,
    });
    expect(error.errorDescription).not.toMatch(/[\r\n]/);
    expect(error.errorDescription?.length).toBeLessThanOrEqual(501);
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it('blanks out the values it is told to redact, should the server echo them', () => {
    const error = classifyError(
      400,
      json,
      {
        error: 'invalid_grant',
        error_description: 'device code DEV-SECRET-1 is not valid',
        reason: 'DEV-SECRET-1',
      },
      { redact: ['DEV-SECRET-1', ''] },
    );
    expect(error.errorDescription).toBe('device code [redacted] is not valid');
    expect(error.reason).toBe('[redacted]');
    expect(error.message).not.toContain('DEV-SECRET-1');
  });

  it('reads x-request-id when there is no x-amzn-RequestId', () => {
    expect(classifyError(500, { 'x-request-id': 'gw-1' }, undefined).requestId).toBe('gw-1');
  });

  it('keeps only the error members, never the rest of the body', () => {
    const error = classifyError(400, json, {
      error: 'invalid_grant',
      refreshToken: 'ECHOED-REFRESH-TOKEN',
      clientSecret: 'ECHOED-SECRET',
    });
    const dump = `${JSON.stringify(error)} ${String(error)} ${error.message}`;
    expect(dump).not.toContain('ECHOED');
    expect(error.cause).toBeUndefined();
  });
});
