/**
 * The ways a sign-in can end without a session, in a real browser: denied on the verification page, the code
 * expired (made to expire through the emulator's control API, and really running out with a 3-second lifetime),
 * cancelled. Each offers a clear way to start again. Each test has its own server, so they run concurrently.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  axeViolations,
  decideOnEmulator,
  launchBrowser,
  openVerificationPage,
  readUserCode,
  screenshot,
  text,
} from './support/browser.ts';
import { openDemoPage } from './support/fixture.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const status = (page: Page, sentence: string) => page.getByRole('status').filter({ hasText: sentence });

describe.concurrent('a sign-in that ends without a session', () => {
  it('says so when the person denies, and "Try again" gets a new code that works', async ({
    expect,
    onTestFinished,
  }) => {
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const userCode = await readUserCode(page);
    const tab = await openVerificationPage(page);
    expect(await decideOnEmulator(tab, { decision: 'Deny', expectedCode: userCode })).toContain(
      'Request denied',
    );
    await tab.close();

    await status(page, 'The sign-in was denied.').waitFor();
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

  it('shows an expired code (expired through the control API) and gets a new one', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const userCode = await readUserCode(page);
    await aws.expire(userCode);

    // The next poll (1 s later) gets ExpiredTokenException.
    await status(page, 'The code expired before it was approved.').waitFor();
    expect(await page.getByRole('group', { name: 'Your code' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '07-expired');

    await page.getByRole('button', { name: 'Get a new code' }).click();
    const newCode = await readUserCode(page);
    expect(newCode).not.toBe(userCode);
    expect(await aws.count('StartDeviceAuthorization')).toBe(2);
    const tab = await openVerificationPage(page);
    await decideOnEmulator(tab, { expectedCode: newCode });
    await tab.close();
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
  });

  it('stops by itself when a short-lived code runs out, with the countdown shown until then', async ({
    expect,
    onTestFinished,
  }) => {
    // The device code lives 3 seconds: the browser sees it run out for real, without a long wait.
    const { page } = await openDemoPage({ onTestFinished }, browser, {
      mode: 'emulator',
      emulator: { deviceCodeTtl: 3 },
    });
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await readUserCode(page);
    expect(await text(page.getByRole('timer'))).toMatch(/^Code expires in 0:0[0-3]$/);
    await status(page, 'The code expired before it was approved.').waitFor();
    await page.getByRole('button', { name: 'Get a new code' }).waitFor();
    expect(await page.getByRole('timer').count()).toBe(0);
  });

  it('cancels a sign-in and can start again from the keyboard', async ({ expect, onTestFinished }) => {
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const userCode = await readUserCode(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await status(page, 'You are not signed in.').waitFor();
    // Focus does not fall to <body>: it moves to the next action, "Sign in".
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
    await page.keyboard.press('Enter');
    expect(await readUserCode(page)).not.toBe(userCode);
  });
});
