import FakeTimers from '@sinonjs/fake-timers';

/** 2026-01-01T00:00:00Z: simulated runs start here, so their numbers do not depend on the day they ran. */
export const SIMULATED_START = Date.UTC(2026, 0, 1);

export interface FakeClock {
  /**
   * Moves simulated time forward, firing each timer due on the way and letting its promises settle after each
   * step of `stepMs` (default 1 s; a longer step for long idle stretches).
   */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Lets promises, in-process responses, BroadcastChannel messages and React's scheduler run; time stands. */
  settle(): Promise<void>;
  /** Sets the wall clock (`Date`) forward without firing timers: a tab that was asleep in the background. */
  jump(ms: number): void;
  /**
   * Waits real time, with simulated time standing: for work that is neither a timer nor a promise (a module
   * loaded through `import()`, such as a lazily loaded chunk).
   */
  realDelay(ms: number): Promise<void>;
  uninstall(): void;
}

/**
 * Fakes `setTimeout`, `setInterval` and `Date` (so the kit's timers and the emulator's clock move together), and
 * leaves `setImmediate`, `queueMicrotask` and `performance` real: React's scheduler and BroadcastChannel deliver on
 * real event-loop turns, which `settle()` gives them. The approach of the core's cross-tab tests
 * (`vi.useFakeTimers({ toFake: [...] })`), with @sinonjs/fake-timers, which vitest also uses, since the bench
 * runs outside vitest.
 */
export function installFakeClock(now = SIMULATED_START): FakeClock {
  const realSetTimeout = globalThis.setTimeout;
  const clock = FakeTimers.withGlobal(globalThis).install({
    now,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await clock.tickAsync(0);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  return {
    async advance(ms, stepMs = 1000) {
      // A step at a time, settling in between: each step's responses arrive before the next timers fire.
      for (let left = ms; left > 0; left -= stepMs) {
        await clock.tickAsync(Math.min(stepMs, left));
        await settle();
      }
    },
    settle,
    jump(ms) {
      clock.setSystemTime(clock.now + ms);
    },
    realDelay: (ms) => new Promise((resolve) => realSetTimeout(resolve, ms)),
    uninstall() {
      clock.uninstall();
    },
  };
}
