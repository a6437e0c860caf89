import { type CountingFetch, countingFetch } from '../countingFetch.ts';
import { type Dom, installDom } from '../dom.ts';
import { type FakeClock, installFakeClock } from '../fakeClock.ts';
import { errorMessage, type Figure, type FigureContext, finishRow, type Row } from '../harness.ts';
import {
  AWS_LOGIN_NEEDS,
  EMULATOR_NEEDS,
  type Emulator,
  type FetchLike,
  type Kit,
  type Login,
  loadKit,
  loadReactKit,
  REACT_NEEDS,
  type ReactKit,
} from '../kit.ts';
import { type MountedTree, mountProfiled, settleTree } from '../reactTree.ts';

const INTERVAL_S = 1;
/** Simulated time watched after the stop: 5 minutes, 300 polls at interval 1 s if the flow went on. */
const WATCH_MS = 5 * 60_000;
const WATCH_LABEL = 'next 5 min';

interface Env {
  kit: Kit;
  /** Undefined when the React bindings are missing: the React scenarios are then n/a. */
  react: ReactKit | undefined;
  dom: Dom;
  clock: FakeClock;
}

/** What one scenario saw: requests sent before the stop (the flow really ran), and after it. */
interface Outcome {
  before: CountingFetch['counts'];
  after: number;
  statusAfter?: string | undefined;
}

interface Scenario {
  id: string;
  label: string;
  react: boolean;
  /** Reported but not judged: the login outlives the tree by design. */
  infoOnly?: string;
  /** `counter` counts what the client sends to the emulator (the scenario may put its own fetch around it). */
  run(env: Env, emulator: Emulator, counter: CountingFetch): Promise<Outcome>;
}

/** Counts what is sent from now until the watch ends. */
async function watch(clock: FakeClock, counter: CountingFetch): Promise<number> {
  const sent = counter.total();
  await clock.advance(WATCH_MS);
  return counter.total() - sent;
}

async function awaitingCode(env: Env, login: Login): Promise<void> {
  login.start();
  await env.clock.settle();
  // At least one pending poll before the stop, so what is stopped is a flow that polls.
  await env.clock.advance(INTERVAL_S * 1000);
  if (login.view().status !== 'awaitingUser')
    throw new Error(`login at '${login.view().status}', not polling`);
}

/** A fetch that holds RegisterClient until `open()`: a cancel can land while the request is in flight. */
function gatedRegister(inner: FetchLike): { fetch: FetchLike; open(): void; waiting(): boolean } {
  let open: () => void = () => {};
  let waiting = false;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    async fetch(input, init) {
      const url = input instanceof Request ? input.url : String(input);
      if (new URL(url).pathname.endsWith('/client/register')) {
        waiting = true;
        await gate;
        waiting = false;
      }
      return inner(input, init);
    },
    open: () => open(),
    waiting: () => waiting,
  };
}

function promptTree(react: ReactKit, login: unknown): unknown {
  return react.createElement(
    react.DeviceLoginProvider,
    { login },
    react.createElement(react.DeviceCodePrompt, { autoStart: true }),
  );
}

async function mountUntilPolling(env: Env, counter: CountingFetch, element: unknown): Promise<MountedTree> {
  if (!env.react) throw new Error('the React bindings are missing');
  const tree = mountProfiled(env.react, env.dom, element);
  await settleTree(tree, env.clock);
  await env.clock.advance(INTERVAL_S * 1000);
  if (counter.counts.start !== 1 || counter.counts.token < 1)
    throw new Error(`the tree did not start a polling flow (${JSON.stringify(counter.counts)})`);
  return tree;
}

