import type { CDPSession, Locator, Page } from 'playwright-core';

/** What a keyboard user sees of the focused element, and what is wrong with it (empty when nothing is). */
export interface FocusStop {
  /** `tag "text"`, for messages. */
  label: string;
  problems: string[];
}

/**
 * The focused element and its problems: no focus at all (`<body>`), no `:focus-visible` indicator (a non-none
 * outline or box-shadow on it, or on the label a visually hidden radio draws its focus on), out of the viewport,
 * too small to see, or inside `aria-hidden`. A `tabindex="-1"` target (a heading focus was moved to) needs no
 * indicator: it is not a control.
 */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { label: '<body>', problems: ['nothing is focused'] };
    const label = `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 60)}"`;
    const problems: string[] = [];
    if (element.closest('[aria-hidden="true"]')) problems.push('inside aria-hidden');
    if (element.getAttribute('tabindex') !== '-1') {
      if (!element.matches(':focus-visible')) problems.push('not :focus-visible');
      // A visually hidden radio (opacity 0) draws its focus ring on the label text after it.
      const indicator =
        getComputedStyle(element).opacity === '0' && element.nextElementSibling instanceof HTMLElement
          ? element.nextElementSibling
          : element;
      const style = getComputedStyle(indicator);
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
      if (!outline && style.boxShadow === 'none') problems.push('no outline or box-shadow');
      const box = indicator.getBoundingClientRect();
      if (box.width < 4 || box.height < 4) problems.push(`too small to see (${box.width}×${box.height})`);
      if (box.right <= 0 || box.bottom <= 0 || box.left >= innerWidth || box.top >= innerHeight) {
        problems.push('outside the viewport');
      }
    }
    return { label, problems };
  });
}

/**
 * Presses `key` until `target` has focus, checking every stop on the way ({@link focusStop}). Throws, naming the
 * stops, when `target` is not reached in `max` presses; returns the stops' labels.
 */
export async function pressUntilFocused(
  page: Page,
  target: Locator,
  options: { key?: string; max?: number } = {},
): Promise<string[]> {
  const { key = 'Tab', max = 25 } = options;
  const visited: string[] = [];
  for (let press = 0; press < max; press++) {
    await page.keyboard.press(key);
    const stop = await focusStop(page);
    visited.push(stop.label);
    // <body> between the last control and the first is the browser's own stop at the end of the page.
    if (stop.problems.length > 0 && stop.label !== '<body>') {
      throw new Error(`Focus stop ${stop.label} after ${key}: ${stop.problems.join(', ')}`);
    }
    if (await isFocused(target)) return visited;
  }
  throw new Error(`${key} × ${max} never reached ${target}; focus went through ${visited.join(' → ')}`);
}

/** Whether `target` (one element) is the focused element. */
export function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === element.ownerDocument.activeElement);
}

/**
 * `[]` when `target` has focus and shows it; otherwise what is wrong, for `expect(…).toEqual([])`.
 */
export async function focusProblems(page: Page, target: Locator): Promise<string[]> {
  const stop = await focusStop(page);
  if (!(await isFocused(target))) return [`focus is on ${stop.label}, not ${target}`];
  return stop.problems;
}

/**
 * Tabbable elements a keyboard user would land on without seeing them: inside `aria-hidden`, or drawn smaller than
 * 2 px (clipped away). Elements made inert (by `inert` or an open modal dialog) are skipped: focus cannot go there.
 */
export function hiddenFocusables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const modal = document.querySelector('dialog:modal');
    const candidates = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]',
    );
    return [...candidates]
      .filter((element) => element.tabIndex >= 0 && !(element as HTMLButtonElement).disabled)
      .filter((element) => !(element instanceof HTMLInputElement && element.type === 'hidden'))
      .filter((element) => element.checkVisibility({ visibilityProperty: true }))
      .filter((element) => !element.closest('[inert]') && (!modal || modal.contains(element)))
      .flatMap((element) => {
        const label = `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 60)}"`;
        const box = element.getBoundingClientRect();
        if (element.closest('[aria-hidden="true"]')) return [`${label} is inside aria-hidden`];
        if (box.width < 2 || box.height < 2) return [`${label} is ${box.width}×${box.height}`];
        return [];
      });
  });
}

const sessions = new WeakMap<Page, CDPSession>();

/**
 * The text of every live region (`role="status"`, `"alert"`, `"log"` or an `aria-live` other than `off`) that is
 * in the browser's accessibility tree, so a screen reader hears it: not `aria-hidden`, not made inert by an open
 * modal dialog. Read through the Chrome DevTools Protocol, from Chromium's own accessibility tree.
 */
export async function liveRegions(page: Page): Promise<string[]> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
    nodeId: root.nodeId,
    selector: '[role="status"], [role="alert"], [role="log"], [aria-live]:not([aria-live="off"])',
  });
  const texts: string[] = [];
  for (const nodeId of nodeIds) {
    const { node } = await cdp.send('DOM.describeNode', { nodeId });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      backendNodeId: node.backendNodeId,
      fetchRelatives: false,
    });
    const exposed = nodes.some((ax) => ax.backendDOMNodeId === node.backendNodeId && !ax.ignored);
    if (!exposed) continue;
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: 'function () { return this.textContent; }',
      returnByValue: true,
    });
    texts.push(String(result.value ?? '').trim());
  }
  return texts;
}
