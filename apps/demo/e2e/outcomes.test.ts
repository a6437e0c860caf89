/**
 * The ways a sign-in can end without a session, in a real browser: denied on the verification page, the code
 * expired (made to expire through the emulator's control API, and really running out with a 3-second lifetime),
 * cancelled. Each offers a clear way to start again.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
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
import { emulatorControl, type RunningDemo, startDemo } from './support/demo.ts';

let demo: RunningDemo;
let shortLived: RunningDemo;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [demo, shortLived, browser] = await Promise.all([
    startDemo(),
    // The device code lives 3 seconds: the browser sees it run out for real, without a long wait.
    startDemo({ mode: 'emulator', emulator: { deviceCodeTtl: 3 } }),
    launchBrowser(),
  ]);
});

afterEach(async () => {
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.close(), shortLived?.close()]);
});

async function startSignIn(url: string): Promise<{ page: Page; userCode: string }> {
  context = await newContext(browser, url);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  return { page, userCode: await readUserCode(page) };
}

const status = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });

it('says so when the person denies, and "Try again" gets a new code that works', async () => {
  const { page, userCode } = await startSignIn(demo.url);
  const tab = await openVerificationPage(page);
  expect(await decideOnEmulator(tab, { decision: 'Deny', expectedCode: userCode })).toContain(
    'Request denied',
  );
  await tab.close();

  await status(page).filter({ hasText: 'The sign-in was denied.' }).waitFor();
  expect(await page.getByRole('group', { name: 'Your code' }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, '06-denied');

  await page.getByRole('button', { name: 'Try again' }).click();
  const newCode = await readUserCode(page);
  expect(newCode).not.toBe(userCode);
  const retryTab = await openVerificationPage(page);
  await decideOnEmulator(retryTab, { expectedCode: newCode });
  await retryTab.close();
  await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
});

it('shows an expired code (expired through the control API) and gets a new one', async () => {
  const aws = emulatorControl(demo.url);
  const { page, userCode } = await startSignIn(demo.url);
  await aws.expire(userCode);

  // The next poll (1 s later) gets ExpiredTokenException.
  await status(page).filter({ hasText: 'The code expired before it was approved.' }).waitFor();
  expect(await page.getByRole('group', { name: 'Your code' }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, '07-expired');

  await page.getByRole('button', { name: 'Get a new code' }).click();
  const newCode = await readUserCode(page);
  expect(newCode).not.toBe(userCode);
  expect(await aws.count('StartDeviceAuthorization')).toBeGreaterThanOrEqual(2);
  // The expired code cannot be approved any more; the new one can.
  const tab = await openVerificationPage(page);
  await decideOnEmulator(tab, { expectedCode: newCode });
  await tab.close();
  await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
});

it('stops by itself when a short-lived code runs out, with the countdown shown until then', async () => {
  const { page } = await startSignIn(shortLived.url);
  expect(await text(page.getByRole('timer'))).toMatch(/^Code expires in 0:0[0-3]$/);
  await status(page).filter({ hasText: 'The code expired before it was approved.' }).waitFor();
  await page.getByRole('button', { name: 'Get a new code' }).waitFor();
  expect(await page.getByRole('timer').count()).toBe(0);
});

it('cancels a sign-in and can start again', async () => {
  const { page, userCode } = await startSignIn(demo.url);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await status(page).filter({ hasText: 'You are not signed in.' }).waitFor();
  // Focus does not fall to <body>: it moves to the next action, "Sign in".
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
  await page.keyboard.press('Enter');
  expect(await readUserCode(page)).not.toBe(userCode);
});
