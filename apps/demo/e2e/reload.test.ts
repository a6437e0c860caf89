/**
 * Reloads, in a real browser. The device code is never stored (it is single-use and secret), so a reload during
 * sign-in gets a new code at once, with a note saying why; a reload once signed in resumes the stored session
 * without a new code. Each test has its own server, so they run concurrently.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  axeViolations,
  decideOnEmulator,
  launchBrowser,
  openVerificationPage,
  readUserCode,
  screenshot,
  signInOnEmulator,
} from './support/browser.ts';
import { openDemoPage } from './support/fixture.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const RELOADED_NOTE = 'The page was reloaded while you were signing in, so the sign-in started again';

describe.concurrent('reloading the page', () => {
  it('shows a new code, and says why, after a reload during sign-in', async ({ expect, onTestFinished }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const firstCode = await readUserCode(page);

    await page.reload();
    const note = page.getByText(RELOADED_NOTE);
    await note.waitFor();
    const secondCode = await readUserCode(page);
    expect(secondCode).not.toBe(firstCode);
    // The stored registration is reused: only a new device authorization was asked for.
    expect(await aws.count('RegisterClient')).toBe(1);
    expect(await aws.count('StartDeviceAuthorization')).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('img', { name: 'QR code of the verification page' }).waitFor();
    await screenshot(page, '08-reloaded-during-sign-in');

    const tab = await openVerificationPage(page);
    await decideOnEmulator(tab, { expectedCode: secondCode });
    await tab.close();
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();

    // Signed in: a later reload is not "during sign-in" any more.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
    expect(await note.count()).toBe(0);
  });

  it('resumes the session after a reload, without a new code', async ({ expect, onTestFinished }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await signInOnEmulator(page);
    await page.getByText('3 accounts').waitFor();
    const before = await aws.requests();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
    await page.getByText('3 accounts').waitFor();
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);

    const after = (await aws.requests()).slice(before.length).map((r) => r.operation);
    // Only the portal call of the accounts screen: no registration, no device authorization, no token request.
    expect(after).toEqual(['ListAccounts']);
  });

  it('shows the plain sign-in screen after a reload that follows a cancelled sign-in', async ({
    expect,
    onTestFinished,
  }) => {
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await readUserCode(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByText(RELOADED_NOTE).count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Your code' }).count()).toBe(0);
  });
});
