import { memoryLocks } from '@oidc-device-login/core/testing';
import { type CountingFetch, countingFetch } from '../countingFetch.ts';
import { type FakeClock, installFakeClock } from '../fakeClock.ts';
import { type Figure, type FigureContext, finishRow, type Row } from '../harness.ts';
import {
  AWS_LOGIN_NEEDS,
  EMULATOR_NEEDS,
  type Emulator,
  type Kit,
  type Login,
  loadKit,
  STORAGE_NEEDS,
} from '../kit.ts';

const INTERVAL_S = 1;
/** The emulator's access token lifetime (its default, as AWS's). */
const TOKEN_TTL_S = 3600;
/** Into the kit's default refresh window (the last 300 s), with the token still valid: a caller must refresh. */
const INTO_WINDOW_MS = (TOKEN_TTL_S - 200) * 1000;
/** Where the refresh timers fall due: the window's start. */
const TO_WINDOW_START_MS = (TOKEN_TTL_S - 300) * 1000;
const CALLERS = 50;
const TABS = 3;
const GOAL = { text: '1', min: 1, max: 1 };
const ANCHOR = { label: 'physical minimum', value: 1 };
const TABS_NOTE =
  'tabs simulated in one process: 3 createDeviceLogin sharing one storage and one lock manager (a Web Locks ' +
  'stand-in, as in the core tests), a real BroadcastChannel each; real browser tabs are left to the end-to-end suite of the demo';

interface Tabs {
  tabs: Login[];
  channels: BroadcastChannel[];
  close(): void;
}

async function signIn(clock: FakeClock, emulator: Emulator, login: Login, others: Login[] = []) {
  login.start();
  await clock.settle();
  const { status, userCode } = login.view();
  if (status !== 'awaitingUser' || !userCode) throw new Error(`no code to approve (login at '${status}')`);
  await emulator.approve(userCode);
  await clock.advance(INTERVAL_S * 1000);
  for (const l of [login, ...others]) {
    if (l.view().status !== 'authenticated')
      throw new Error(`a login did not sign in ('${l.view().status}')`);
  }
}

/** `n` concurrent getAccessToken() calls on each login; all must get the same, new token. */
async function callersAtOnce(clock: FakeClock, logins: Login[], n: number, previous: string): Promise<void> {
  const calls = logins.flatMap((login) => Array.from({ length: n }, () => login.getAccessToken()));
  await clock.settle();
  const tokens = new Set(await Promise.all(calls));
  if (tokens.size !== 1) throw new Error(`the callers got ${tokens.size} different tokens`);
  if (tokens.has(previous)) throw new Error('the callers got the old token: nothing was refreshed');
}

function openTabs(kit: Kit, emulator: Emulator, counter: CountingFetch): Tabs {
  const storage = kit.memoryStorage();
  const locks = memoryLocks();
  const name = `oidc-device-login-bench-${process.pid}-${Date.now()}`;
  const channels: BroadcastChannel[] = [];
  const tabs = Array.from({ length: TABS }, () => {
    const channel = new BroadcastChannel(name);
    channels.push(channel);
    return kit.createAwsLogin({ emulator, fetch: counter.fetch, storage, crossTab: { locks, channel } });
  });
  return {
    tabs,
    channels,
    close() {
      for (const tab of tabs) tab.dispose();
      for (const channel of channels) channel.close();
    },
  };
}

function refreshRow(
  id: string,
  label: string,
  counter: CountingFetch,
  since: number,
  emulator: Emulator,
  emulatorSince: number | undefined,
  note?: string,
): Row {
  const recorded = emulator.recordedRefreshes();
  return finishRow({
    figure: 'refresh',
    id,
    label,
    unit: 'requests',
    value: counter.counts.refresh - since,
    goal: GOAL,
    anchor: ANCHOR,
    detail: {
      ...(recorded !== undefined && emulatorSince !== undefined
        ? { emulatorRecorded: recorded - emulatorSince }
        : {}),
      ...(note ? { note } : {}),
    },
  });
}

