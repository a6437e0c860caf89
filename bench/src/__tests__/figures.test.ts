import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latencyFigure, latencyRows } from '../figures/latency.ts';
import { physicalMinimum, requestsFigure } from '../figures/requests.ts';
import { scaleFigure } from '../figures/scale.ts';
import type { FigureOutput } from '../harness.ts';
import { loadKit } from '../kit.ts';
import { round } from '../stats.ts';
import { fixtureContext } from './fixtureContext.ts';

const realSetTimeout = globalThis.setTimeout;

/**
 * Runs a figure while stepping fake time, since its logins poll on timers. Each step also yields one real
 * macrotask, so work that is not timer-driven (module loading, response bodies) keeps pace with fake time.
 */
async function runWithFakeTime(run: () => Promise<FigureOutput>, stepMs = 100, maxMs = 120_000) {
  let done = false;
  const out = run().finally(() => {
    done = true;
  });
  for (let t = 0; !done && t < maxMs; t += stepMs) {
    await new Promise((resolve) => realSetTimeout(resolve, 0));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return out;
}

describe('latencyRows', () => {
  it('judges the median against interval + 50 ms, and only reports the worst sample', () => {
    const [median, max] = latencyRows([900, 1000, 1100], [500, 600, 700], 1);
    expect(median).toMatchObject({ value: 1000, status: 'pass', goal: { max: 1050 } });
    expect(max).toMatchObject({ value: 1100, status: 'info' });
    expect(latencyRows([1000, 1100, 1200], [0, 0, 0], 1)[0]?.status).toBe('fail');
    expect(latencyRows([4000], [4000], 5)[0]?.goal?.max).toBe(5050);
  });
});

describe('physicalMinimum', () => {
  it('is register + start + the polls the interval forces, at least one', () => {
    expect(physicalMinimum({ approveAfter: 0, cachedRegistration: false }, 1)).toBe(3);
    expect(physicalMinimum({ approveAfter: 2.5, cachedRegistration: false }, 1)).toBe(5);
    expect(physicalMinimum({ approveAfter: 3, cachedRegistration: false }, 1)).toBe(5);
    expect(physicalMinimum({ approveAfter: 0, cachedRegistration: true }, 1)).toBe(2);
    expect(physicalMinimum({ approveAfter: 2.5, cachedRegistration: false }, 5)).toBe(3);
  });
});

describe('requests against a stand-in emulator and kit', () => {
  it('requests: counts what the login sent and compares it with the minimum', async () => {
    // The figure runs in simulated time of its own (no vitest fake timers here).
    const ctx = await fixtureContext();
    const { rows } = await requestsFigure.run(ctx);
    // The stand-in polls exactly on the interval and caches registrations in the storage it is given.
    expect(rows.map((r) => [r.id, r.value, r.anchor?.value, r.status])).toEqual([
      ['fresh-approve-at-once', 3, 3, 'pass'],
      ['fresh-approve-2.5s', 5, 5, 'pass'],
      ['cached-registration', 2, 2, 'pass'],
    ]);
    expect(rows[1]?.detail).toMatchObject({ register: 1, start: 1, token: 3, interval: 1 });
  });
});

describe('figures against a stand-in emulator and kit', () => {
  beforeEach(async () => {
    // Load the stand-in modules with real timers first: importing them is real I/O.
    await loadKit((await fixtureContext()).workspace);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('latency: measures the kit and the plain loop on the same emulator', async () => {
    const ctx = await fixtureContext();
    const { rows } = await runWithFakeTime(() => latencyFigure.run(ctx), 10);
    // The median is judged against interval + 50 ms; the worst sample is only reported.
    const [median, max] = rows;
    expect(rows.map((r) => r.id)).toEqual(['median', 'max']);
    expect(median?.goal).toMatchObject({ max: 1050 });
    expect(median?.status).toBe((median?.value ?? Infinity) <= 1050 ? 'pass' : 'fail');
    expect(max?.status).toBe('info');
    for (const row of rows) {
      expect(row.value).toEqual(expect.any(Number));
      expect(row.anchor?.value).toEqual(expect.any(Number));
    }
  });

  it('scale: runs every flow to a token on both sides and reports CPU per poll and heap per flow', async () => {
    const ctx = await fixtureContext(5);
    const { rows, extra } = await runWithFakeTime(() => scaleFigure.run(ctx));
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId.completed).toMatchObject({ value: 5, status: 'pass', anchor: { value: 5 } });
    expect(byId['cpu-per-poll']?.value).toBeGreaterThan(0);
    expect(byId['heap-per-flow']?.value).toEqual(expect.any(Number));
    // 5 flows polling every second through a 5 s window: about 25 polls on each side.
    expect(extra?.kit).toMatchObject({ flows: 5, completed: 5, interval: 1 });
    const kit = extra?.kit as { polls: number };
    expect(kit.polls).toBeGreaterThanOrEqual(20);
    expect(kit.polls).toBeLessThanOrEqual(30);
    // The goals: CPU per poll within 1.5 × the plain loop's (same run), heap per flow within 50 KB.
    const cpu = byId['cpu-per-poll']!;
    expect(cpu.goal?.max).toBe(round((cpu.anchor?.value ?? 0) * 1.5, 1));
    expect(cpu.status).toBe((cpu.value ?? 0) <= (cpu.goal?.max ?? 0) ? 'pass' : 'fail');
    expect(byId['heap-per-flow']?.goal?.max).toBe(50);
  });
});
