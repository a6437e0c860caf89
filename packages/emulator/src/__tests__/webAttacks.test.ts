/**
 * The emulator listens on the developer's machine while they browse: a web page they visit must not be able to
 * drive it. Two ways in are closed here: a cross-site "simple" request (text/plain or form POST, which a browser
 * sends without a CORS preflight) to the control API, and DNS rebinding (a page on `evil.example` whose name
 * then resolves to 127.0.0.1, so the browser treats the emulator as same-origin and can read the request log,
 * which holds client secrets and tokens).
 */

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { startFlow } from './support.ts';

let aws: RunningEmulator | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

/** A raw HTTP/1.1 request with a chosen Host header (fetch does not allow setting it). */
function rawRequest(
  url: string,
  options: { method?: string; host: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: options.host, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('control API against cross-site simple requests', () => {
  it('refuses a text/plain POST (what a cross-site page can send without a preflight) and changes nothing', async () => {
    aws = await startEmulator({ interval: 1 });
    const { start } = await startFlow(aws.url);
    // What `fetch(url, { method: 'POST', mode: 'no-cors', body })` or a text/plain form sends.
    const forged = await fetch(`${aws.url}/__emulator/approve`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' },
      body: JSON.stringify({ userCode: start.userCode }),
    });
    expect(forged.status).toBe(415);
    expect(((await forged.json()) as { message: string }).message).toMatch(/application\/json/);
    expect(aws.pendingAuthorizations().map((a) => a.userCode)).toEqual([start.userCode]);

    const form = await fetch(`${aws.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
    expect(aws.pendingAuthorizations()).toHaveLength(1);
  });

  it('still takes JSON POSTs (which a cross-site page can only send after a preflight it would fail)', async () => {
    aws = await startEmulator({ interval: 1 });
    const { start } = await startFlow(aws.url);
    const approved = await fetch(`${aws.url}/__emulator/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ userCode: start.userCode }),
    });
    expect(approved.status).toBe(200);
    const reset = await fetch(`${aws.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(reset.status).toBe(200);
  });
});

describe('DNS rebinding (Host header check of the standalone server)', () => {
  it('answers 403 to a request addressed to another host name, and does not record or act on it', async () => {
    aws = await startEmulator({ interval: 1 });
    await startFlow(aws.url);
    const log = await rawRequest(aws.url, { host: 'evil.example', path: '/__emulator/requests' });
    expect(log.status).toBe(403);
    expect(log.body).not.toContain('clientSecret');
    expect(log.body).toMatch(/allowedHosts/);

    const reset = await rawRequest(aws.url, {
      method: 'POST',
      host: `evil.example:${new URL(aws.url).port}`,
      path: '/__emulator/reset',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reset.status).toBe(403);
    expect(aws.pendingAuthorizations()).toHaveLength(1);
    expect(aws.requests().map((r) => r.operation)).toEqual(['RegisterClient', 'StartDeviceAuthorization']);
  });

  it('serves loopback names, IP literals and the listen host; allowedHosts adds names', async () => {
    aws = await startEmulator();
    const { port } = new URL(aws.url);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `192.168.1.20:${port}`,
      'localhost',
    ]) {
      expect((await rawRequest(aws.url, { host, path: '/__emulator/authorizations' })).status, host).toBe(
        200,
      );
    }
    expect((await rawRequest(aws.url, { host: `devbox.lan:${port}`, path: '/device' })).status).toBe(403);
    expect((await rawRequest(aws.url, { host: `localhost.evil.example`, path: '/device' })).status).toBe(403);
    await aws.close();

    aws = await startEmulator({ allowedHosts: ['devbox.lan'] });
    const other = new URL(aws.url).port;
    expect((await rawRequest(aws.url, { host: `DevBox.lan:${other}`, path: '/device' })).status).toBe(200);
    expect((await rawRequest(aws.url, { host: `evil.example:${other}`, path: '/device' })).status).toBe(403);
  });
});
