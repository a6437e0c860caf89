import { describe, expect, it } from 'vitest';
import { DeviceLoginError, isTransientError, NetworkError, ProtocolError, ServiceError } from '../errors.ts';

describe('errors', () => {
  it('ServiceError names the exception, the status and the description', () => {
    const error = new ServiceError({
      code: 'slow_down',
      status: 400,
      exception: 'SlowDownException',
      error: 'slow_down',
      errorDescription: 'Client is polling too fast',
      requestId: 'req-1',
      operation: 'CreateToken',
    });
    expect(error).toBeInstanceOf(DeviceLoginError);
    expect(error.name).toBe('ServiceError');
    expect(error.message).toBe(
      'CreateToken failed with SlowDownException (HTTP 400): Client is polling too fast',
    );
    expect(error.transient).toBe(false);
  });

  it('classifies transient errors', () => {
    expect(isTransientError(new ServiceError({ code: 'server_error', status: 500 }))).toBe(true);
    expect(isTransientError(new ServiceError({ code: 'throttled', status: 429 }))).toBe(true);
    expect(isTransientError(new ServiceError({ code: 'invalid_grant', status: 400 }))).toBe(false);
    expect(
      isTransientError(new NetworkError('https://oidc.us-east-1.amazonaws.com/token', new TypeError('x'))),
    ).toBe(true);
    expect(isTransientError(new ProtocolError('bad', { status: 200 }))).toBe(false);
    expect(isTransientError(new Error('plain'))).toBe(false);
  });

  it('NetworkError prints only the origin and explains the proxy', () => {
    const error = new NetworkError(
      'https://proxy.example/token?device_code=SECRET',
      new TypeError('Failed to fetch'),
    );
    expect(error.message).toContain('https://proxy.example');
    expect(error.message).not.toContain('SECRET');
    expect(error.message).toContain('same-origin proxy');
    expect(error.code).toBe('network_error');
  });
});
