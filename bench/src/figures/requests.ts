import { countingFetch } from '../countingFetch.ts';
import { type FakeClock, installFakeClock } from '../fakeClock.ts';
import { errorMessage, type Figure, finishRow, type Row } from '../harness.ts';
import {
  AWS_LOGIN_NEEDS,
  EMULATOR_NEEDS,
  type Emulator,
  type Kit,
  loadKit,
  type RegistrationOnlyStorage,
  registrationOnlyStorage,
} from '../kit.ts';

const INTERVAL_S = 1;
/** Simulated seconds a token may take after approval before the login counts as stuck. */
const TIMEOUT_S = 30;

interface Scenario {
  id: string;
  label: string;
  /** Seconds between the code being shown and the user approving. */
  approveAfter: number;
  /** A warm-up login with the same storage first, so the measured one can reuse its registration. */
  cachedRegistration: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    id: 'fresh-approve-at-once',
    label: 'fresh login, approved as the code shows',
    approveAfter: 0,
    cachedRegistration: false,
  },
  {
    id: 'fresh-approve-2.5s',
    label: 'fresh login, approved 2.5 s after the code shows',
    approveAfter: 2.5,
    cachedRegistration: false,
  },
  {
    id: 'cached-registration',
    label: 'second login, registration cached',
    approveAfter: 0,
    cachedRegistration: true,
  },
];

/**
 * The fewest requests any RFC 8628-conforming client can make: RegisterClient (unless a registration is cached),
 * StartDeviceAuthorization, and the CreateToken polls the interval forces until approval, at least one.
 */
export function physicalMinimum(
  s: { approveAfter: number; cachedRegistration: boolean },
  interval: number,
): number {
  return (s.cachedRegistration ? 0 : 1) + 1 + Math.max(1, Math.ceil(s.approveAfter / interval));
}

/**
 * One login in simulated time, so the approval lands exactly `approveAfter` s after the code shows whatever the
 * machine's load (with real sleeps, a poll that a busy machine delays can straddle the approval).
 */
async function oneLogin(
  kit: Kit,
  emulator: Emulator,
  clock: FakeClock,
  approveAfter: number,
  storage: RegistrationOnlyStorage,
) {
  const counter = countingFetch(emulator.fetch);
  const login = kit.createAwsLogin({ emulator, fetch: counter.fetch, storage });
  try {
    login.start();
    await clock.settle();
    const shown = login.view();
    if (shown.status !== 'awaitingUser' || !shown.userCode)
      throw new Error(`the code did not show (login at '${shown.status}')`);
    if (approveAfter > 0) await clock.advance(approveAfter * 1000);
    await emulator.approve(shown.userCode);
    for (let s = 0; s < TIMEOUT_S && login.view().status !== 'authenticated'; s++) await clock.advance(1000);
    const { status } = login.view();
    if (status !== 'authenticated')
      throw new Error(`no token ${TIMEOUT_S} s after approval (at '${status}')`);
  } finally {
    login.dispose();
  }
  return counter;
}

async function runScenario(kit: Kit, emulator: Emulator, clock: FakeClock, s: Scenario): Promise<Row> {
  const label = s.label;
  // Always a storage of our own: empty for a fresh login, warmed by a first login for the cached case.
  const storage = registrationOnlyStorage();
  let counter: Awaited<ReturnType<typeof oneLogin>>;
  try {
    if (s.cachedRegistration) await oneLogin(kit, emulator, clock, 0, storage);
    counter = await oneLogin(kit, emulator, clock, s.approveAfter, storage);
  } catch (error) {
    return {
      figure: 'requests',
      id: s.id,
      label,
      unit: 'requests',
      value: null,
      status: 'error',
      note: errorMessage(error),
    };
  }
  const interval = counter.interval ?? INTERVAL_S;
  const minimum = physicalMinimum(s, interval);
  return finishRow({
    figure: 'requests',
    id: s.id,
    label,
    unit: 'requests',
    value: counter.total(),
    goal: { text: `= minimum (${minimum})`, min: minimum, max: minimum },
    anchor: { label: 'physical minimum', value: minimum },
    detail: { ...counter.counts, interval },
  });
}

export const requestsFigure: Figure = {
  id: 'requests',
  label: 'requests per login',
  title: 'Requests per login against the emulator, vs the physical minimum (simulated time)',
  goal: '= physical minimum',
  anchor: 'physical minimum: register (unless cached) + start + forced polls',
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS],
  async run(ctx) {
    const kit = await loadKit(ctx.workspace);
    const emulator = await kit.createEmulator({ interval: INTERVAL_S });
    const clock = installFakeClock();
    try {
      const rows: Row[] = [];
      for (const s of SCENARIOS) rows.push(await runScenario(kit, emulator, clock, s));
      return { rows, extra: { intervalAsked: INTERVAL_S, time: 'simulated' } };
    } finally {
      clock.uninstall();
      await emulator.close();
    }
  },
};
