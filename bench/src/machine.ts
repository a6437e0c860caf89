import { execFileSync } from 'node:child_process';
import { arch, cpus, platform, totalmem } from 'node:os';
import * as esbuild from 'esbuild';

export interface MachineInfo {
  node: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  esbuild: string;
  /** The commit measured, with `-dirty` when the work tree had changes (README.md aside). */
  commit: string;
}

function gitCommit(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    // README.md is the bench's own output (`--readme`), so a pending README change does not make a run dirty.
    const status = execFileSync('git', ['status', '--porcelain', '--', '.', ':!README.md'], {
      cwd,
      encoding: 'utf8',
    });
    const dirty = status.trim() !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(root: string): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${arch()}`,
    esbuild: esbuild.version,
    commit: gitCommit(root),
  };
}
