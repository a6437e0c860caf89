/**
 * Bad input over real HTTP: each case gets an AWS-shaped error and the server keeps serving.
 */

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { expectOidcError, expectPortalError, postJson, UUID } from './support.ts';

let aws: RunningEmulator;

beforeAll(async () => {
  aws = await startEmulator({ maxBodyBytes: 64 * 1024 });
});

afterAll(() => aws.close());

/** A registration still succeeds: the server survived the previous request. */
async function expectStillServing() {
  const response = await postJson(`${aws.url}/client/register`, {
    clientName: 'after',
    clientType: 'public',
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
}

function rawHttp(payload: string): Promise<string> {
  const { port, hostname } = new URL(aws.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(payload));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('bad input', () => {
  it('malformed JSON → 400 InvalidRequestException', async () => {
    const response = await fetch(`${aws.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"clientName": "x",',
    });
    const body = await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    expect(body.error_description).toBe('The request body is not valid JSON');
    await expectStillServing();
  });

  it('a JSON body that is not an object → 400 InvalidRequestException', async () => {
    for (const text of ['[]', 'null', '"x"', '42']) {
      const response = await fetch(`${aws.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    }
    await expectStillServing();
  });

  it('wrong content type → 400 InvalidRequestException', async () => {
    const response = await fetch(`${aws.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    const body = await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    expect(body.error_description).toBe('Content-Type must be application/json');
    // With a charset parameter it is fine.
    const ok = await fetch(`${aws.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    expect(ok.status).toBe(200);
  });

  it('mistyped members → 400 InvalidRequestException naming the member', async () => {
    const response = await postJson(`${aws.url}/client/register`, { clientName: 7, clientType: 'public' });
    const body = await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    expect(body.error_description).toBe('clientName must be a string');
  });

  it('unknown route → 404 UnknownOperationException (AWS-shaped)', async () => {
    const response = await postJson(`${aws.url}/client/unregister`, {});
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException:/);
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#UnknownOperationException',
    );
    await expectStillServing();
  });

  it('oversized body (> 64 KiB) → 400 InvalidRequestException, and the server keeps serving', async () => {
    const response = await postJson(`${aws.url}/client/register`, {
      clientName: 'x'.repeat(100 * 1024),
      clientType: 'public',
    });
    const body = await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    expect(body.error_description).toBe('The request body is larger than 65536 bytes');
    await expectStillServing();
  });

  it('an oversized body without Content-Length (chunked) is refused too', async () => {
    const big = 'x'.repeat(80 * 1024);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"clientName":"${big}","clientType":"public"}`));
        controller.close();
      },
    });
    const response = await fetch(`${aws.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectOidcError(response, 'InvalidRequestException', 400, 'invalid_request');
    await expectStillServing();
  });

  it('wrong method → 400 InvalidRequestException with an Allow header (OIDC and portal shapes)', async () => {
    const get = await fetch(`${aws.url}/token`);
    await expectOidcError(get, 'InvalidRequestException', 400, 'invalid_request');
    expect(get.headers.get('allow')).toBe('POST');
    const put = await fetch(`${aws.url}/client/register`, { method: 'PUT', body: '{}' });
    await expectOidcError(put, 'InvalidRequestException', 400, 'invalid_request');

    const post = await fetch(`${aws.url}/assignment/accounts`, { method: 'POST' });
    await expectPortalError(post, 'InvalidRequestException', 400);
    expect(post.headers.get('allow')).toBe('GET');
    await expectStillServing();
  });

  it('garbage that is not HTTP gets a plain 400 and does not take the server down', async () => {
    const reply = await rawHttp('HELLO WORLD\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    await expectStillServing();
  });

  it('a request whose client disconnects mid-body does not take the server down', async () => {
    const { port, hostname } = new URL(aws.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          'POST /client/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"cl',
        );
        socket.destroy();
        resolve();
      });
    });
    await expectStillServing();
  });

  it('a //-prefixed request target is a path, never an authority that changes the returned URLs', async () => {
    const reply = await rawHttp(
      'POST //evil.example/client/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 404/);
    expect(reply).toContain('No operation at POST //evil.example/client/register');
  });

  it('an absolute-form request target is routed by its path; URLs are built from the Host header', async () => {
    const { port } = new URL(aws.url);
    const register = await rawHttp(
      'POST http://evil.example/client/register HTTP/1.1\r\nHost: 127.0.0.1:' +
        port +
        '\r\n' +
        'Content-Type: application/json\r\nContent-Length: 42\r\nConnection: close\r\n\r\n' +
        '{"clientName":"abs","clientType":"public"}',
    );
    expect(register).toMatch(/^HTTP\/1\.1 200/);
    const { clientId, clientSecret } = JSON.parse(register.slice(register.indexOf('\r\n\r\n') + 4));
    const body = JSON.stringify({ clientId, clientSecret, startUrl: 'https://x.awsapps.com/start' });
    const start = await rawHttp(
      'POST http://evil.example/device_authorization HTTP/1.1\r\nHost: 127.0.0.1:' +
        port +
        '\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(start).toContain(`"verificationUri":"http://127.0.0.1:${port}/device"`);
  });
});
