import { beforeAll, describe, expect, it } from 'vitest';
import { afterStopFigure } from '../figures/afterStop.ts';
import { refreshFigure } from '../figures/refresh.ts';
import { renderRows, rendersFigure } from '../figures/renders.ts';
import type { FigureContext, Row } from '../harness.ts';
import { runFigure } from '../runFigure.ts';
import { fixtureContext, repoRoot } from './fixtureContext.ts';

/**
 * The figures that need the whole kit, run against the repository's own core, emulator and React bindings (the
 * stand-ins have no cross-tab, refresh or React parts). Their numbers are checked against what can be known
 * independently: the emulator's own record, the simulated time watched, the countdown seconds shown.
 */
let ctx: FigureContext;
beforeAll(async () => {
  ctx = await fixtureContext(5, repoRoot);
}, 60_000);

const byId = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.id, r]));

describe('after-stop', () => {
  it('counts what is sent after each stop, over 5 simulated minutes', async () => {
    const result = await runFigure(afterStopFigure, ctx);
    const rows = byId(result.rows);
    expect(Object.keys(rows)).toEqual([
      'cancel',
      'cancel-registering',
      'dispose',
      'unmount-app-owned',
      'unmount-hook-owned',
      'unmount-login-kept',
    ]);
    // Every scenario stopped a flow that had really run (the figure throws otherwise).
    for (const row of result.rows) expect(row.value, `${row.id}: ${row.note}`).toEqual(expect.any(Number));
    expect(rows.cancel?.detail).toMatchObject({ 'before.start': 1, 'before.token': 1, statusAfter: 'idle' });
    expect(rows['cancel-registering']?.detail).toMatchObject({ 'before.register': 1, 'before.start': 0 });
    // A login nobody stops goes on polling at its interval (1 s): the watch sees 300 polls in 5 minutes. So a 0
    // elsewhere is a flow that stopped, not a watch that saw nothing.
    expect(rows['unmount-login-kept']).toMatchObject({ value: 300, status: 'info' });
    for (const row of result.rows.filter((r) => r.goal)) {
      expect(row.status).toBe(row.value === 0 ? 'pass' : 'fail');
    }
  });
});

describe('refresh', () => {
  it('counts refresh grants as the emulator records them, with 50 callers and 3 tabs', async () => {
    const result = await runFigure(refreshFigure, ctx);
    const rows = result.rows;
    expect(rows.map((r) => r.id)).toEqual(['concurrent-callers', 'tabs-timers', 'tabs-callers']);
    for (const row of rows) {
      expect(row.value, `${row.id}: ${row.note}`).toEqual(expect.any(Number));
      expect(row.value).toBe(row.detail?.emulatorRecorded);
      expect(row.status).toBe(row.value === 1 ? 'pass' : 'fail');
    }
    expect(rows[1]?.label).toContain('simulated in one process');
  });
});

describe('renders', () => {
  it('counts the commits of a real login in the drop-in prompt, and one per countdown second', async () => {
    const result = await runFigure(rendersFigure, ctx);
    const rows = byId(result.rows);
    expect(rows['per-login']?.detail?.statuses).toBe(
      'idle → registering → authorizing → awaitingUser → authenticated',
    );
    const tick = rows['per-tick']!;
    // 10 simulated seconds with the code shown: 10 countdown texts, 10 polls in between.
    expect(tick.detail).toMatchObject({ countdownTexts: 10, polls: 10 });
    // Each countdown second is at least one visible change; a commit per second at the least.
    expect(tick.anchor?.value).toBeGreaterThanOrEqual(10);
    expect(tick.value).toBeGreaterThanOrEqual(tick.anchor?.value ?? 0);
    const login = rows['per-login']!;
    expect(login.value).toBeGreaterThanOrEqual(tick.value ?? 0);
  });

  it('fails a run that commits more often than the DOM changes', () => {
    const [perLogin, perTick] = renderRows({
      loginCommits: 20,
      loginVisible: 15,
      loginText: 14,
      tickCommits: 10,
      tickVisible: 10,
      tickText: 10,
      countdownTexts: 10,
      polls: 10,
      statuses: [],
      finalStatus: 'authenticated',
    });
    expect(perLogin).toMatchObject({ status: 'fail', ratio: 20 / 15, goal: { max: 15 } });
    expect(perTick).toMatchObject({ status: 'pass', ratio: 1 });
  });
});
