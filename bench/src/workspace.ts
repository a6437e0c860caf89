import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Need } from './harness.ts';

/** The export condition our packages use to point at their TypeScript sources. */
export const SOURCE_CONDITION = '@oidc-device-login/source';

/**
 * esbuild drops its default `module` condition as soon as custom conditions are given, which makes some peers
 * (@xstate/react) resolve to a different, larger build. Adding it back keeps peer resolution identical to the
 * anchors' (which use no custom conditions).
 */
export const SOURCE_CONDITIONS = [SOURCE_CONDITION, 'module'];

/** One entry point of one workspace package, with the value exports its source has. */
export interface SourceEntry {
  /** Package name, e.g. `@oidc-device-login/core`. */
  pkg: string;
  /** Import specifier, e.g. `@oidc-device-login/core` or `@oidc-device-login/core/testing`. */
  specifier: string;
  /** Absolute path of the source file the `@oidc-device-login/source` condition points at. */
  file: string;
  exports: string[];
}

export interface WorkspaceIndex {
  root: string;
  entries: SourceEntry[];
  /** Entry points whose source did not build (work in progress): their exports count as missing. */
  problems: { specifier: string; message: string }[];
  /** Where `symbol` is exported, preferring `from`, then any package's root entry, then subpaths. */
  find(symbol: string, from?: string): SourceEntry | undefined;
  missing(needs: Need[]): Need[];
  /** Imports the source module that exports `symbol` (needs tsx and `--conditions=@oidc-device-login/source`). */
  load(symbol: string, from?: string): Promise<unknown>;
}

interface PackageJson {
  name?: string;
  exports?: Record<string, unknown>;
}

function sourceTargets(pkgDir: string, pkg: PackageJson): { specifier: string; file: string }[] {
  const out: { specifier: string; file: string }[] = [];
  if (!pkg.name || !pkg.exports || typeof pkg.exports !== 'object') return out;
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (!target || typeof target !== 'object') continue;
    const source = (target as Record<string, unknown>)[SOURCE_CONDITION];
    if (typeof source !== 'string') continue;
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
    out.push({ specifier, file: resolve(pkgDir, source) });
  }
  return out;
}

/** The value exports of a source entry, as esbuild sees them (type-only exports are erased, as they should be). */
async function valueExports(file: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    conditions: SOURCE_CONDITIONS,
    outdir: '/virtual-out',
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return output ? [...output.exports].sort() : [];
}

/**
 * Indexes every `packages/*` workspace package's source entry points. Figures look exports up here instead of
 * hard-coding a file, so an export becomes measurable the moment it lands, wherever it lands.
 */
export async function indexWorkspace(root: string, packagesDir = 'packages'): Promise<WorkspaceIndex> {
  const entries: SourceEntry[] = [];
  const problems: WorkspaceIndex['problems'] = [];
  const base = join(root, packagesDir);
  const dirs = existsSync(base)
    ? readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory())
    : [];
  for (const dir of dirs.map((d) => d.name).sort()) {
    const pkgDir = join(base, dir);
    const manifest = join(pkgDir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    for (const { specifier, file } of sourceTargets(pkgDir, pkg)) {
      if (!existsSync(file)) {
        problems.push({ specifier, message: `source ${file} does not exist yet` });
        continue;
      }
      try {
        entries.push({ pkg: pkg.name ?? dir, specifier, file, exports: await valueExports(file) });
      } catch (error) {
        const message =
          error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
        problems.push({ specifier, message });
      }
    }
  }

  const find = (symbol: string, from?: string): SourceEntry | undefined => {
    const having = entries.filter((e) => e.exports.includes(symbol));
    const rank = (e: SourceEntry) => (e.pkg === from ? 0 : 2) + (e.specifier === e.pkg ? 0 : 1);
    return having.sort((a, b) => rank(a) - rank(b))[0];
  };

  return {
    root,
    entries,
    problems,
    find,
    missing: (needs) => needs.filter((n) => !find(n.symbol, n.from)),
    async load(symbol, from) {
      const entry = find(symbol, from);
      if (!entry) throw new Error(`${symbol} is not exported by any workspace package`);
      const mod = (await import(pathToFileURL(entry.file).href)) as Record<string, unknown>;
      return mod[symbol];
    },
  };
}
