import { createEmulator } from '@oidc-device-login/emulator';
import fc from 'fast-check';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { awsSsoOidc } from '../awsSsoOidc.ts';
import { createDeviceLogin } from '../createDeviceLogin.ts';
import { isTransientError } from '../errors.ts';
import { statusOf } from '../selectView.ts';

/**
 * Random server scripts against the emulator (in-process fetch, fault injection, fake timers), checking the
 * invariants of the machine over 1,000 runs.
 */

const KINDS = [
  'pending',
  'slow_down',
  'server_error',
  'throttled',
  'drop',
  'approve',
  'deny',
  'expire',
  'cancel',
] as const;
type Kind = (typeof KINDS)[number];
const TERMINAL: readonly Kind[] = ['approve', 'deny', 'expire', 'cancel'];
const EXPECTED: Record<string, string> = {
  approve: 'authenticated',
  deny: 'denied',
  expire: 'expired',
  cancel: 'idle',
};
const FINAL = new Set(['authenticated', 'denied', 'expired', 'error', 'idle']);

const script = fc.record({
  interval: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer(),
  actions: fc.array(
    fc.record({ kind: fc.constantFrom(...KINDS), waitMs: fc.integer({ min: 0, max: 8000 }) }),
    { maxLength: 8 },
  ),
});

/** A small deterministic PRNG for the jitter, seeded by fast-check so failures replay. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

it('keeps its invariants over random server scripts', { timeout: 300_000 }, async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(script, async ({ interval, seed, actions }) => {
      runs++;
      const firstTerminal = actions.find((a) => TERMINAL.includes(a.kind))?.kind;
      // A terminal action gets a long code lifetime so faults cannot push the outcome past it; without one the
      // code expires (short lifetime, to keep the run fast).
      const emulator = createEmulator({ interval, deviceCodeTtl: firstTerminal ? 900 : 60 });
      let inFlight = 0;
      let maxInFlight = 0;
      let started = 0;
      const fetch: typeof emulator.fetch = async (input, init) => {
        started++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await emulator.fetch(input, init);
        } finally {
          inFlight--;
        }
      };
      const provider = awsSsoOidc({
        region: 'us-east-1',
        startUrl: 'https://d-1234567890.awsapps.com/start',
        clientName: 'property',
        endpoint: emulator.config.baseUrl,
        portalEndpoint: emulator.config.baseUrl,
        fetch,
      });
      const login = createDeviceLogin({ provider, random: mulberry32(seed) });
      const violations: string[] = [];
      let endedAfter: number | undefined;
      login.actor.subscribe((snapshot) => {
        const status = statusOf(snapshot);
        if (snapshot.context.session && status !== 'authenticated') violations.push(`tokens while ${status}`);
      });
      login.subscribe((view) => {
        if (view.session && view.status !== 'authenticated')
          violations.push(`session in view while ${view.status}`);
        if (endedAfter === undefined && FINAL.has(view.status) && view.status !== 'idle')
          endedAfter = started;
      });

      login.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(login.getView().status).toBe('awaitingUser');
      const userCode = login.getView().userCode!;
      let applied: Kind | undefined;
      for (const { kind, waitMs } of actions) {
        if (endedAfter !== undefined) break;
        switch (kind) {
          case 'pending':
            break;
          case 'slow_down':
            emulator.fault({ operation: 'CreateToken', error: 'SlowDownException' });
            break;
          case 'server_error':
            emulator.fault({ operation: 'CreateToken', error: 'InternalServerException' });
            break;
          case 'throttled':
            emulator.fault({ operation: 'CreateToken', error: 'TooManyRequestsException', status: 429 });
            break;
          case 'drop':
            emulator.fault({ operation: 'CreateToken', drop: true });
            break;
          case 'approve':
          case 'deny':
          case 'expire':
            if (!applied) {
              applied = kind;
              if (kind === 'approve') emulator.approve({ userCode });
              else if (kind === 'deny') emulator.deny({ userCode });
              else emulator.expire({ userCode });
            }
            break;
          case 'cancel':
            if (!applied) {
              applied = kind;
              login.cancel();
              endedAfter = started;
            }
            break;
          default:
            kind satisfies never;
        }
        await vi.advanceTimersByTimeAsync(waitMs);
      }
      // Let the machine reach its outcome, then keep the clock running to catch any stray request.
      for (let i = 0; i < 200 && endedAfter === undefined; i++) await vi.advanceTimersByTimeAsync(10_000);
      await vi.advanceTimersByTimeAsync(120_000);

      const view = login.getView();
      if (applied) {
        expect(view.status).toBe(EXPECTED[applied]);
      } else {
        expect(['expired', 'error']).toContain(view.status);
        if (view.status === 'error') expect(isTransientError(view.error)).toBe(true);
      }
      expect(violations).toEqual([]);
      expect(maxInFlight).toBe(1);
      expect(endedAfter).toBeDefined();
      expect(started).toBe(endedAfter);

      // Never sooner than the current interval: gaps between polls against the interval the machine had then.
      const polls = emulator
        .requests()
        .filter((r) => (r.body as { grantType?: string } | undefined)?.grantType?.endsWith(':device_code'));
      let current = interval;
      for (let i = 1; i < polls.length; i++) {
        if (polls[i - 1]!.errorType === 'SlowDownException') current += 5;
        expect(polls[i]!.time - polls[i - 1]!.time).toBeGreaterThanOrEqual(current * 1000);
      }
      // The emulator answers SlowDownException by itself to a client that polls too fast: never seen.
      expect(polls.filter((r) => r.errorType === 'SlowDownException' && !r.fault)).toEqual([]);
      login.dispose();
    }),
    { numRuns: 1000 },
  );
  expect(runs).toBe(1000);
});
