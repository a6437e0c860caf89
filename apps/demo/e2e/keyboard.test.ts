/**
 * The demo by keyboard alone: Tab, Shift+Tab, Enter, Space, Escape and the arrow keys, never a click nor a
 * `focus()` call. At each step: where focus is (by role and accessible name), that it is visible, that nothing
 * focusable is hidden, and what the one live region says (read from Chromium's accessibility tree, so a region a
 * modal dialog made inert counts as silent). Also the reflow of the demo and of the emulator's verification page
 * at 200% zoom (640 CSS px) and 320 px, and reduced motion.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, type ExpectStatic, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  readUserCode,
  screenshot,
  signInOnEmulator,
  text,
} from './support/browser.ts';
import { openDemoPage } from './support/fixture.ts';
import {
  focusProblems,
  hiddenFocusables,
  isFocused,
  liveRegions,
  pressUntilFocused,
} from './support/keyboard.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Focus is on `name` (a `role`), visibly, and no focusable element anywhere is hidden. */
async function expectFocusOn(
  expect: ExpectStatic,
  page: Page,
  role: Parameters<Page['getByRole']>[0],
  name: string | RegExp,
): Promise<void> {
  const target = page.getByRole(role, { name, exact: typeof name === 'string' });
  expect(await focusProblems(page, target)).toEqual([]);
  expect(await hiddenFocusables(page)).toEqual([]);
}

/** The page has exactly one live region a screen reader hears, and it says `sentence` (polled: it settles). */
async function expectLive(expect: ExpectStatic, page: Page, sentence: string | RegExp): Promise<void> {
  await expect
    .poll(() => liveRegions(page))
    .toEqual([typeof sentence === 'string' ? sentence : expect.stringMatching(sentence)]);
}

/** Opens the verification page with Enter on the focused link; returns the new tab. */
async function openByKeyboard(page: Page): Promise<Page> {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
  await tab.waitForLoadState();
  return tab;
}

/**
 * On the emulator's verification page, by keyboard: Tab to the code (checked), Tab to Continue and Enter; the
 * first user's radio, arrow keys to `user`, Tab to the decision and Space. Returns the result page's text.
 */
async function decideByKeyboard(
  expect: ExpectStatic,
  tab: Page,
  userCode: string,
  decision: 'Allow access' | 'Deny',
  user: 'Alice Admin' | 'Bob Reader' = 'Alice Admin',
): Promise<string> {
  const codeBox = tab.getByRole('textbox', { name: 'Code' });
  await pressUntilFocused(tab, codeBox);
  expect((await codeBox.inputValue()).toUpperCase()).toBe(userCode);
  await tab.keyboard.press('Tab');
  await expectFocusOn(expect, tab, 'button', 'Continue');
  await tab.keyboard.press('Enter');

  const users = tab.getByRole('group', { name: 'Sign in as' });
  await users.waitFor();
  expect(await axeViolations(tab)).toEqual([]);
  // The checked radio (the first user) is the group's one tab stop; arrows move and check.
  await pressUntilFocused(tab, users.getByRole('radio', { name: 'Alice Admin' }));
  await tab.keyboard.press('ArrowDown');
  await expectFocusOn(expect, tab, 'radio', 'Bob Reader');
  expect(await users.getByRole('radio', { name: 'Bob Reader' }).isChecked()).toBe(true);
  if (user === 'Alice Admin') {
    await tab.keyboard.press('ArrowUp');
    await expectFocusOn(expect, tab, 'radio', 'Alice Admin');
  }
  expect(await users.getByRole('radio', { name: user }).isChecked()).toBe(true);
  await pressUntilFocused(tab, tab.getByRole('button', { name: decision }));
  await expectFocusOn(expect, tab, 'button', decision);
  await tab.keyboard.press('Space');
  await tab.getByRole('status').getByText('You can close this window').waitFor();
  return text(tab.getByRole('main'));
}

