import type { WorkspaceIndex } from './workspace.ts';

/** An export a figure needs from one of our packages; `from` is where we expect it (the bench looks elsewhere too). */
export interface Need {
  symbol: string;
  from: string;
}

/** `need('@oidc-device-login/core', 'a', 'b')` → two needs from that package. */
export function need(from: string, ...symbols: string[]): Need[] {
  return symbols.map((symbol) => ({ symbol, from }));
}

/** What a row is compared with: a number measured in the same run or a stated floor (null: not measured). */
export interface Anchor {
  label: string;
  value: number | null;
}

/** A pass/fail bar; both bounds are inclusive and in the row's unit. */
export interface Goal {
  text: string;
  max?: number | undefined;
  min?: number | undefined;
}

export function meetsGoal(value: number, goal: Goal): boolean {
  return (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min);
}

export type RowStatus = 'pass' | 'fail' | 'info' | 'n/a' | 'error';

export type Unit = 'B' | 'requests' | 'ms' | 'µs' | 'KB' | 'count';

/** One line of the table. `value` is null whenever the bench could not measure it (never estimated). */
export interface Row {
  figure: string;
  id: string;
  label: string;
  unit: Unit;
  value: number | null;
  goal?: Goal | undefined;
  anchor?: Anchor | undefined;
  /** value / anchor.value, when both exist. */
  ratio?: number | undefined;
  status: RowStatus;
  /** Why a row is n/a or an error. */
  note?: string | undefined;
  /** Secondary numbers (raw and gzip sizes, lazy chunk bytes, samples, …), all in latest.json. */
  detail?: Record<string, number | string | boolean> | undefined;
}

export interface FigureContext {
  workspace: WorkspaceIndex;
  /** The bench package folder (absolute). */
  benchDir: string;
  /** Scratch folder under bench/results for generated entries and bundles. */
  scratchDir: string;
  /** Progress lines go to stderr so stdout stays the table. */
  log(message: string): void;
  options: RunOptions;
}

export interface RunOptions {
  /** Concurrent device flows in the scale figure. Defaults to 1000. */
  scaleFlows: number;
}

/** The harness contract: a figure names its goal and anchor, declares what it needs, and measures. */
export interface Figure {
  id: string;
  title: string;
  /** Short name for the table. */
  label: string;
  goal: string;
  anchor: string;
  /** Exports the whole figure needs; while any is missing the harness prints one n/a row and skips `run`. */
  needs: Need[];
  run(ctx: FigureContext): Promise<FigureOutput>;
}

export interface FigureOutput {
  rows: Row[];
  /** Extra measurements kept in latest.json next to the rows (the size anchors, scenario settings, …). */
  extra?: Record<string, unknown> | undefined;
}

export interface FigureResult {
  id: string;
  title: string;
  goal: string;
  anchor: string;
  seconds: number;
  rows: Row[];
  extra?: Record<string, unknown> | undefined;
}

/** Fills in ratio and status from value, goal and anchor. */
export function finishRow(row: Omit<Row, 'status' | 'ratio'> & { status?: RowStatus }): Row {
  const { value, goal, anchor } = row;
  const ratio = value !== null && anchor?.value ? value / anchor.value : undefined;
  let status: RowStatus = row.status ?? 'info';
  if (row.status === undefined && value !== null && goal) status = meetsGoal(value, goal) ? 'pass' : 'fail';
  if (value === null && row.status === undefined) status = 'n/a';
  return { ...row, ratio, status };
}

/** A row the bench cannot measure yet. */
export function naRow(figure: string, id: string, label: string, unit: Unit, note: string): Row {
  return { figure, id, label, unit, value: null, status: 'n/a', note };
}

export function describeNeeds(missing: Need[]): string {
  const byPkg = new Map<string, string[]>();
  for (const n of missing) byPkg.set(n.from, [...(byPkg.get(n.from) ?? []), n.symbol]);
  return [...byPkg].map(([pkg, symbols]) => `${symbols.join(', ')} from ${pkg}`).join('; ');
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
