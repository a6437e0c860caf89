import { describe, expect, it } from 'vitest';
import { formatRatio, formatValue, markdownTable, rowCells, textTable } from '../format.ts';
import { finishRow, type Row } from '../harness.ts';
import { END_MARKER, renderSection, replaceSection, START_MARKER } from '../readme.ts';
import type { BenchResults } from '../results.ts';

const sizeRow = finishRow({
  figure: 'size',
  id: 'aws-path',
  label: '(b) AWS path | kit only',
  unit: 'B',
  value: 6500,
  detail: { note: 'brotli of each bundle' },
  goal: { text: '≤ 7,000 B', max: 7000 },
  anchor: { label: 'react-oidc-context', value: 16742 },
});
const naRow: Row = {
  figure: 'requests',
  id: 'all',
  label: 'requests per login',
  unit: 'count',
  value: null,
  status: 'n/a',
  note: 'needs createEmulator from @oidc-device-login/emulator',
};

const results: BenchResults = {
  timestamp: '2026-11-25T09:00:00.000Z',
  machine: {
    node: 'v20.20.2',
    cpu: 'Test CPU',
    cores: 2,
    memoryGiB: 24,
    os: 'linux x64',
    esbuild: '0.28.2',
    commit: 'abc1234',
  },
  figuresRun: ['size', 'requests'],
  seconds: 3,
  workspaceProblems: [],
  figures: [
    {
      id: 'size',
      title: 'size',
      goal: '≤ 7 KB',
      anchor: 'peers',
      seconds: 1,
      rows: [sizeRow],
      extra: {
        anchors: [
          {
            id: 'x',
            label: 'oauth4webapi device fns',
            entry: 'x.js',
            external: 'none',
            sizes: { raw: 15121, gzip: 5246, brotli: 4647 },
            versions: { oauth4webapi: '3.8.8' },
          },
        ],
      },
    },
    { id: 'requests', title: 'requests', goal: '', anchor: '', seconds: 0, rows: [naRow] },
  ],
};

describe('rows', () => {
  it('pass or fail against the goal, with the ratio to the anchor', () => {
    expect(sizeRow.status).toBe('pass');
    expect(sizeRow.ratio).toBeCloseTo(6500 / 16742);
    expect(finishRow({ ...sizeRow, status: undefined, value: 7001 }).status).toBe('fail');
    expect(
      finishRow({ ...sizeRow, status: undefined, goal: { text: '= 3', min: 3, max: 3 }, value: 2 }).status,
    ).toBe('fail');
    expect(finishRow({ ...sizeRow, status: undefined, goal: undefined }).status).toBe('info');
    expect(finishRow({ ...sizeRow, status: undefined, value: null }).status).toBe('n/a');
  });

  it('print n/a with what they need, never a number', () => {
    expect(rowCells(naRow)).toEqual([
      'requests: requests per login',
      'n/a',
      '—',
      '—',
      '—',
      'n/a (needs createEmulator from @oidc-device-login/emulator)',
    ]);
    expect(formatValue(48450, 'B')).toBe('48,450 B');
    expect(formatValue(51.14, 'µs')).toBe('51.14 µs');
    expect(formatRatio(0.3882)).toBe('0.39×');
    expect(formatRatio(undefined)).toBe('—');
  });

  it('line up in a text table and escape pipes in markdown', () => {
    const text = textTable(
      ['a', 'b'],
      [
        ['long cell', 'x'],
        ['s', 'y'],
      ],
    ).split('\n');
    expect(text[2]?.indexOf('x')).toBe(text[3]?.indexOf('y'));
    expect(markdownTable(['a'], [['x | y']])).toContain('x \\| y');
    // GitHub would drop <DeviceCodePrompt autoStart> as an unknown HTML tag.
    expect(markdownTable(['a'], [['unmount <Prompt autoStart>']])).toContain('unmount &lt;Prompt autoStart>');
  });
});

describe('README section', () => {
  it('replaces only what lies between the markers', () => {
    const doc = `# T\n\nbefore\n${START_MARKER}\nold\n${END_MARKER}\nafter\n`;
    expect(replaceSection(doc, 'new')).toBe(`# T\n\nbefore\n${START_MARKER}\nnew\n${END_MARKER}\nafter\n`);
    expect(replaceSection(replaceSection(doc, 'new'), 'new')).toBe(replaceSection(doc, 'new'));
    expect(() => replaceSection('# no markers', 'x')).toThrow(START_MARKER);
  });

  it('renders the run, its rows and the anchors measured with it', () => {
    const section = renderSection(results);
    expect(section).toContain(
      'run of 2026-11-25 at abc1234, Node v20.20.2, esbuild 0.28.2, Test CPU (2 cores)',
    );
    expect(section).toContain(
      '| size: (b) AWS path \\| kit only | 6,500 B | ≤ 7,000 B | react-oidc-context: 16,742 B | 0.39× | pass |',
    );
    expect(section).toContain('| requests: requests per login | n/a |');
    expect(section).toContain('| oauth4webapi device fns | oauth4webapi 3.8.8 | 15,121 | 5,246 | 4,647 |');
    expect(section).toContain('- **size**: size. Goal: ≤ 7 KB. Anchor: peers.');
    expect(section).toContain('  - brotli of each bundle');
  });
});
