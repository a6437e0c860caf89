import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Git-ignored; the key screens are written here on every run, named by screen. */
export const OUTPUT_DIR = path.resolve(import.meta.dirname, '../../e2e-output');

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. The demo's end-to-end tests drive Debian's Chromium: run ` +
        '`node scripts/ensure-chromium.mjs` (pnpm test does), or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh profile (own localStorage) with a fixed locale, time zone and window, and clipboard access for `origin`. */
export async function newContext(
  browser: Browser,
  origin: string,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // Shorter than the test timeout, so a stuck wait fails with the locator it waited for.
  context.setDefaultTimeout(15_000);
  return context;
}

/** Writes `e2e-output/<name>.png` (the whole page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(OUTPUT_DIR, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (all rules: WCAG 2.x A/AA and best practices) and returns its violations as readable
 * lines, so a failing assertion says what and where. `include` limits it to part of the page (an open dialog).
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated rather than added as a <script>: the emulator's pages forbid inline scripts (CSP default-src 'none').
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } })
      .axe;
    const result = (await axe.run(selector ? { include: [selector] } : document, {
      resultTypes: ['violations'],
    })) as { violations: AxeViolation[] };
    return result.violations;
  }, include ?? null);
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(node.target)}`,
    ),
  );
}

/** The code shown in the prompt, as the person reads it (`BCDF-GHJK`). */
export async function readUserCode(page: Page): Promise<string> {
  const code = page.getByRole('group', { name: 'Your code' }).locator('[data-odl-part="code"]');
  await code.waitFor();
  return (await text(code)).replace(/\s+/g, '');
}

/** Clicks "Open the verification page" and returns the tab it opened. */
export async function openVerificationPage(page: Page): Promise<Page> {
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: /Open the verification page/ }).click(),
  ]);
  await tab.waitForLoadState();
  return tab;
}

/**
 * On the emulator's verification page (opened with the code filled in): Continue, choose the user, then Allow
 * access or Deny. Waits for the result page.
 */
export async function decideOnEmulator(
  tab: Page,
  options: { user?: string; decision?: 'Allow access' | 'Deny'; expectedCode?: string } = {},
): Promise<string> {
  const codeBox = tab.getByRole('textbox', { name: 'Code' });
  if (options.expectedCode !== undefined) {
    const filled = (await codeBox.inputValue()).toUpperCase();
    if (filled !== options.expectedCode) {
      throw new Error(`The verification page shows ${filled}, the demo ${options.expectedCode}`);
    }
  }
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab
    .getByRole('group', { name: 'Sign in as' })
    .getByRole('radio', { name: options.user ?? 'Alice Admin' })
    .check();
  await tab.getByRole('button', { name: options.decision ?? 'Allow access' }).click();
  const result = tab.getByRole('main');
  await result.getByText('You can close this window').waitFor();
  return text(result);
}

/** The text of the (first) element `locator` finds; `''` when it has none. */
export async function text(locator: Locator): Promise<string> {
  return (await locator.first().textContent()) ?? '';
}

/**
 * The whole sign-in on the emulator, as a person does it: "Sign in", open the verification page, allow as `user`,
 * close that tab, wait for the signed-in screen (`heading`). Returns the code that was approved.
 */
export async function signInOnEmulator(
  page: Page,
  options: { user?: string; heading?: string } = {},
): Promise<string> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const userCode = await readUserCode(page);
  const tab = await openVerificationPage(page);
  await decideOnEmulator(tab, { user: options.user, expectedCode: userCode });
  await tab.close();
  await page
    .getByRole('heading', { level: 1, name: options.heading ?? 'AWS accounts', exact: true })
    .waitFor();
  return userCode;
}
