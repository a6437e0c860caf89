/**
 * `pnpm bench`: runs every figure, prints one table and writes bench/results/latest.json.
 *
 *   pnpm bench                  every figure
 *   pnpm bench --only size      one figure (comma-separate several: --only size,requests)
 *   pnpm bench --flows 200      fewer concurrent flows in the scale figure (default 1000)
 *   pnpm bench --readme         rewrite README.md's "How it compares" section from latest.json (runs nothing)
 *
 * The script runs tsx with `--tsconfig ../tsconfig.base.json`: tsx applies a tsconfig's JSX setting only to the
 * files that tsconfig includes, and the React bindings' sources (loaded by the renders and after-stop figures)
 * are outside bench/.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIGURES } from './figures/index.ts';
import { HEADERS, rowCells, textTable } from './format.ts';
import type { FigureContext, FigureResult, RunOptions } from './harness.ts';
import { machineInfo } from './machine.ts';
import { renderSection, replaceSection } from './readme.ts';
import { type BenchResults, readResults, writeResults } from './results.ts';
import { runFigure } from './runFigure.ts';
import { indexWorkspace } from './workspace.ts';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(benchDir, '..');
const resultsFile = join(benchDir, 'results', 'latest.json');

interface Args {
  only: string[] | undefined;
  readme: boolean;
  options: RunOptions;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: pnpm bench [--only ${FIGURES.map((f) => f.id).join(',')}] [--flows N] [--readme]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: undefined, readme: false, options: { scaleFlows: 1000 } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--') continue;
    else if (arg === '--readme') args.readme = true;
    else if (arg === '--only') args.only = value().split(',');
    else if (arg?.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',');
    else if (arg === '--flows') args.options.scaleFlows = Number(value());
    else usage(`unknown argument ${arg}`);
  }
  const unknown = args.only?.filter((id) => !FIGURES.some((f) => f.id === id)) ?? [];
  if (unknown.length > 0) usage(`no figure named ${unknown.join(', ')}`);
  if (!Number.isInteger(args.options.scaleFlows) || args.options.scaleFlows < 1)
    usage('--flows needs a positive integer');
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.readme) {
    const readmeFile = join(root, 'README.md');
    const section = renderSection(readResults(resultsFile));
    writeFileSync(readmeFile, replaceSection(readFileSync(readmeFile, 'utf8'), section));
    // Biome formats markdown too (it pads the tables); format here so `pnpm run lint` stays green.
    execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', 'README.md'], {
      cwd: root,
      stdio: 'ignore',
    });
    process.stdout.write(`README.md "How it compares" rewritten from ${resultsFile}\n`);
    return 0;
  }

  const started = performance.now();
  const timestamp = new Date().toISOString();
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const workspace = await indexWorkspace(root);
  for (const p of workspace.problems) log(`warning: ${p.specifier}: ${p.message}`);
  const ctx: FigureContext = {
    workspace,
    benchDir,
    scratchDir: join(benchDir, 'results', 'scratch'),
    log,
    options: args.options,
  };

  const figures = FIGURES.filter((f) => !args.only || args.only.includes(f.id));
  const results: FigureResult[] = [];
  for (const figure of figures) {
    log(`figure ${figure.id}: ${figure.title}`);
    results.push(await runFigure(figure, ctx));
  }

  const rows = results.flatMap((r) => r.rows);
  process.stdout.write(`${textTable(HEADERS, rows.map(rowCells))}\n`);
  const out: BenchResults = {
    timestamp,
    machine: machineInfo(root),
    figuresRun: figures.map((f) => f.id),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    workspaceProblems: workspace.problems,
    figures: results,
  };
  writeResults(resultsFile, out);
  log(`\nwrote ${resultsFile} (${out.seconds} s)`);
  // Goals are reported, not enforced here (CI enforces size budgets with size-limit); a figure that broke is an error.
  return rows.some((r) => r.status === 'error') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