export async function measureRefresh(ctx: FigureContext): Promise<Row[]> {
  const kit = await loadKit(ctx.workspace);
  const clock = installFakeClock();
  try {
    const rows: Row[] = [];
    // One tab, N callers.
    {
      const emulator = await kit.createEmulator({ interval: INTERVAL_S, accessTokenTtl: TOKEN_TTL_S });
      const counter = countingFetch(emulator.fetch);
      const login = kit.createAwsLogin({ emulator, fetch: counter.fetch });
      try {
        await signIn(clock, emulator, login);
        const first = await login.getAccessToken();
        const since = counter.counts.refresh;
        const emulatorSince = emulator.recordedRefreshes();
        // The tab slept in the background: the clock moved, no timer fired; then everyone wants a token.
        clock.jump(INTO_WINDOW_MS);
        await callersAtOnce(clock, [login], CALLERS, first);
        rows.push(
          refreshRow(
            'concurrent-callers',
            `${CALLERS} concurrent getAccessToken() calls inside the refresh window`,
            counter,
            since,
            emulator,
            emulatorSince,
          ),
        );
      } finally {
        login.dispose();
        await emulator.close();
      }
    }
    // M tabs.
    {
      const emulator = await kit.createEmulator({ interval: INTERVAL_S, accessTokenTtl: TOKEN_TTL_S });
      const counter = countingFetch(emulator.fetch);
      const { tabs, close } = openTabs(kit, emulator, counter);
      try {
        const [first, ...others] = tabs as [Login, ...Login[]];
        // Every tab is open (a page subscribes on mount); one signs in, the others hear of it.
        for (const tab of others) tab.subscribe(() => {});
        await signIn(clock, emulator, first, others);
        const issued = await first.getAccessToken();

        let since = counter.counts.refresh;
        let emulatorSince = emulator.recordedRefreshes();
        // Every tab's refresh timer falls due at the same moment.
        await clock.advance(TO_WINDOW_START_MS + 1000, 60_000);
        const afterTimers = await Promise.all(tabs.map((t) => t.getAccessToken()));
        if (new Set(afterTimers).size !== 1 || afterTimers[0] === issued)
          throw new Error('after the refresh timers the tabs do not share one new token');
        rows.push(
          refreshRow(
            'tabs-timers',
            `${TABS} tabs (simulated in one process), their refresh timers due together`,
            counter,
            since,
            emulator,
            emulatorSince,
            TABS_NOTE,
          ),
        );

        since = counter.counts.refresh;
        emulatorSince = emulator.recordedRefreshes();
        // Every tab slept in the background; on waking, N callers in each want a token.
        clock.jump(INTO_WINDOW_MS);
        await callersAtOnce(clock, tabs, CALLERS, afterTimers[0] ?? '');
        rows.push(
          refreshRow(
            'tabs-callers',
            `${TABS} tabs (simulated in one process) × ${CALLERS} concurrent getAccessToken() calls in the window`,
            counter,
            since,
            emulator,
            emulatorSince,
            TABS_NOTE,
          ),
        );
        for (const tab of tabs) {
          if (tab.view().status !== 'authenticated')
            throw new Error(`a tab lost its session ('${tab.view().status}')`);
        }
      } finally {
        close();
        await emulator.close();
      }
    }
    return rows;
  } finally {
    clock.uninstall();
  }
}

export const refreshFigure: Figure = {
  id: 'refresh',
  label: `refresh requests: ${CALLERS} callers, ${TABS} tabs`,
  title: `Refresh requests: ${CALLERS} concurrent callers, and ${TABS} tabs (emulator, simulated time)`,
  goal: GOAL.text,
  anchor: 'physical minimum (1)',
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS, ...STORAGE_NEEDS],
  async run(ctx) {
    return {
      rows: await measureRefresh(ctx),
      extra: { callers: CALLERS, tabs: TABS, tokenTtlSeconds: TOKEN_TTL_S },
    };
  },
};
