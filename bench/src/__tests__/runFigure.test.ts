import { describe, expect, it, vi } from 'vitest';
import { type Figure, need } from '../harness.ts';
import { runFigure } from '../runFigure.ts';
import { fixtureContext } from './fixtureContext.ts';

function figure(overrides: Partial<Figure>): Figure {
  return {
    id: 'x',
    title: 'X figure',
    label: 'x',
    goal: 'be small',
    anchor: 'a peer',
    needs: [],
    run: async () => ({ rows: [] }),
    ...overrides,
  };
}

describe('runFigure', () => {
  it('prints n/a naming the missing exports and does not run the figure', async () => {
    const run = vi.fn(async () => ({ rows: [] }));
    const needs = [
      ...need('@oidc-device-login/core', 'createDeviceLogin', 'notYet'),
      ...need('@x/react', 'useX'),
    ];
    const result = await runFigure(figure({ needs, run }), await fixtureContext());
    expect(run).not.toHaveBeenCalled();
    expect(result.rows).toEqual([
      expect.objectContaining({
        status: 'n/a',
        value: null,
        note: 'needs notYet from @oidc-device-login/core; useX from @x/react',
        goal: { text: 'be small' },
      }),
    ]);
  });

  it('runs the figure once its needs exist, and turns a throw into an error row', async () => {
    const ctx = await fixtureContext();
    const needs = need('@oidc-device-login/core', 'createDeviceLogin');
    const ok = await runFigure(
      figure({
        needs,
        run: async () => ({
          rows: [{ figure: 'x', id: 'a', label: 'a', unit: 'count', value: 1, status: 'info' }],
          extra: { k: 1 },
        }),
      }),
      ctx,
    );
    expect(ok.rows.map((r) => r.value)).toEqual([1]);
    expect(ok.extra).toEqual({ k: 1 });
    const broken = await runFigure(
      figure({
        needs,
        run: async () => {
          throw new TypeError('createDeviceLogin(...).getView is not a function\n    at stack');
        },
      }),
      ctx,
    );
    expect(broken.rows).toEqual([
      expect.objectContaining({ status: 'error', note: 'createDeviceLogin(...).getView is not a function' }),
    ]);
  });
});
