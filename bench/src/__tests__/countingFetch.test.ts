import { describe, expect, it } from 'vitest';
import { countingFetch, grantOf, operationOf } from '../countingFetch.ts';

describe('operationOf', () => {
  it('tells the SSO OIDC operations apart, and a refresh from a poll by its grant', () => {
    expect(operationOf('/client/register')).toBe('register');
    expect(operationOf('/device_authorization')).toBe('start');
    expect(
      operationOf('/token', JSON.stringify({ grantType: 'urn:ietf:params:oauth:grant-type:device_code' })),
    ).toBe('token');
    expect(operationOf('/token', JSON.stringify({ grantType: 'refresh_token' }))).toBe('refresh');
    expect(operationOf('/oidc/token', 'grant_type=refresh_token&refresh_token=x')).toBe('refresh');
    expect(operationOf('/token')).toBe('token');
    expect(operationOf('/logout')).toBe('other');
    expect(grantOf('not json and no grant')).toBeUndefined();
  });
});

describe('countingFetch', () => {
  it('counts each request when sent, and reads the interval off StartDeviceAuthorization', async () => {
    const answers: Record<string, unknown> = { '/device_authorization': { interval: 5 } };
    const inner = async (input: string | URL | Request) => {
      const path = new URL(String(input)).pathname;
      return new Response(JSON.stringify(answers[path] ?? {}), { status: 200 });
    };
    const counter = countingFetch(inner);
    await counter.fetch('http://x/client/register', { method: 'POST', body: '{}' });
    await counter.fetch('http://x/device_authorization', { method: 'POST', body: '{}' });
    await counter.fetch('http://x/token', { method: 'POST', body: '{"grantType":"refresh_token"}' });
    await counter.fetch('http://x/token', { method: 'POST', body: '{}' });
    expect(counter.counts).toEqual({ register: 1, start: 1, token: 1, refresh: 1, other: 0 });
    expect(counter.total()).toBe(4);
    expect(counter.interval).toBe(5);
  });
});
