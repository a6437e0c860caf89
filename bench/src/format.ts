import type { Row, Unit } from './harness.ts';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return 'n/a';
  switch (unit) {
    case 'B':
      return `${int.format(value)} B`;
    case 'requests':
    case 'count':
      return int.format(value);
    case 'ms':
      return `${int.format(value)} ms`;
    case 'µs':
      return `${dec.format(value)} µs`;
    case 'KB':
      return `${dec.format(value)} KB`;
    default:
      return unit satisfies never;
  }
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(0)}×`;
}

export function formatResult(row: Row): string {
  switch (row.status) {
    case 'pass':
      return 'pass';
    case 'fail':
      return 'FAIL';
    case 'info':
      return '—';
    case 'n/a':
      return `n/a (${row.note ?? 'not measurable yet'})`;
    case 'error':
      return `error: ${row.note ?? 'unknown'}`;
    default:
      return row.status satisfies never;
  }
}

/** The cells of one table line: figure, ours, goal, anchor, ratio, result. */
export function rowCells(row: Row): string[] {
  return [
    `${row.figure}: ${row.label}`,
    formatValue(row.value, row.unit),
    row.goal?.text ?? '—',
    row.anchor
      ? row.anchor.value === null
        ? row.anchor.label
        : `${row.anchor.label}: ${formatValue(row.anchor.value, row.unit)}`
      : '—',
    formatRatio(row.ratio),
    formatResult(row),
  ];
}

export const HEADERS = ['figure', 'ours', 'goal', 'anchor', 'ratio', 'result'];

/** Columns padded to their widest cell; the last column is left ragged so long notes do not widen the rest. */
export function textTable(headers: string[], lines: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.min(w, 40) : w)).join('  ');
  return [render(headers), rule, ...lines.map(render)].join('\n');
}

/** GitHub drops what looks like an HTML tag (`<DeviceCodePrompt autoStart>`): write `<` as an entity. */
export function escapeHtml(text: string): string {
  return text.replaceAll('<', '&lt;');
}

function escapeCell(cell: string): string {
  return escapeHtml(cell).replaceAll('|', '\\|');
}

/** A GitHub markdown table; `align` holds 'r' for right-aligned columns. */
export function markdownTable(headers: string[], lines: string[][], align: string[] = []): string {
  const sep = headers.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  const render = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [render(headers), `| ${sep.join(' | ')} |`, ...lines.map(render)].join('\n');
}
