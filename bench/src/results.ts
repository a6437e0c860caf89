import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FigureResult } from './harness.ts';
import type { MachineInfo } from './machine.ts';

/** What `bench/results/latest.json` holds. */
export interface BenchResults {
  /** ISO 8601, when the run started. */
  timestamp: string;
  machine: MachineInfo;
  /** The figures this run measured (all of them unless `--only` was given). */
  figuresRun: string[];
  seconds: number;
  /** Workspace entry points whose sources did not build, so their exports counted as missing. */
  workspaceProblems: { specifier: string; message: string }[];
  figures: FigureResult[];
}

export function writeResults(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export function readResults(file: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} does not exist: run \`pnpm bench\` first, then \`pnpm bench --readme\``);
  }
  const parsed = JSON.parse(text) as Partial<BenchResults>;
  if (!parsed.timestamp || !parsed.machine || !Array.isArray(parsed.figures)) {
    throw new Error(`${file} is not a bench result (no timestamp, machine or figures)`);
  }
  return parsed as BenchResults;
}
