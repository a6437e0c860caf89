/**
 * Two tabs of the demo in one browser profile share one sign-in (the kit's Web Locks + BroadcastChannel
 * coordination over the shared localStorage): one device flow, one refresh, one sign-out for both.
 */
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
} from './support/browser.ts';
import { emulatorControl, isRefresh, type RunningDemo, startDemo } from './support/demo.ts';

let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let tabA: Page;
let tabB: Page;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  context = await newContext(browser, demo.url);
  [tabA, tabB] = await Promise.all([context.newPage(), context.newPage()]);
  await Promise.all([tabA.goto(demo.url), tabB.goto(demo.url)]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/**
 * Puts `page` in front before clicking in it: Chromium does not animate background tabs, so Playwright's
 * actionability checks (which wait for animation frames) would be slow there. The app itself does not care.
 */
async function inFront(page: Page): Promise<Page> {
  await page.bringToFront();
  return page;
}

const accountsHeading = (page: Page) =>
  page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true });

it('signs in the other tab as soon as one tab signs in', async () => {
  const aws = emulatorControl(demo.url);
  await (await inFront(tabA)).getByRole('button', { name: 'Sign in', exact: true }).click();
  const code = await readUserCode(tabA);
  const verification = await openVerificationPage(tabA);
  await decideOnEmulator(verification, { expectedCode: code });
  await verification.close();

  // Tab B only sat on the sign-in screen.
  await Promise.all([accountsHeading(tabA).waitFor(), accountsHeading(tabB).waitFor()]);
  expect(await aws.count('RegisterClient')).toBe(1);
  expect(await aws.count('StartDeviceAuthorization')).toBe(1);
});

it('opens a new tab signed in', async () => {
  const tabC = await context.newPage();
  await tabC.goto(demo.url);
  await accountsHeading(tabC).waitFor();
  await tabC.close();
});

it('"Refresh now" in one tab sends exactly one refresh request', async () => {
  const aws = emulatorControl(demo.url);
  expect(await aws.count('CreateToken', isRefresh)).toBe(0);
  await (await inFront(tabA)).getByRole('button', { name: 'Refresh now' }).click();
  await tabA.getByText('Session refreshed.').first().waitFor();
  expect(await axeViolations(tabA)).toEqual([]);
  await screenshot(tabA, '09-refreshed');

  // Tab B goes on with the refreshed session (a portal call of its own), and does not refresh again.
  await (await inFront(tabB)).getByRole('button', { name: /^prod 444455556666/ }).click();
  await tabB.getByRole('list', { name: 'Your roles in prod' }).waitFor();
  expect(await aws.count('CreateToken', isRefresh)).toBe(1);

  // A second click within 30 s is throttled by the kit, and says so; still one request.
  await (await inFront(tabA)).getByRole('button', { name: 'Refresh now' }).click();
  await tabA
    .getByText(/Not refreshed: the session was refreshed less than 30 seconds ago/)
    .first()
    .waitFor();
  expect(await aws.count('CreateToken', isRefresh)).toBe(1);
});

it('signs out both tabs from one', async () => {
  const aws = emulatorControl(demo.url);
  await (await inFront(tabB)).getByRole('button', { name: 'Sign out' }).click();
  const signInHeading = (page: Page) =>
    page.getByRole('heading', { level: 1, name: 'Sign in to your AWS accounts', exact: true });
  await Promise.all([signInHeading(tabA).waitFor(), signInHeading(tabB).waitFor()]);
  await tabA.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  // The screens change as soon as the session is cleared; the portal Logout goes out alongside.
  await expect.poll(() => aws.count('Logout')).toBe(1);
});

it('runs one device flow when both tabs ask to sign in', async () => {
  const aws = emulatorControl(demo.url);
  const started = await aws.count('StartDeviceAuthorization');
  await (await inFront(tabA)).getByRole('button', { name: 'Sign in', exact: true }).click();
  const code = await readUserCode(tabA);
  // Tab B joins tab A's flow: it shows the same code, and no second device authorization is asked for.
  await (await inFront(tabB)).getByRole('button', { name: 'Sign in', exact: true }).click();
  expect(await readUserCode(tabB)).toBe(code);
  expect(await aws.count('StartDeviceAuthorization')).toBe(started + 1);

  const verification = await openVerificationPage(tabB);
  await decideOnEmulator(verification, { expectedCode: code });
  await verification.close();
  await Promise.all([accountsHeading(tabA).waitFor(), accountsHeading(tabB).waitFor()]);
  expect(await aws.count('StartDeviceAuthorization')).toBe(started + 1);
});
