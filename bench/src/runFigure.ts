import {
  describeNeeds,
  errorMessage,
  type Figure,
  type FigureContext,
  type FigureResult,
  type Row,
} from './harness.ts';

/**
 * Runs one figure under the harness contract: while any export it needs is missing, one n/a row saying which
 * (and `run` is not called); if `run` throws, one error row with the message.
 */
export async function runFigure(figure: Figure, ctx: FigureContext): Promise<FigureResult> {
  const started = performance.now();
  const base = { id: figure.id, title: figure.title, goal: figure.goal, anchor: figure.anchor };
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  // One row standing for the whole figure, when it cannot run or broke.
  const figureRow = (status: 'n/a' | 'error', note: string): Row => ({
    figure: figure.id,
    id: 'all',
    label: figure.label,
    unit: 'count',
    value: null,
    goal: { text: figure.goal },
    anchor: { label: figure.anchor, value: null },
    status,
    note,
  });
  const missing = ctx.workspace.missing(figure.needs);
  if (missing.length > 0) {
    return { ...base, seconds: seconds(), rows: [figureRow('n/a', `needs ${describeNeeds(missing)}`)] };
  }
  try {
    const out = await figure.run(ctx);
    return { ...base, seconds: seconds(), rows: out.rows, extra: out.extra };
  } catch (error) {
    return { ...base, seconds: seconds(), rows: [figureRow('error', errorMessage(error))] };
  }
}
