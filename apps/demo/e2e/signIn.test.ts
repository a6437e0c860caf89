/**
 * The main journey on the embedded emulator, in a real browser: sign in with the code, approve on the emulator's
 * verification page in a second tab, then accounts → roles → credentials → sign out. Every screen is checked with
 * axe and saved to e2e-output/.
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

describe.concurrent('the main journey', () => {
  it('signs in with the code approved on the emulator, lists accounts and roles, gives credentials, signs out', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    await page.getByRole('heading', { level: 1, name: 'Sign in to your AWS accounts' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const userCode = await readUserCode(page);
    expect(userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    await page.getByText('Waiting for you to approve the sign-in.').waitFor();
    await page.getByRole('img', { name: 'QR code of the verification page' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '02-code');

    const tab = await openVerificationPage(page);
    expect(new URL(tab.url()).pathname).toBe('/emulator/device');
    const result = await decideOnEmulator(tab, { user: 'Alice Admin', expectedCode: userCode });
    expect(result).toContain('Request approved');
    await tab.close();

    // Back in the app: signed in, and the accounts of Alice (dev, prod, sandbox).
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
    // The prompt's controls are gone: focus moved to the new screen's heading rather than falling to <body>.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const accounts = page
      .getByRole('list')
      .filter({ has: page.getByRole('button', { name: /111122223333/ }) });
    await accounts.waitFor();
    expect(await accounts.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
      expect.stringContaining('dev'),
      expect.stringContaining('prod'),
      expect.stringContaining('sandbox'),
    ]);
    await page.getByText('3 accounts').waitFor();
    expect(await text(page.getByTestId('token-expiry'))).toMatch(/in (59|60) minutes/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '03-accounts');

    // An account opens to its roles.
    const dev = page.getByRole('button', { name: /^dev 111122223333/ });
    await dev.click();
    expect(await dev.getAttribute('aria-expanded')).toBe('true');
    const roles = page.getByRole('list', { name: 'Your roles in dev' });
    await roles.getByRole('listitem').first().waitFor();
    expect(await roles.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('AdministratorAccess'),
      expect.stringContaining('ReadOnly'),
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '04-roles');

    // A role gives short-term credentials, each value and the export lines copyable.
    await page.getByRole('button', { name: 'Get credentials for AdministratorAccess in dev' }).click();
    const dialog = page.getByRole('dialog', { name: 'Credentials for AdministratorAccess' });
    const exportLines = dialog.getByTestId('export-lines');
    await exportLines.waitFor();
    const lines = (await text(exportLines)).split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^export AWS_ACCESS_KEY_ID=ASIA[A-Z0-9]+$/),
      expect.stringMatching(/^export AWS_SECRET_ACCESS_KEY=\S{20,}$/),
      expect.stringMatching(/^export AWS_SESSION_TOKEN=\S{20,}$/),
    ]);
    expect(await text(dialog.getByTestId('credentials-expiry'))).toMatch(
      /Valid until \d{1,2}:\d\d [AP]M \(in (59|60) minutes\)/,
    );
    expect(await aws.count('GetRoleCredentials')).toBe(1);

    await dialog.getByRole('button', { name: 'Copy the export commands' }).click();
    await dialog.getByRole('button', { name: 'Copied the export commands' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(lines.join('\n'));
    const accessKeyId = lines[0]!.slice('export AWS_ACCESS_KEY_ID='.length);
    await dialog.getByRole('button', { name: 'Copy AWS access key ID' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(accessKeyId);
    const sessionToken = lines[2]!.slice('export AWS_SESSION_TOKEN='.length);
    await dialog.getByRole('button', { name: 'Copy AWS session token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sessionToken);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '05-credentials');

    // Escape closes the dialog and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Get credentials');

    // Sign out: back to the sign-in screen, the portal session ended at the emulator, nothing kept in storage.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to your AWS accounts' }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // The screen changes as soon as the session is cleared; the portal Logout goes out alongside.
    await expect.poll(() => aws.count('Logout')).toBe(1);
    const stored = await page.evaluate(() =>
      Object.keys(localStorage).filter((key) => key.endsWith(':session')),
    );
    expect(stored).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('looks right in dark mode too', async ({ expect, onTestFinished }) => {
    const { page: darkPage } = await openDemoPage({ onTestFinished }, browser, undefined, {
      colorScheme: 'dark',
    });
    await darkPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    const userCode = await readUserCode(darkPage);
    await darkPage.getByRole('img', { name: 'QR code of the verification page' }).waitFor();
    expect(await axeViolations(darkPage)).toEqual([]);
    await screenshot(darkPage, '02-code-dark');
    const tab = await openVerificationPage(darkPage);
    await decideOnEmulator(tab, { user: 'Bob Reader', expectedCode: userCode });
    await tab.close();
    await darkPage.getByRole('button', { name: /^dev 111122223333/ }).click();
    await darkPage.getByRole('list', { name: 'Your roles in dev' }).getByRole('listitem').first().waitFor();
    // Bob reads only: dev and prod, ReadOnly.
    expect(await text(darkPage.getByRole('list', { name: 'Your roles in dev' }))).not.toContain(
      'AdministratorAccess',
    );
    await darkPage.getByText('2 accounts').waitFor();
    expect(await axeViolations(darkPage)).toEqual([]);
    await screenshot(darkPage, '04-roles-dark');
    await darkPage.getByRole('button', { name: 'Get credentials for ReadOnly in dev' }).click();
    await darkPage.getByTestId('export-lines').waitFor();
    expect(await axeViolations(darkPage)).toEqual([]);
    await screenshot(darkPage, '05-credentials-dark');
  });
  it('fits a phone screen: nothing scrolls sideways', async ({ expect, onTestFinished }) => {
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await readUserCode(page);
    await page.getByRole('img', { name: 'QR code of the verification page' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, '02-code-phone');
    const tab = await openVerificationPage(page);
    await decideOnEmulator(tab);
    await tab.close();
    await page.getByRole('button', { name: /^dev 111122223333/ }).click();
    await page.getByRole('list', { name: 'Your roles in dev' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '04-roles-phone');
    await page.getByRole('button', { name: 'Get credentials for ReadOnly in dev' }).click();
    await page.getByTestId('export-lines').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, '05-credentials-phone');
  });
});
