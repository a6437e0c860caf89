import { describe, expect, it } from 'vitest';
import { installDom } from '../dom.ts';
import { installFakeClock } from '../fakeClock.ts';
import { textChanges, visibleChanges } from '../reactTree.ts';

const commit = (html: string) => ({ phase: 'update', html });

describe('visibleChanges', () => {
  it('counts the commits that changed the DOM, the first against the empty container', () => {
    const commits = ['<p>a</p>', '<p>a</p>', '<p class="x">a</p>', '<p>b</p>'].map(commit);
    expect(visibleChanges(commits)).toBe(3);
    expect(visibleChanges(commits, '<p>a</p>')).toBe(2);
    expect(visibleChanges([])).toBe(0);
  });

  it('reads text only in textChanges: an attribute change is not a text change', () => {
    const commits = ['<p>a</p>', '<p class="x">a</p>', '<p>a <b>b</b></p>'].map(commit);
    expect(textChanges(commits)).toBe(2);
    expect(textChanges(commits, '<div>a</div>')).toBe(1);
  });
});

describe('installDom', () => {
  it('adds the DOM globals Node lacks and removes them all again', async () => {
    const nodeFetch = globalThis.fetch;
    const dom = installDom();
    expect(typeof window).toBe('object');
    expect(globalThis.document).toBe(dom.document);
    expect(typeof HTMLElement).toBe('function');
    // Node's own globals stay.
    expect(globalThis.fetch).toBe(nodeFetch);
    await dom.uninstall();
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    expect(typeof HTMLElement).toBe('undefined');
  });
});

describe('installFakeClock', () => {
  it('fires timers as simulated time passes, moves Date, and jumps without firing', async () => {
    const clock = installFakeClock(Date.UTC(2026, 0, 1));
    try {
      const fired: number[] = [];
      setTimeout(() => fired.push(Date.now()), 1500);
      await clock.advance(1000);
      expect(fired).toEqual([]);
      await clock.advance(1000);
      expect(fired).toEqual([Date.UTC(2026, 0, 1) + 1500]);
      setTimeout(() => fired.push(-1), 10_000);
      clock.jump(60_000);
      await clock.settle();
      expect(fired).toHaveLength(1);
      expect(Date.now()).toBe(Date.UTC(2026, 0, 1) + 62_000);
    } finally {
      clock.uninstall();
    }
    expect(Date.now()).toBeGreaterThan(Date.UTC(2026, 0, 2));
  });
});