const SCENARIOS: Scenario[] = [
  {
    id: 'cancel',
    label: `after cancel() while the code shows, ${WATCH_LABEL}`,
    react: false,
    async run(env, emulator, counter) {
      const login = env.kit.createAwsLogin({ emulator, fetch: counter.fetch });
      try {
        await awaitingCode(env, login);
        const before = { ...counter.counts };
        login.cancel();
        const after = await watch(env.clock, counter);
        return { before, after, statusAfter: login.view().status };
      } finally {
        login.dispose();
      }
    },
  },
  {
    id: 'cancel-registering',
    label: `after cancel() while RegisterClient is in flight, ${WATCH_LABEL}`,
    react: false,
    async run(env, emulator) {
      // Counted as sent, answered only when the gate opens.
      const gated = gatedRegister(emulator.fetch);
      const counter = countingFetch(gated.fetch);
      const login = env.kit.createAwsLogin({ emulator, fetch: counter.fetch });
      try {
        login.start();
        await env.clock.settle();
        if (!gated.waiting() || counter.counts.register !== 1) throw new Error('RegisterClient was not sent');
        const before = { ...counter.counts };
        login.cancel();
        // The answer arrives after the cancel: the login may keep the registration, but must not go on.
        gated.open();
        const after = await watch(env.clock, counter);
        return { before, after, statusAfter: login.view().status };
      } finally {
        login.dispose();
      }
    },
  },
  {
    id: 'dispose',
    label: `after dispose() while the code shows, ${WATCH_LABEL}`,
    react: false,
    async run(env, emulator, counter) {
      const login = env.kit.createAwsLogin({ emulator, fetch: counter.fetch });
      await awaitingCode(env, login);
      const before = { ...counter.counts };
      login.dispose();
      return { before, after: await watch(env.clock, counter) };
    },
  },
  {
    id: 'unmount-app-owned',
    label: `after unmounting <DeviceCodePrompt autoStart> (app disposes its login on unmount), ${WATCH_LABEL}`,
    react: true,
    async run(env, emulator, counter) {
      const react = env.react!;
      // The documented ownership: the app creates the login once and disposes it when its tree goes away.
      function App() {
        const [login] = react.useState(() => env.kit.createAwsLogin({ emulator, fetch: counter.fetch }));
        react.useEffect(() => () => login.dispose(), [login]);
        return promptTree(react, login.raw);
      }
      const tree = await mountUntilPolling(env, counter, react.createElement(App));
      const before = { ...counter.counts };
      tree.unmount();
      return { before, after: await watch(env.clock, counter) };
    },
  },
  {
    id: 'unmount-hook-owned',
    label: `after unmounting a useOidcDeviceLogin({ provider }) sign-in (the hook owns its login), ${WATCH_LABEL}`,
    react: true,
    async run(env, emulator, counter) {
      const react = env.react!;
      const options = env.kit.awsLoginOptions({ emulator, fetch: counter.fetch });
      function SignIn() {
        const { status, start } = react.useOidcDeviceLogin(options);
        react.useEffect(() => {
          start();
          return undefined;
        }, [start]);
        return react.createElement('p', null, status);
      }
      const tree = await mountUntilPolling(env, counter, react.createElement(SignIn));
      const before = { ...counter.counts };
      tree.unmount();
      return { before, after: await watch(env.clock, counter) };
    },
  },
  {
    id: 'unmount-login-kept',
    label: `after unmounting <DeviceCodePrompt autoStart>, login not disposed, ${WATCH_LABEL}`,
    react: true,
    infoOnly:
      'by design: <DeviceLoginProvider> does not own its login, which goes on polling until dispose() or expiry',
    async run(env, emulator, counter) {
      const login = env.kit.createAwsLogin({ emulator, fetch: counter.fetch });
      try {
        const tree = await mountUntilPolling(env, counter, promptTree(env.react!, login.raw));
        const before = { ...counter.counts };
        tree.unmount();
        return { before, after: await watch(env.clock, counter) };
      } finally {
        login.dispose();
      }
    },
  },
];

function outcomeRow(s: Scenario, outcome: Outcome): Row {
  const detail = {
    ...Object.fromEntries(Object.entries(outcome.before).map(([k, v]) => [`before.${k}`, v])),
    ...(outcome.statusAfter ? { statusAfter: outcome.statusAfter } : {}),
    watchedMs: WATCH_MS,
    ...(s.infoOnly ? { note: s.infoOnly } : {}),
  };
  return finishRow({
    figure: 'after-stop',
    id: s.id,
    label: s.label,
    unit: 'requests',
    value: outcome.after,
    goal: s.infoOnly ? undefined : { text: '0', max: 0 },
    anchor: { label: 'physical minimum', value: 0 },
    detail,
  });
}

async function runScenario(env: Env, s: Scenario): Promise<Row> {
  const base = { figure: 'after-stop', id: s.id, label: s.label, unit: 'requests' as const, value: null };
  if (s.react && !env.react) return { ...base, status: 'n/a', note: 'needs the React bindings' };
  const emulator = await env.kit.createEmulator({ interval: INTERVAL_S });
  const counter = countingFetch(emulator.fetch);
  try {
    return outcomeRow(s, await s.run(env, emulator, counter));
  } catch (error) {
    return { ...base, status: 'error', note: errorMessage(error) };
  } finally {
    await emulator.close();
  }
}

export async function measureAfterStop(ctx: FigureContext): Promise<Row[]> {
  const kit = await loadKit(ctx.workspace);
  const dom = installDom();
  try {
    const missingReact = ctx.workspace.missing(REACT_NEEDS).length > 0;
    // React DOM keeps the timer functions it finds when it loads: load it before the clock is faked.
    const react = missingReact ? undefined : await loadReactKit(ctx.workspace);
    const clock = installFakeClock();
    try {
      const env: Env = { kit, react, dom, clock };
      const rows: Row[] = [];
      for (const s of SCENARIOS) rows.push(await runScenario(env, s));
      return rows;
    } finally {
      clock.uninstall();
    }
  } finally {
    await dom.uninstall();
  }
}

export const afterStopFigure: Figure = {
  id: 'after-stop',
  label: 'requests after cancel, dispose and unmount',
  title: 'Requests after cancel, dispose and unmount (emulator, jsdom, 5 simulated minutes)',
  goal: '0',
  anchor: 'physical minimum (0)',
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS],
  async run(ctx) {
    return { rows: await measureAfterStop(ctx), extra: { intervalAsked: INTERVAL_S, watchMs: WATCH_MS } };
  },
};
