import { countingFetch } from '../countingFetch.ts';
import { type Dom, installDom } from '../dom.ts';
import { type FakeClock, installFakeClock } from '../fakeClock.ts';
import { type Figure, type FigureContext, finishRow, type Row } from '../harness.ts';
import {
  AWS_LOGIN_NEEDS,
  EMULATOR_NEEDS,
  type Kit,
  loadKit,
  loadReactKit,
  REACT_NEEDS,
  type ReactKit,
} from '../kit.ts';
import { mountProfiled, settleTree, textChanges, visibleChanges } from '../reactTree.ts';

const INTERVAL_S = 1;
/** Simulated seconds the code stays on screen before approval: as many countdown ticks, as many polls. */
const WAIT_S = 10;
const GOAL = '≤ 1 commit per visible change';
const ANCHOR = 'visible changes (commits that changed the DOM)';

export interface RenderCounts {
  /** Commits from mount to signed in. */
  loginCommits: number;
  loginVisible: number;
  /** Commits that changed the text (a stricter reading of "visible"). */
  loginText: number;
  /** Commits while the code was shown for WAIT_S seconds, polls pending. */
  tickCommits: number;
  tickVisible: number;
  tickText: number;
  /** Countdown texts seen in that window. */
  countdownTexts: number;
  polls: number;
  statuses: string[];
  finalStatus: string;
}

/**
 * A real login rendered by the drop-in prompt: `<DeviceLoginProvider login>` + `<DeviceCodePrompt autoStart>`
 * (QR code on, as by default), createDeviceLogin + awsSsoOidc on the emulator's in-process fetch, React DOM's
 * createRoot in jsdom, time simulated. A `<Profiler>` around the tree counts commits; after each the tree's HTML
 * is kept, so a commit that changed nothing on screen shows up.
 */
export async function measureRenders(
  ctx: FigureContext,
): Promise<{ cold: RenderCounts; warm: RenderCounts }> {
  const kit = await loadKit(ctx.workspace);
  const dom = installDom();
  // React DOM keeps the timer functions it finds when it loads: load it with real ones, then fake them.
  const react = await loadReactKit(ctx.workspace).catch(async (error: unknown) => {
    await dom.uninstall();
    throw error;
  });
  const clock = installFakeClock();
  try {
    // Twice: the first login may load the QR chunk (a commit of its own) unless this process loaded it before;
    // the second always finds it loaded, so its numbers do not depend on which figures ran first.
    const cold = await renderOneLogin(kit, react, dom, clock);
    const warm = await renderOneLogin(kit, react, dom, clock);
    return { cold, warm };
  } finally {
    clock.uninstall();
    await dom.uninstall();
  }
}

async function renderOneLogin(kit: Kit, react: ReactKit, dom: Dom, clock: FakeClock): Promise<RenderCounts> {
  const emulator = await kit.createEmulator({ interval: INTERVAL_S });
  const counter = countingFetch(emulator.fetch);
  const login = kit.createAwsLogin({ emulator, fetch: counter.fetch });
  const statuses: string[] = [];
  const unsubscribe = login.subscribe(() => {
    const { status } = login.view();
    if (statuses.at(-1) !== status) statuses.push(status);
  });
  const tree = mountProfiled(
    react,
    dom,
    react.createElement(
      react.DeviceLoginProvider,
      { login: login.raw },
      react.createElement(react.DeviceCodePrompt, { autoStart: true }),
    ),
  );
  try {
    // Until the QR code is drawn: its chunk loads through import(), in real time.
    await settleTree(tree, clock, () => tree.container.querySelector('svg') !== null);
    const shown = login.view();
    if (shown.status !== 'awaitingUser' || !shown.userCode)
      throw new Error(`the prompt did not show a code (login at '${shown.status}')`);

    const windowStart = tree.commits.length;
    const htmlBefore = tree.commits.at(-1)?.html ?? '';
    const pollsBefore = counter.counts.token;
    const countdowns = new Set<string>();
    for (let s = 0; s < WAIT_S; s++) {
      await clock.advance(1000);
      const timer = tree.container.querySelector('[role="timer"]');
      if (timer?.textContent) countdowns.add(timer.textContent);
    }
    const windowCommits = tree.commits.slice(windowStart);
    const polls = counter.counts.token - pollsBefore;

    await emulator.approve(shown.userCode);
    await clock.advance(INTERVAL_S * 1000);
    await settleTree(tree, clock);
    const finalStatus = login.view().status;
    if (finalStatus !== 'authenticated') throw new Error(`the login ended at '${finalStatus}'`);
    return {
      loginCommits: tree.commits.length,
      loginVisible: visibleChanges(tree.commits),
      loginText: textChanges(tree.commits),
      tickCommits: windowCommits.length,
      tickVisible: visibleChanges(windowCommits, htmlBefore),
      tickText: textChanges(windowCommits, htmlBefore),
      countdownTexts: countdowns.size,
      polls,
      statuses,
      finalStatus,
    };
  } finally {
    tree.unmount();
    unsubscribe();
    login.dispose();
    await emulator.close();
  }
}

export function renderRows(counts: RenderCounts, cold?: RenderCounts): Row[] {
  const row = (id: string, label: string, commits: number, visible: number, detail: Row['detail']) =>
    finishRow({
      figure: 'renders',
      id,
      label,
      unit: 'count',
      value: commits,
      goal: { text: `${GOAL} (≤ ${visible})`, max: visible },
      anchor: { label: ANCHOR, value: visible },
      detail,
    });
  return [
    row(
      'per-login',
      'React commits per login (mount → signed in)',
      counts.loginCommits,
      counts.loginVisible,
      {
        statuses: counts.statuses.join(' → '),
        textChanges: counts.loginText,
        ...(cold ? { firstLoginCommits: cold.loginCommits, firstLoginVisible: cold.loginVisible } : {}),
        note:
          `includes the countdown's ${counts.countdownTexts} ticks while the code showed ${WAIT_S} s; this is ` +
          'the second login in the process (QR chunk loaded); the first is in firstLogin*',
      },
    ),
    row(
      'per-tick',
      `React commits over ${WAIT_S} countdown ticks (${counts.polls} pending polls in between)`,
      counts.tickCommits,
      counts.tickVisible,
      { countdownTexts: counts.countdownTexts, polls: counts.polls, textChanges: counts.tickText },
    ),
  ];
}

export const rendersFigure: Figure = {
  id: 'renders',
  label: 'React commits per login and per countdown tick',
  title: 'React commits per login and per countdown tick (Profiler, jsdom, emulator, simulated time)',
  goal: GOAL,
  anchor: ANCHOR,
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS, ...REACT_NEEDS],
  async run(ctx) {
    const { cold, warm } = await measureRenders(ctx);
    return {
      rows: renderRows(warm, cold),
      extra: { intervalAsked: INTERVAL_S, waitSeconds: WAIT_S, reactBuild: 'development (Profiler on)' },
    };
  },
};
