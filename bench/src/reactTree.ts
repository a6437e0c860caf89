import { type Dom, installDom } from './dom.ts';
import type { FakeClock } from './fakeClock.ts';
import type { ReactKit, ReactRoot } from './kit.ts';

/** One React commit of the measured tree: its id in the Profiler and the tree's HTML right after it. */
export interface Commit {
  phase: string;
  html: string;
}

/**
 * Commits that changed what the tree shows: each commit whose HTML differs from the HTML before it (the first
 * from an empty container). A commit that changes nothing in the DOM is work nobody can see.
 */
export function visibleChanges(commits: Commit[], before = ''): number {
  let previous = before;
  let changes = 0;
  for (const commit of commits) {
    if (commit.html !== previous) changes += 1;
    previous = commit.html;
  }
  return changes;
}

export interface MountedTree {
  /** Every commit so far, oldest first. */
  commits: Commit[];
  container: Element;
  unmount(): void;
}

/**
 * Renders `element` inside a `<Profiler>` into a fresh container of the installed DOM with `createRoot` (no
 * `act()`: React schedules as in a browser, and the fake clock's `settle()` lets its scheduler run).
 */
export function mountProfiled(react: ReactKit, dom: Dom, element: unknown): MountedTree {
  const container = dom.document.createElement('div');
  dom.document.body.append(container);
  const commits: Commit[] = [];
  const onRender = (_id: string, phase: string) => {
    commits.push({ phase, html: container.innerHTML });
  };
  const root: ReactRoot = react.createRoot(container);
  root.render(react.createElement(react.Profiler, { id: 'measured', onRender }, element));
  return {
    commits,
    container,
    unmount() {
      root.unmount();
      container.remove();
    },
  };
}

/** Commits whose text differs from the text before: a stricter reading of "visible" than the DOM. */
export function textChanges(commits: Commit[], before = ''): number {
  const text = (html: string) =>
    html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return visibleChanges(
    commits.map((c) => ({ ...c, html: text(c.html) })),
    text(before),
  );
}

/**
 * Settles until `ready()` holds (if given) and the tree stops committing, with short real pauses for what is
 * neither a timer nor a promise (the QR code's lazily loaded chunk). Gives up after `maxMs` of real time.
 */
export async function settleTree(
  tree: MountedTree,
  clock: FakeClock,
  ready: () => boolean = () => true,
  maxMs = 5000,
): Promise<void> {
  const started = performance.now();
  let quietRounds = 0;
  while ((quietRounds < 3 || !ready()) && performance.now() - started < maxMs) {
    const before = tree.commits.length;
    await clock.settle();
    await clock.realDelay(20);
    await clock.settle();
    quietRounds = tree.commits.length === before ? quietRounds + 1 : 0;
  }
}

export { installDom };
