import { type Figure, naRow, need, type Row } from '../harness.ts';

const GOAL = 'reported only';
const ANCHOR = 'one commit per visible state change';

/**
 * React commits per login and per countdown tick (React Profiler onRender over a whole login against the
 * emulator). Needs the React bindings and a DOM for the bench (happy-dom or jsdom); written once they land.
 */
export const rendersFigure: Figure = {
  id: 'renders',
  label: 'React commits per login and per countdown tick',
  title: 'React commits per login and per countdown tick',
  goal: GOAL,
  anchor: ANCHOR,
  needs: need('@oidc-device-login/react', 'DeviceLoginProvider', 'useOidcDeviceLogin', 'DeviceCodePrompt'),
  async run() {
    const note = 'needs the measurement: a React Profiler run in a DOM, written once the bindings land';
    const row = (id: string, label: string): Row => ({
      ...naRow('renders', id, label, 'count', note),
      goal: { text: GOAL },
      anchor: { label: ANCHOR, value: null },
    });
    return {
      rows: [
        row('per-login', 'React commits per login'),
        row('per-tick', 'React commits per countdown tick'),
      ],
    };
  },
};
