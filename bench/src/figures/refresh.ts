import { type Figure, naRow, type Row } from '../harness.ts';
import { AWS_LOGIN_NEEDS, EMULATOR_NEEDS } from '../kit.ts';

const GOAL = '1 request each (the minimum)';
const ANCHOR = 'physical minimum (1)';

/**
 * Refresh requests when 50 callers ask for a token at once, and across 3 tabs (physical minimum: 1 each).
 * Needs the refresh path (getAccessToken with single-flight) and the cross-tab coordination API, whose shape is
 * not settled; the measurement is written once they land, and until then the rows say so instead of guessing.
 */
export const refreshFigure: Figure = {
  id: 'refresh',
  label: 'refresh requests: 50 callers, 3 tabs',
  title: 'Refresh requests: 50 concurrent callers, and 3 tabs',
  goal: GOAL,
  anchor: ANCHOR,
  needs: [...EMULATOR_NEEDS, ...AWS_LOGIN_NEEDS],
  async run() {
    const note =
      'needs the measurement: getAccessToken refresh and cross-tab coordination have no settled API yet';
    const row = (id: string, label: string): Row => ({
      ...naRow('refresh', id, label, 'requests', note),
      goal: { text: GOAL },
      anchor: { label: ANCHOR, value: null },
    });
    return {
      rows: [row('concurrent-callers', '50 concurrent getAccessToken() calls'), row('tabs', '3 tabs')],
    };
  },
};
