import { countingFetch } from '../countingFetch.ts';
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
import { sleep } from '../stats.ts';

const INTERVAL_S = 1;
const TIMEOUT_MS = 30_000;

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

async function oneLogin(
  kit: Kit,
  emulator: Emulator,
  approveAfter: number,
  storage: RegistrationOnlyStorage,
) {
  const counter = countingFetch(emulator.fetch);
  const login = kit.createAwsLogin({ emulator, fetch: counter.fetch, storage });
  try {
    login.start();
    const shown = await login.waitFor('awaitingUser', TIMEOUT_MS);
    if (!shown.userCode) throw new Error("the 'awaitingUser' view has no userCode");
    if (approveAfter > 0) await sleep(approveAfter * 1000);
    await emulator.approve(shown.userCode);
    await login.waitFor('authenticated', TIMEOUT_MS);
  } finally {
    login.dispose();
  }
  return counter;
}

async function runScenario(kit: Kit, emulator: Emulator, s: Scenario): Promise<Row> {
  const label = s.label;
  // Always a storage of our own: empty for a fresh login, warmed by a first login for the cached case.
  const storage = registrationOnlyStorage();
  let counter: Awaited<ReturnType<typeof oneLogin>>;
  try {
    if (s.cachedRegistration) await oneLogin(kit, emulator, 0, storage);
    counter = await oneLogin(kit, emulator, s.approveAfter, storage);
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
  title: 'Requests per login against the emulator, vs the physical minimum',
  goal: '= physical minimum',
  anchor: 'physical minimum: register (unless cached) + start + forced polls',
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS],
  async run(ctx) {
    const kit = await loadKit(ctx.workspace);
    const emulator = await kit.createEmulator({ interval: INTERVAL_S });
    try {
      const rows = await Promise.all(SCENARIOS.map((s) => runScenario(kit, emulator, s)));
      return { rows, extra: { intervalAsked: INTERVAL_S } };
    } finally {
      await emulator.close();
    }
  },
};
