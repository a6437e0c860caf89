/**
 * The OpenID mode (`pnpm start:oidc`), in a real browser: the same prompt against node-oidc-provider 8.8.1 (the
 * harness of core's tests, with CORS allowed for loopback origins), approved through the provider's own pages.
 * The AWS-only panels are hidden; a "Signed in" panel shows the token's expiry.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startOidcProvider,
  TEST_CLIENTS,
  type TestOidcProvider,
} from '../../../packages/core/src/__tests__/support/oidcProvider.ts';
import { isLoopbackOrigin } from '../server/isLoopbackOrigin.ts';
import {
  axeViolations,
  launchBrowser,
  newContext,
  openVerificationPage,
  readUserCode,
  screenshot,
  text,
} from './support/browser.ts';
import { type RunningDemo, startDemo } from './support/demo.ts';

let provider: TestOidcProvider;
let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  provider = await startOidcProvider({ allowOrigin: isLoopbackOrigin });
  [demo, browser] = await Promise.all([
    startDemo({ mode: 'oidc', issuer: provider.issuer, clientId: TEST_CLIENTS.public.clientId }),
    launchBrowser(),
  ]);
  context = await newContext(browser, demo.url);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.close(), provider?.close()]);
});

/** node-oidc-provider's pages: confirm the code, log in (any password), consent, success. */
async function approveOnProvider(tab: Page, userCode: string): Promise<void> {
  await tab.getByText(userCode).waitFor();
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.locator('input[name="login"]').fill('alice');
  await tab.locator('input[name="password"]').fill('any password');
  await tab.getByRole('button', { name: 'Sign-in' }).click();
  await tab.getByText('the client is asking to have offline access').waitFor();
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.getByText('Your sign-in was successful').waitFor();
}

it('signs in with the OpenID provider and shows the "Signed in" panel instead of AWS accounts', async () => {
  await page.goto(demo.url);
  await page
    .getByRole('heading', { level: 1, name: 'Sign in with your OpenID provider', exact: true })
    .waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const userCode = await readUserCode(page);
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('img', { name: 'QR code of the verification page' }).waitFor();
  await screenshot(page, '11-oidc-code');

  const tab = await openVerificationPage(page);
  expect(new URL(tab.url()).origin).toBe(provider.issuer);
  await approveOnProvider(tab, userCode);
  await tab.close();

  await page.getByRole('heading', { level: 1, name: 'Signed in', exact: true }).waitFor();
  // The harness issues 5-minute access tokens.
  expect(await text(page.getByTestId('signed-in-expiry'))).toMatch(/\(in 5 minutes\)$/);
  expect(await text(page.getByRole('complementary', { name: 'Session' }))).toContain(provider.issuer);
  // AWS-only parts are not there.
  expect(await page.getByText(/AWS accounts|Get credentials/).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, '12-oidc-signed-in');
});

it('refreshes with the rotating refresh token, and signs out', async () => {
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.getByText('Session refreshed.').first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  // The reload finds nothing stored: signed out for good.
  await page.reload();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
});
