import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestContext } from 'vitest';
import type { DemoServerOptions } from '../../server/demoServer.ts';
import { newContext } from './browser.ts';
import { emulatorControl, type RunningDemo, startDemo } from './demo.ts';

export interface DemoPage {
  demo: RunningDemo;
  context: BrowserContext;
  page: Page;
  /** The control API of this server's emulator (emulator mode). */
  aws: ReturnType<typeof emulatorControl>;
}

/**
 * A test's own demo server (so its emulator's faults and request counts are its own), a fresh browser profile and
 * a page on the demo, all closed when the test finishes. Tests using it can run concurrently: pass the test's own
 * context (`it('…', async (test) => openDemoPage(test, browser))`), whose `onTestFinished` belongs to that test.
 */
export async function openDemoPage(
  test: Pick<TestContext, 'onTestFinished'>,
  browser: Browser,
  server: DemoServerOptions = { mode: 'emulator' },
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<DemoPage> {
  const demo = await startDemo(server);
  const context = await newContext(browser, demo.url, options);
  const page = await context.newPage();
  // Uncaught exceptions in the app fail the test, whatever it checked.
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(String(error)));
  test.onTestFinished(async () => {
    await context.close();
    await demo.close();
    if (crashes.length > 0) throw new Error(`The page threw: ${crashes.join('; ')}`);
  });
  await page.goto(demo.url);
  return { demo, context, page, aws: emulatorControl(demo.url) };
}
