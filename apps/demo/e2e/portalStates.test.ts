/**
 * How the signed-in screens look when the portal is slow, fails or has nothing, in a real browser: skeletons while
 * loading, errors that say what happened with a Retry that works, plain empty states, and a session that ended on
 * the server side. Faults are injected with the emulator's control API; each test has its own server, so they run
 * concurrently.
 */
import { defaultSeed } from '@oidc-device-login/emulator';
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
  text,
} from './support/browser.ts';
import { isRefresh } from './support/demo.ts';
import { openDemoPage } from './support/fixture.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe.concurrent('portal states', () => {
  it('shows skeletons while the accounts load', async ({ expect, onTestFinished }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await aws.fault({ operation: 'ListAccounts', delayMs: 1_500 });
    // Step by step rather than signInOnEmulator: the heading shows at once, the list only later.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = await readUserCode(page);
    const tab = await openVerificationPage(page);
    await decideOnEmulator(tab, { expectedCode: code });
    await tab.close();
    const loading = page.locator('[aria-busy="true"]').filter({ hasText: 'Loading your AWS accounts…' });
    await loading.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '13-accounts-loading');
    await page.getByText('3 accounts').waitFor();
    expect(await loading.count()).toBe(0);
  });

  it('says when the accounts cannot be loaded, and Retry loads them', async ({ expect, onTestFinished }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    // A 400 is not retried by the portal hooks, so the error shows at once.
    await aws.fault({ operation: 'ListAccounts', error: 'InvalidRequestException' });
    await signInOnEmulator(page);
    await page.getByText('Could not load your AWS accounts', { exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '14-accounts-error');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('3 accounts').waitFor();
    expect(await page.getByText('Could not load your AWS accounts', { exact: true }).count()).toBe(0);
  });

  it('says when roles or credentials cannot be loaded, each with its own Retry', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await signInOnEmulator(page);
    await aws.fault({ operation: 'ListAccountRoles', error: 'InvalidRequestException' });
    await page.getByRole('button', { name: /^prod 444455556666/ }).click();
    await page.getByText('Could not load your roles in prod', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('list', { name: 'Your roles in prod' }).waitFor();

    await aws.fault({ operation: 'GetRoleCredentials', error: 'InvalidRequestException' });
    await page.getByRole('button', { name: 'Get credentials for ReadOnly in prod' }).click();
    const dialog = page.getByRole('dialog', { name: 'Credentials for ReadOnly' });
    await dialog.getByText('Could not get credentials', { exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '15-credentials-error');
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await dialog.getByTestId('export-lines').waitFor();
  });

  it('says plainly when nothing is assigned', async ({ expect, onTestFinished }) => {
    // Carol has no assignment at all.
    const carol = { userName: 'carol', displayName: 'Carol New', assignments: {} };
    const { page } = await openDemoPage({ onTestFinished }, browser, {
      mode: 'emulator',
      emulator: { seed: { ...defaultSeed, users: [...defaultSeed.users, carol] } },
    });
    await signInOnEmulator(page, { user: 'Carol New' });
    await page.getByText('No AWS accounts').waitFor();
    expect(await text(page.getByRole('region', { name: 'AWS accounts' }))).toContain(
      'No account is assigned to you in IAM Identity Center.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '16-no-accounts');
  });

  it('filters the accounts, and says when nothing matches', async ({ expect, onTestFinished }) => {
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await signInOnEmulator(page);
    const filter = page.getByRole('searchbox', { name: 'Filter accounts' });
    await filter.fill('444455556666');
    await page.getByRole('button', { name: /^prod 444455556666/ }).waitFor();
    expect(await page.getByRole('button', { name: /^dev 111122223333/ }).count()).toBe(0);
    await filter.fill('nothing-like-this');
    await page.getByText('No matching accounts').waitFor();
  });

  it('returns to sign-in with a clear message when the session ended on the server', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws, demo } = await openDemoPage({ onTestFinished }, browser);
    await signInOnEmulator(page);
    // Nine hours later for the emulator: the access token and the 8-hour portal session are over.
    const response = await fetch(`${demo.url}/emulator/__emulator/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 9 * 3600 }),
    });
    expect(response.ok).toBe(true);
    // The next portal call gets a 401; the kit tries one refresh (invalid_grant) and ends the session.
    await page.getByRole('button', { name: /^dev 111122223333/ }).click();
    await page.getByText('Your session ended. Sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await aws.count('CreateToken', isRefresh)).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '17-session-ended');
  });
});
