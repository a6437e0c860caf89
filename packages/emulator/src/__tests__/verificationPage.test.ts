/**
 * The HTML verification page, driven with plain fetch the way a browser without JavaScript would: GET a page,
 * read its form, POST it form-encoded and follow the redirect.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator.ts';
import { createEmulatorMiddleware, type RunningEmulator, startEmulator } from '../server.ts';
import { expectOidcError, startFlow } from './support.ts';

/** The first form of a page: its action and its named inputs' default values. */
function readForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form in page:\n${html}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input ([^>]*)>/g)) {
    const attributes = input[1]!;
    const name = /name="([^"]*)"/.exec(attributes)?.[1];
    if (!name) continue;
    if (/type="radio"/.test(attributes) && !/ checked/.test(attributes)) continue;
    fields[name] = /value="([^"]*)"/.exec(attributes)?.[1] ?? '';
  }
  return { action: form[1]!.replaceAll('&amp;', '&'), fields };
}

async function submit(pageUrl: string, html: string, overrides: Record<string, string> = {}) {
  const { action, fields } = readForm(html);
  const response = await fetch(new URL(action, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, ...overrides }),
  });
  return { response, html: await response.text() };
}

/** Walks the pages from verificationUriComplete: Continue, then Allow access (as `user`) or Deny. */
async function walkPages(verificationUriComplete: string, action: 'allow' | 'deny', user?: string) {
  const entry = await fetch(verificationUriComplete);
  expect(entry.status).toBe(200);
  const entryHtml = await entry.text();
  const confirm = await submit(verificationUriComplete, entryHtml);
  expect(confirm.response.status).toBe(200);
  expect(confirm.response.redirected).toBe(true);
  const result = await submit(confirm.response.url, confirm.html, { action, ...(user ? { user } : {}) });
  return { entryHtml, confirmHtml: confirm.html, result };
}

let aws: RunningEmulator | undefined;
let hostServer: Server | undefined;

afterEach(async () => {
  await aws?.close();
  aws = undefined;
  if (hostServer) {
    hostServer.closeAllConnections();
    await new Promise((resolve) => hostServer!.close(resolve));
    hostServer = undefined;
  }
});