describe.concurrent('the demo by keyboard alone', () => {
  it('signs in, copies, approves, opens credentials, refreshes and signs out without a mouse', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await signIn.waitFor();
    expect(await liveRegions(page)).toEqual(['You are not signed in.']);

    // The skip link comes first and shows itself when focused.
    await page.keyboard.press('Tab');
    await expectFocusOn(expect, page, 'link', 'Skip to content');
    await pressUntilFocused(page, signIn);
    await expectFocusOn(expect, page, 'button', 'Sign in');

    // Enter: the button is gone, so the prompt moves focus to Cancel, its first action now.
    await page.keyboard.press('Enter');
    const userCode = await readUserCode(page);
    await expectFocusOn(expect, page, 'button', 'Cancel');
    await expectLive(expect, page, 'Waiting for you to approve the sign-in.');

    // Shift+Tab back to "Copy code"; Space copies, the button and the live region say so.
    await pressUntilFocused(page, page.getByRole('button', { name: 'Copy code' }), { key: 'Shift+Tab' });
    await page.keyboard.press('Space');
    await expectLive(expect, page, 'Waiting for you to approve the sign-in. Copied');
    await expectFocusOn(expect, page, 'button', 'Copied');
    expect((await page.evaluate(() => navigator.clipboard.readText())).replace(/\s+/g, '')).toBe(userCode);

    // Tab to the link, Enter opens the verification page in a new tab; approve there by keyboard.
    await page.keyboard.press('Tab');
    await expectFocusOn(expect, page, 'link', 'Open the verification page (opens in a new tab)');
    const tab = await openByKeyboard(page);
    expect(await decideByKeyboard(expect, tab, userCode, 'Allow access')).toContain('Request approved');
    await tab.close();

    // Back on the demo: focus on the new screen's heading, the signed-in screen's live region present and quiet.
    await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
    await expectFocusOn(expect, page, 'heading', 'AWS accounts');
    expect(await liveRegions(page)).toEqual(['']);

    // An account opens with Enter; its roles' buttons come next in the tab order.
    const dev = page.getByRole('button', { name: /^dev 111122223333/ });
    await page.getByText('3 accounts').waitFor();
    await pressUntilFocused(page, dev);
    await expectFocusOn(expect, page, 'button', /^dev 111122223333/);
    await page.keyboard.press('Enter');
    expect(await dev.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('list', { name: 'Your roles in dev' }).getByRole('listitem').first().waitFor();
    await page.keyboard.press('Tab');
    await expectFocusOn(expect, page, 'button', 'Get credentials for AdministratorAccess in dev');

    // The dialog: focus goes in, Tab and Shift+Tab stay in it.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Credentials for AdministratorAccess' });
    const exportLines = dialog.getByTestId('export-lines');
    await exportLines.waitFor();
    await expectFocusOn(expect, page, 'button', 'Close');
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('dialog[open]'));
    const seen = new Set<string>();
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      // Chromium lets Tab leave a modal dialog for the browser's own UI (here: <body>), never for the page.
      if (!(await inDialog())) {
        expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
        continue;
      }
      seen.add((await page.evaluate(() => document.activeElement?.textContent ?? '')).trim());
    }
    expect([...seen]).toEqual(
      expect.arrayContaining(['Close', 'Copy the export commands', 'Copy AWS access key ID', 'Done']),
    );

    // Copy the exports: the clipboard has them, and the one live region, inside the dialog, says so.
    await pressUntilFocused(page, dialog.getByRole('button', { name: 'Copy the export commands' }));
    await page.keyboard.press('Enter');
    await expectFocusOn(expect, page, 'button', 'Copied the export commands');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await text(exportLines));
    await expectLive(expect, page, 'Copied the export commands.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'keyboard-05-credentials');

    // Escape closes it and gives focus back to the button that opened it, visibly.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocusOn(expect, page, 'button', 'Get credentials for AdministratorAccess in dev');
    expect(await liveRegions(page)).toHaveLength(1);

    // Refresh now, by Enter; focus stays on it, the outcome is announced.
    const refresh = page.getByRole('button', { name: 'Refresh now' });
    await pressUntilFocused(page, refresh);
    await page.keyboard.press('Enter');
    await expectLive(
      expect,
      page,
      /^(Session refreshed\.|Not refreshed: the session was refreshed less than 30 seconds ago\. Try again in a moment\.)$/,
    );
    await expectFocusOn(expect, page, 'button', 'Refresh now');

    // Sign out: focus on the sign-in screen's heading, its live region (the prompt's) the only one.
    await page.keyboard.press('Tab');
    await expectFocusOn(expect, page, 'button', 'Sign out');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Sign in to your AWS accounts' }).waitFor();
    await expectFocusOn(expect, page, 'heading', 'Sign in to your AWS accounts');
    await expectLive(expect, page, 'You are not signed in.');
    await expect.poll(() => aws.count('Logout')).toBe(1);
  });

  it('cancels, and starts again after a denial and an expired code, by keyboard', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await signIn.waitFor();
    await pressUntilFocused(page, signIn);

    // Cancel: focus goes back to "Sign in".
    await page.keyboard.press('Enter');
    await readUserCode(page);
    await expectFocusOn(expect, page, 'button', 'Cancel');
    await page.keyboard.press('Enter');
    await expectFocusOn(expect, page, 'button', 'Sign in');
    await expectLive(expect, page, 'You are not signed in.');

    // Denied on the verification page: "Try again" takes the focus the vanished link had.
    await page.keyboard.press('Enter');
    const userCode = await readUserCode(page);
    await pressUntilFocused(page, page.getByRole('link', { name: /Open the verification page/ }), {
      key: 'Shift+Tab',
    });
    const tab = await openByKeyboard(page);
    // A mistyped code first: the error page puts focus on the field to correct, which names the error.
    const codeBox = tab.getByRole('textbox', { name: 'Code' });
    await pressUntilFocused(tab, codeBox);
    await tab.keyboard.press('ControlOrMeta+A');
    await tab.keyboard.type('BBBB-BBBB');
    await tab.keyboard.press('Enter');
    await tab.getByRole('alert').getByText('That code is not valid.').waitFor();
    await expectFocusOn(expect, tab, 'textbox', 'Code');
    expect(await codeBox.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(tab)).toEqual([]);
    await tab.keyboard.press('ControlOrMeta+A');
    await tab.keyboard.type(userCode);
    expect(await decideByKeyboard(expect, tab, userCode, 'Deny')).toContain('Request denied');
    await tab.close();
    await expectLive(expect, page, 'The sign-in was denied.');
    await expectFocusOn(expect, page, 'button', 'Try again');

    // Try again: a new code; it expires; "Get a new code" has focus.
    await page.keyboard.press('Enter');
    const secondCode = await readUserCode(page);
    expect(secondCode).not.toBe(userCode);
    await expectFocusOn(expect, page, 'button', 'Cancel');
    await aws.expire(secondCode);
    await expectLive(expect, page, 'The code expired before it was approved.');
    await expectFocusOn(expect, page, 'button', 'Get a new code');
    expect(await axeViolations(page)).toEqual([]);

    // Get a new code, approve it as Bob by keyboard: signed in.
    await page.keyboard.press('Enter');
    const thirdCode = await readUserCode(page);
    await expectLive(expect, page, 'Waiting for you to approve the sign-in.');
    await pressUntilFocused(page, page.getByRole('link', { name: /Open the verification page/ }), {
      key: 'Shift+Tab',
    });
    const thirdTab = await openByKeyboard(page);
    await decideByKeyboard(expect, thirdTab, thirdCode, 'Allow access', 'Bob Reader');
    await thirdTab.close();
    await page.getByText('2 accounts').waitFor();
    await expectFocusOn(expect, page, 'heading', 'AWS accounts');
  });

  it('retries by keyboard: Retry keeps focus while it works, and each failure is said', async ({
    expect,
    onTestFinished,
  }) => {
    const { page, aws } = await openDemoPage({ onTestFinished }, browser);
    // A 400 is not retried by the portal hooks: the first load and the first Retry fail, the second Retry works.
    await aws.fault({ operation: 'ListAccounts', error: 'InvalidRequestException', count: 2 });
    await signInOnEmulator(page);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await expectLive(expect, page, /^Could not load your AWS accounts\. \S/);
    const retry = page.getByRole('button', { name: 'Retry' });
    await pressUntilFocused(page, retry);
    await page.keyboard.press('Enter');
    await expect.poll(() => aws.count('ListAccounts')).toBe(2);
    await expectLive(expect, page, /^Could not load your AWS accounts\. \S/);
    await expectFocusOn(expect, page, 'button', 'Retry');
    await page.keyboard.press('Enter');
    await page.getByText('3 accounts').waitFor();
    // The Retry button is gone with the error: focus goes to the accounts, not to <body>.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'AWS accounts',
    );
  });

  for (const width of [640, 320]) {
    it(`reflows at ${width} CSS px (${width === 640 ? '200% zoom' : '320 px'}): no sideways scroll, every control reachable`, async ({
      expect,
      onTestFinished,
    }) => {
      const { page } = await openDemoPage({ onTestFinished }, browser);
      await page.setViewportSize({ width, height: 640 });
      const overflow = (on: Page) =>
        on.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
      await signIn.waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await pressUntilFocused(page, signIn);
      await page.keyboard.press('Enter');
      const userCode = await readUserCode(page);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await hiddenFocusables(page)).toEqual([]);
      // Every control of the prompt is reached by Tab and seen within the viewport (pressUntilFocused checks).
      await pressUntilFocused(page, page.getByRole('button', { name: 'Copy code' }), { key: 'Shift+Tab' });
      await pressUntilFocused(page, page.getByRole('link', { name: /Open the verification page/ }));
      const [tab] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
      await tab.setViewportSize({ width, height: 640 });
      await tab.waitForLoadState();
      expect(await overflow(tab)).toBeLessThanOrEqual(0);
      await pressUntilFocused(tab, tab.getByRole('button', { name: 'Continue' }));
      await tab.keyboard.press('Enter');
      await tab.getByRole('group', { name: 'Sign in as' }).waitFor();
      expect(await overflow(tab)).toBeLessThanOrEqual(0);
      expect(await text(tab.locator('.code'))).toBe(userCode);
      await pressUntilFocused(tab, tab.getByRole('button', { name: 'Deny' }));
      if (width === 320) await screenshot(tab, 'keyboard-emulator-320');
      await pressUntilFocused(tab, tab.getByRole('button', { name: 'Allow access' }), { key: 'Shift+Tab' });
      await tab.keyboard.press('Enter');
      await tab.getByText('You can close this window').waitFor();
      expect(await overflow(tab)).toBeLessThanOrEqual(0);
      await tab.close();

      await page.getByRole('heading', { level: 1, name: 'AWS accounts', exact: true }).waitFor();
      await pressUntilFocused(page, page.getByRole('button', { name: /^dev 111122223333/ }));
      await page.keyboard.press('Enter');
      await page.getByRole('list', { name: 'Your roles in dev' }).getByRole('listitem').first().waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // The session's controls, below the accounts on a narrow screen, are reached and scrolled into view.
      await pressUntilFocused(page, page.getByRole('button', { name: 'Sign out' }));
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await pressUntilFocused(
        page,
        page.getByRole('button', { name: 'Get credentials for ReadOnly in dev' }),
        {
          key: 'Shift+Tab',
        },
      );
      await page.keyboard.press('Enter');
      await page.getByTestId('export-lines').waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await pressUntilFocused(page, page.getByRole('button', { name: 'Done' }));
      if (width === 320) await screenshot(page, 'keyboard-credentials-320');
      await page.keyboard.press('Enter');
      expect(await isFocused(page.getByRole('button', { name: 'Get credentials for ReadOnly in dev' }))).toBe(
        true,
      );
    });
  }

  it('does not animate when the person asks for reduced motion', async ({ expect, onTestFinished }) => {
    // newContext emulates prefers-reduced-motion: reduce.
    const { page } = await openDemoPage({ onTestFinished }, browser);
    await signInOnEmulator(page);
    await page.getByRole('button', { name: /^dev 111122223333/ }).click();
    await page.getByRole('list', { name: 'Your roles in dev' }).waitFor();
    const moving = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('body *')].flatMap((element) => {
        const style = getComputedStyle(element);
        const seconds = (list: string) =>
          Math.max(...list.split(',').map((value) => Number.parseFloat(value)));
        const animated = style.animationName !== 'none' && seconds(style.animationDuration) > 0;
        const transitioned = seconds(style.transitionDuration) > 0;
        return animated || transitioned ? [`${element.tagName.toLowerCase()}.${element.className}`] : [];
      }),
    );
    expect(moving).toEqual([]);
  });
});
