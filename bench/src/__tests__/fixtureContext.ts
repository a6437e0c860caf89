import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FigureContext } from '../harness.ts';
import { indexWorkspace } from '../workspace.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const benchDir = resolve(here, '../..');
/** A workspace whose packages stand in for the kit's (core, react, emulator) with the exports the figures need. */
export const fixtureRoot = join(here, 'fixtures', 'workspace');

/** The repository itself: the real kit, emulator and React bindings. */
export const repoRoot = resolve(here, '../../..');

export async function fixtureContext(scaleFlows = 5, root = fixtureRoot): Promise<FigureContext> {
  return {
    workspace: await indexWorkspace(root),
    benchDir,
    scratchDir: mkdtempSync(join(tmpdir(), 'bench-test-')),
    log: () => {},
    options: { scaleFlows },
  };
}
