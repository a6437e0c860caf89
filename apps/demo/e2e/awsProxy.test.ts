/**
 * The real-AWS mode, in a real browser: every call goes to the demo's own origin (`/aws/<region>/oidc`,
 * `/aws/<region>/portal`), and `createSsoProxy` forwards it. AWS is not reachable here, so the proxy's `upstream`
 * is a second emulator on its own port; the proxy's region allow-list still applies.
 */
import { type RunningEmulator, startEmulator } from '@oidc-device-login/emulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  axeViolations,
  decideOnEmulator,
  launchBrowser,
  newContext,
  openVerificationPage,
  readUserCode,
  screenshot,
  text,
} from './support/browser.ts';
import { type RunningDemo, startDemo } from './support/demo.ts';

const REGION = 'eu-west-1';
const START_URL = 'https://d-1234567890.awsapps.com/start';

let upstream: RunningEmulator;
let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageRequests: string[] = [];

beforeAll(async () => {
  upstream = await startEmulator();
  [demo, browser] = await Promise.all([
    startDemo({
      mode: 'aws',
      region: REGION,
      startUrl: START_URL,
      upstream: { oidc: upstream.url, portal: upstream.url },
    }),
    launchBrowser(),
  ]);
  context = await newContext(browser, demo.url);
  page = await context.newPage();
  page.on('request', (request) => {
    if (['fetch', 'xhr'].includes(request.resourceType())) pageRequests.push(request.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.close(), upstream?.close()]);
});

it('signs in and gets credentials through the same-origin proxy', async () => {
  await page.goto(demo.url);
  await page.getByText(`AWS IAM Identity Center · ${REGION}`).first().waitFor();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const userCode = await readUserCode(page);

  // The verification page is the identity provider's own (here the upstream emulator), not the demo's.
  const tab = await openVerificationPage(page);
  expect(new URL(tab.url()).origin).toBe(upstream.url);
  await decideOnEmulator(tab, { expectedCode: userCode });
  await tab.close();

  await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
  await page.getByText('3 accounts').waitFor();
  expect(await text(page.getByRole('complementary', { name: 'Session' }))).toContain(REGION);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, '10-aws-proxy-accounts');

  await page.getByRole('button', { name: /^sandbox 777788889999/ }).click();
  await page.getByRole('button', { name: 'Get credentials for AdministratorAccess in sandbox' }).click();
  await page.getByTestId('export-lines').waitFor();
  await page.keyboard.press('Escape');

  // Every call of the page went to its own origin, under the proxy's path for the region.
  const own = `${demo.url}/aws/${REGION}/`;
  const calls = pageRequests.filter((url) => !url.endsWith('/demo-config.json'));
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((url) => !url.startsWith(own))).toEqual([]);
  // …and reached the upstream as AWS's operations, without the browser's cookies or origin.
  const received = upstream.requests().filter((r) => r.operation !== 'VerificationPage');
  expect(new Set(received.map((r) => r.operation))).toEqual(
    new Set([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken',
      'ListAccounts',
      'ListAccountRoles',
      'GetRoleCredentials',
    ]),
  );
  expect(received.filter((r) => r.headers.origin !== undefined || r.headers.cookie !== undefined)).toEqual(
    [],
  );
  expect(received.find((r) => r.operation === 'RegisterClient')?.body).toMatchObject({
    clientName: 'oidc-device-login demo',
    clientType: 'public',
  });
});

it('keeps the region allow-list: another region gets a 403 and never reaches the upstream', async () => {
  const before = upstream.requests().length;
  const answer = await page.evaluate(async () => {
    const response = await fetch('/aws/us-east-1/oidc/client/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    return { status: response.status, type: response.headers.get('x-amzn-errortype') };
  });
  expect(answer).toEqual({ status: 403, type: 'ForbiddenException' });
  expect(upstream.requests().length).toBe(before);
});

it('signs out through the proxy (portal Logout)', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  // The screen changes as soon as the session is cleared; the portal Logout goes out alongside.
  await expect.poll(() => upstream.requests().filter((r) => r.operation === 'Logout').length).toBe(1);
});