describe('verification page', () => {
  it('pre-fills the code from verificationUriComplete and is accessible markup', async () => {
    aws = await startEmulator();
    const { start } = await startFlow(aws.url);
    const response = await fetch(start.verificationUriComplete);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<main>[\s\S]*<h1>Authorize request<\/h1>[\s\S]*<\/main>/);
    expect(html).toContain('<label for="user_code">Code</label>');
    expect(html).toMatch(/<input type="text" id="user_code" name="user_code" value="[A-Z]{4}-[A-Z]{4}"/);
    expect(readForm(html).fields.user_code).toBe(start.userCode);
    expect(html).toContain('>Continue</button>');
    expect(html).toContain(':focus-visible');
    expect(html).not.toContain('<script');
  });

  it('approve: Continue → confirm page → Allow access as bob; the pending poll then returns a token', async () => {
    aws = await startEmulator();
    const { start, poll } = await startFlow(aws.url);
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');

    const { confirmHtml, result } = await walkPages(start.verificationUriComplete, 'allow', 'bob');
    expect(confirmHtml).toContain(`<p class="code">${start.userCode}</p>`);
    expect(confirmHtml).toContain('<legend>Sign in as</legend>');
    expect(confirmHtml).toMatch(/<input type="radio" name="user" value="alice" checked> Alice Admin/);
    expect(confirmHtml).toMatch(/<input type="radio" name="user" value="bob"> Bob Reader/);
    expect(confirmHtml).toContain('>Allow access</button>');
    expect(confirmHtml).toContain('>Deny</button>');
    expect(confirmHtml).toContain('test-app'); // the client name, so the person knows who asks
    expect(result.response.status).toBe(200);
    expect(result.html).toContain('Request approved');
    expect(result.html).toContain('You can close this window');

    aws.advance(start.interval);
    const token = (await (await poll()).json()) as { accessToken: string };
    const accounts = await fetch(`${aws.url}/assignment/accounts`, {
      headers: { 'x-amz-sso_bearer_token': token.accessToken },
    });
    // Signed in as bob: only bob's two accounts.
    expect(((await accounts.json()) as { accountList: unknown[] }).accountList).toHaveLength(2);
  });

  it('deny: the poll then gets access_denied and the code cannot be used again', async () => {
    aws = await startEmulator();
    const { start, poll } = await startFlow(aws.url);
    const { result } = await walkPages(start.verificationUriComplete, 'deny');
    expect(result.html).toContain('Request denied');
    await expectOidcError(await poll(), 'AccessDeniedException', 400, 'access_denied');

    const again = await submit(
      start.verificationUri,
      await (await fetch(start.verificationUriComplete)).text(),
    );
    expect(again.response.status).toBe(400);
    expect(again.html).toMatch(/<p role="alert" id="error">This code has already been denied/);
  });

  it('accepts the code typed by hand in lower case without the dash', async () => {
    aws = await startEmulator();
    const { start } = await startFlow(aws.url);
    const entry = await (await fetch(start.verificationUri)).text();
    expect(readForm(entry).fields.user_code).toBe('');
    const typed = ` ${start.userCode.replace('-', '').toLowerCase()} `;
    const confirm = await submit(start.verificationUri, entry, { user_code: typed });
    expect(confirm.response.status).toBe(200);
    expect(confirm.html).toContain(`<p class="code">${start.userCode}</p>`);
  });

  it('shows a clear error for unknown, expired and empty codes', async () => {
    aws = await startEmulator();
    const { start } = await startFlow(aws.url);
    const entry = await (await fetch(start.verificationUri)).text();

    const unknown = await submit(start.verificationUri, entry, { user_code: 'BBBB-CCCC' });
    expect(unknown.response.status).toBe(400);
    expect(unknown.html).toContain('<p role="alert" id="error">That code is not valid.');
    expect(unknown.html).toContain('aria-invalid="true"');
    // Focus starts on the field to correct (the page reloaded with focus nowhere), not on the fresh entry page.
    expect(unknown.html).toMatch(/<input type="text" id="user_code"[^>]* autofocus>/);
    expect(entry).not.toContain('autofocus');

    const empty = await submit(start.verificationUri, entry, { user_code: '' });
    expect(empty.html).toContain('Enter the code shown by the application.');

    aws.expire({ userCode: start.userCode });
    const expired = await fetch(start.verificationUriComplete.replace('/device?', '/device/confirm?'));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This code has expired.');
  });

  it('asks again when no user or no action was chosen', async () => {
    aws = await startEmulator();
    const { start, poll } = await startFlow(aws.url);
    const { action } = readForm(await (await fetch(start.verificationUriComplete)).text());
    const post = (body: Record<string, string>) =>
      fetch(new URL(`${action}/confirm`, aws!.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
    const noUser = await post({ user_code: start.userCode, action: 'allow', user: 'mallory' });
    expect(noUser.status).toBe(400);
    expect(await noUser.text()).toContain('Choose who to sign in as.');
    const noAction = await post({ user_code: start.userCode, user: 'alice' });
    expect(await noAction.text()).toContain('Choose Allow access or Deny.');
    // Still pending: nothing was decided.
    await expectOidcError(await poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
  });

  it('renders a hostile user_code inert (HTML-escaped in text and attributes)', async () => {
    aws = await startEmulator();
    const attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const response = await fetch(`${aws.url}/device?user_code=${encodeURIComponent(attack)}`);
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"',
    );

    const posted = await fetch(`${aws.url}/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: attack }),
    });
    const errorPage = await posted.text();
    expect(posted.status).toBe(400);
    expect(errorPage).not.toContain('<script>');
    expect(errorPage).toContain('&lt;script&gt;');
  });

  it('escapes seeded names and the client name too', async () => {
    aws = await startEmulator({
      seed: {
        accounts: [],
        users: [{ userName: 'x"y', displayName: '<b>Eve</b>', assignments: {} }],
      },
    });
    const flow = await startFlow(aws.url);
    const { confirmHtml } = await walkPages(flow.start.verificationUriComplete, 'deny');
    expect(confirmHtml).toContain('value="x&quot;y"');
    expect(confirmHtml).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(confirmHtml).not.toContain('<b>Eve</b>');
  });

  it('GET on the root redirects to the verification page', async () => {
    aws = await startEmulator();
    const response = await fetch(`${aws.url}/`);
    expect(response.redirected).toBe(true);
    expect(new URL(response.url).pathname).toBe('/device');
  });
});

describe('mounted under a prefix with createEmulatorMiddleware on a plain node server', () => {
  async function hostWithEmulator() {
    const emulator = createEmulator();
    const middleware = createEmulatorMiddleware(emulator, { prefix: '/aws/' });
    hostServer = createServer((req, res) =>
      middleware(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('host app');
      }),
    );
    await new Promise<void>((resolve) => hostServer!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hostServer!.address() as AddressInfo).port}`;
    return { emulator, url };
  }

  it('leaves other paths to the host app (next) and serves the whole flow under /aws', async () => {
    const { emulator, url } = await hostWithEmulator();
    expect(await (await fetch(`${url}/`)).text()).toBe('host app');
    expect(await (await fetch(`${url}/awsome`)).text()).toBe('host app');
    expect(await (await fetch(`${url}/token`)).text()).toBe('host app');

    const { start, poll } = await startFlow(`${url}/aws`);
    expect(start.verificationUri).toBe(`${url}/aws/device`);
    expect(start.verificationUriComplete).toBe(`${url}/aws/device?user_code=${start.userCode}`);

    const { entryHtml, confirmHtml, result } = await walkPages(start.verificationUriComplete, 'allow');
    expect(readForm(entryHtml).action).toBe('/aws/device');
    expect(readForm(confirmHtml).action).toBe('/aws/device/confirm');
    expect(new URL(result.response.url).pathname).toBe('/aws/device/done');
    expect(result.html).toContain('Request approved');
    expect(((await (await poll()).json()) as { tokenType: string }).tokenType).toBe('Bearer');
    expect(emulator.requests().map((r) => r.path)).toContain('/device/confirm');
  });

  it('serves the control API and unknown routes under the prefix', async () => {
    const { url } = await hostWithEmulator();
    const { start } = await startFlow(`${url}/aws`);
    const pending = await (await fetch(`${url}/aws/__emulator/authorizations`)).json();
    expect(pending).toEqual([expect.objectContaining({ userCode: start.userCode, clientName: 'test-app' })]);
    const unknown = await fetch(`${url}/aws/nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#UnknownOperationException',
    );
  });

  it('refuses a root prefix, which would shadow the host app', () => {
    expect(() => createEmulatorMiddleware(createEmulator(), { prefix: '/' })).toThrow(TypeError);
  });
});
