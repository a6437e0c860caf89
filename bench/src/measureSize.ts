import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** Bytes of one bundle (or the sum over chunks, each compressed on its own as a server would send it). */
export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** React stays out of every bundle, as in the PEERS.md rows marked "react ext". */
export const REACT_EXTERNAL = ['react', 'react-dom', 'react/*', 'react-dom/*'];

/** The kit's peer dependencies: external when measuring the kit's own code. */
export const PEER_EXTERNAL = [
  ...REACT_EXTERNAL,
  'xstate',
  'xstate/*',
  '@xstate/react',
  '@tanstack/react-query',
  '@tanstack/query-core',
];

/** Brotli exactly as ../shared/peer-sizes/measure.sh: Node's zlib, quality 11, default window, size hint. */
export function brotli(bytes: Uint8Array): Buffer {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

let gzipCli: boolean | undefined;

/**
 * `gzip -9` as measure.sh runs it, but fed on stdin with `-n`, so no file name is stored in the header
 * (measure.sh's figures include its output file's name, a few dozen bytes). Falls back to zlib level 9 when
 * there is no gzip binary; `gzipMethod()` says which one ran.
 */
export function gzip(bytes: Uint8Array): Buffer {
  if (gzipCli !== false) {
    const out = spawnSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 64 * 1024 * 1024 });
    if (out.status === 0 && out.stdout) {
      gzipCli = true;
      return out.stdout;
    }
    gzipCli = false;
  }
  return gzipSync(bytes, { level: 9 });
}

export function gzipMethod(): string {
  return gzipCli === false ? 'zlib gzipSync level 9 (no gzip binary)' : 'gzip -9 -n (stdin)';
}

export function sizesOf(bytes: Uint8Array): Sizes {
  return { raw: bytes.length, gzip: gzip(bytes).length, brotli: brotli(bytes).length };
}

function add(a: Sizes, b: Sizes): Sizes {
  return { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli };
}

const ZERO: Sizes = { raw: 0, gzip: 0, brotli: 0 };

export interface BundleOptions {
  /** Entry file (absolute, or relative to `workingDir`). */
  entry: string;
  /** Folder esbuild resolves packages from. */
  workingDir: string;
  platform?: 'browser' | 'node';
  external?: string[];
  /** Custom export conditions; leave unset for peers (esbuild's defaults, as in measure.sh). */
  conditions?: string[];
  /**
   * Code splitting: dynamically imported modules become chunks of their own, reported as `lazy`, and only what
   * the entry loads up front counts as `initial`. Off for anchors (measure.sh does not split).
   */
  splitting?: boolean;
}

export interface BundleSizes {
  /** What loads up front: the entry chunk plus the chunks it imports statically. */
  initial: Sizes;
  /** Chunks reached only through `import()`; zero when nothing is lazy. */
  lazy: Sizes;
  chunks: { file: string; initial: boolean; sizes: Sizes }[];
  /** Installed packages with code in what loads up front (`name@version`, read from pnpm's store paths). */
  packages: string[];
  /** Installed packages with code in the lazy chunks. */
  lazyPackages: string[];
}

/** `node_modules/.pnpm/@xstate+react@6.1.0_react@19.3.1/node_modules/...` → `@xstate/react@6.1.0`. */
export function packagesFromInputs(inputs: string[]): string[] {
  const found = new Set<string>();
  for (const input of inputs) {
    const match = /node_modules\/\.pnpm\/([^/]+)\//.exec(input);
    if (!match?.[1]) continue;
    const id = match[1].split('_')[0] ?? match[1];
    const at = id.lastIndexOf('@');
    if (at <= 0) continue;
    found.add(`${id.slice(0, at).replace('+', '/')}@${id.slice(at + 1)}`);
  }
  return [...found].sort();
}

/**
 * Bundles like measure.sh: `--bundle --minify --format=esm --platform=browser
 * --define:process.env.NODE_ENV='"production"'`, plus the externals, conditions and splitting asked for.
 * Throws esbuild's error (with its messages) when the entry does not build.
 */
export async function bundleSize(options: BundleOptions): Promise<BundleSizes> {
  const splitting = options.splitting ?? false;
  const outdir = resolve(options.workingDir, '.bench-out');
  const result = await esbuild.build({
    entryPoints: [resolve(options.workingDir, options.entry)],
    absWorkingDir: options.workingDir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: options.platform ?? 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: options.external ?? [],
    ...(options.conditions ? { conditions: options.conditions } : {}),
    splitting,
    write: false,
    metafile: true,
    outdir,
    logLevel: 'silent',
  });

  const outputs = result.metafile.outputs;
  const entryKey = Object.keys(outputs).find((k) => outputs[k]?.entryPoint !== undefined);
  if (!entryKey) throw new Error(`esbuild produced no entry chunk for ${options.entry}`);
  // Up front: the entry and what it imports statically. Lazy: what those reach through import(), and so on.
  // esbuild also emits a chunk for an import() whose importer was tree-shaken away; nothing loads it, so it counts
  // as neither.
  const initialKeys = new Set<string>();
  const lazyKeys = new Set<string>();
  const visit = (key: string, into: Set<string>) => {
    if (initialKeys.has(key) || lazyKeys.has(key)) return;
    into.add(key);
    for (const imp of outputs[key]?.imports ?? []) {
      if (imp.external) continue;
      if (imp.kind === 'import-statement') visit(imp.path, into);
      else if (imp.kind === 'dynamic-import') queue.push(imp.path);
    }
  };
  const queue: string[] = [];
  visit(entryKey, initialKeys);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) visit(next, lazyKeys);

  const chunks: BundleSizes['chunks'] = [];
  let initial = ZERO;
  let lazy = ZERO;
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    const key = Object.keys(outputs).find((k) => resolve(options.workingDir, k) === file.path);
    if (key === undefined || !(initialKeys.has(key) || lazyKeys.has(key))) continue;
    const isInitial = initialKeys.has(key);
    const sizes = sizesOf(file.contents);
    chunks.push({ file: key, initial: isInitial, sizes });
    if (isInitial) initial = add(initial, sizes);
    else lazy = add(lazy, sizes);
  }
  // Packages with bytes in the output, not every file esbuild read (a type-only or tree-shaken import reads one).
  const packagesIn = (keys: Set<string>) =>
    packagesFromInputs(
      [...keys].flatMap((key) =>
        Object.entries(outputs[key]?.inputs ?? {})
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([path]) => path),
      ),
    );
  return { initial, lazy, chunks, packages: packagesIn(initialKeys), lazyPackages: packagesIn(lazyKeys) };
}

/** The first esbuild message of a failed build, without the file excerpt. */
export function buildFailure(error: unknown): { missingExport: boolean; unresolved: boolean; text: string } {
  const errors =
    error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors)
      ? (error.errors as esbuild.Message[])
      : [];
  const first = errors[0];
  const text = first
    ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}`
    : error instanceof Error
      ? error.message
      : String(error);
  return {
    missingExport: errors.some((e) => e.text.startsWith('No matching export')),
    unresolved: errors.some((e) => e.text.startsWith('Could not resolve')),
    text,
  };
}
