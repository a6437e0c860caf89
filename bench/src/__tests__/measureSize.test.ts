import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  brotli,
  buildFailure,
  bundleSize,
  gzip,
  gzipMethod,
  PEER_EXTERNAL,
  packagesFromInputs,
  REACT_EXTERNAL,
} from '../measureSize.ts';
import { SOURCE_CONDITION, SOURCE_CONDITIONS } from '../workspace.ts';
import { benchDir, fixtureRoot } from './fixtureContext.ts';

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('bundleSize', () => {
  it('reproduces the PEERS.md §1 anchors byte for byte (same method, pinned versions)', async () => {
    // PEERS.md §1: xstate-react.js (react ext) 13,753 raw / 4,321 brotli; openid-client-device.js 21,568 / 6,587.
    const xr = await bundleSize({
      entry: 'entries/xstate-react.js',
      workingDir: benchDir,
      external: REACT_EXTERNAL,
    });
    expect([xr.initial.raw, xr.initial.brotli]).toEqual([13753, 4321]);
    const oc = await bundleSize({ entry: 'entries/openid-client-device.js', workingDir: benchDir });
    expect([oc.initial.raw, oc.initial.brotli]).toEqual([21568, 6587]);
    expect(oc.lazy).toEqual({ raw: 0, gzip: 0, brotli: 0 });
  });

  it('resolves peers as the anchors do once the source condition is added', async () => {
    const entry = 'entries/xstate-react.js';
    const plain = await bundleSize({ entry, workingDir: benchDir, external: REACT_EXTERNAL });
    const ours = await bundleSize({
      entry,
      workingDir: benchDir,
      external: REACT_EXTERNAL,
      conditions: SOURCE_CONDITIONS,
    });
    expect(ours.initial).toEqual(plain.initial);
    // Why 'module' is in SOURCE_CONDITIONS: a custom condition alone drops it and @xstate/react grows.
    const bare = await bundleSize({
      entry,
      workingDir: benchDir,
      external: REACT_EXTERNAL,
      conditions: [SOURCE_CONDITION],
    });
    expect(bare.initial.raw).toBeGreaterThan(plain.initial.raw);
  });

  it('splits what import() loads into lazy chunks and keeps it out of the initial size', async () => {
    // The fixture's own imports (react, qrcode.react) resolve from bench/node_modules, wherever the entry is.
    const entry = join(temp('bench-split-'), 'prompt.js');
    const source = join(fixtureRoot, 'packages/react/src/index.js');
    writeFileSync(entry, `export { DeviceCodePrompt } from ${JSON.stringify(source)};\n`);
    const split = await bundleSize({ entry, workingDir: benchDir, external: PEER_EXTERNAL, splitting: true });
    expect(split.lazy.raw).toBeGreaterThan(0);
    expect(split.chunks.filter((c) => !c.initial).length).toBeGreaterThan(0);
    // qrcode.react is in the lazy chunk only; react is external.
    expect(split.lazyPackages).toContain('qrcode.react@4.2.0');
    expect(split.packages).not.toContain('qrcode.react@4.2.0');
    const whole = await bundleSize({ entry, workingDir: benchDir, external: PEER_EXTERNAL });
    // Without splitting the QR code lands in the one bundle.
    expect(whole.initial.raw).toBeGreaterThan(split.initial.raw);
  });
  it('counts a chunk nothing loads (its import() was tree-shaken away) as neither initial nor lazy', async () => {
    const dir = temp('bench-orphan-');
    writeFileSync(join(dir, 'heavy.js'), `export const heavy = ${JSON.stringify('x'.repeat(5000))};\n`);
    writeFileSync(
      join(dir, 'lib.js'),
      "export const used = 1;\nexport const unused = () => import('./heavy.js');\n",
    );
    writeFileSync(join(dir, 'entry.js'), "export { used } from './lib.js';\n");
    const sizes = await bundleSize({ entry: join(dir, 'entry.js'), workingDir: dir, splitting: true });
    expect(sizes.lazy).toEqual({ raw: 0, gzip: 0, brotli: 0 });
    expect(sizes.chunks.map((c) => c.initial)).toEqual([true]);
    expect(sizes.initial.raw).toBeLessThan(100);
  });
});

describe('compression', () => {
  it('brotli q11 and gzip -9 produce streams that decompress to the input, smaller than it', () => {
    const text = 'device code '.repeat(500);
    const input = new TextEncoder().encode(text);
    const br = brotli(input);
    const gz = gzip(input);
    expect(brotliDecompressSync(br).toString()).toBe(text);
    expect(gunzipSync(gz).toString()).toBe(text);
    expect(br.length).toBeLessThan(gz.length);
    expect(gz.length).toBeLessThan(input.length);
    expect(gzipMethod()).toBe('gzip -9 -n (stdin)');
  });
});

describe('buildFailure', () => {
  it('tells a missing export apart from other build errors', async () => {
    const dir = temp('bench-fail-');
    writeFileSync(join(dir, 'lib.js'), 'export const here = 1;\n');
    writeFileSync(join(dir, 'entry.js'), "export { notHere } from './lib.js';\n");
    const error = await esbuild
      .build({ entryPoints: [join(dir, 'entry.js')], bundle: true, write: false, logLevel: 'silent' })
      .catch((e: unknown) => e);
    const failure = buildFailure(error);
    expect(failure.missingExport).toBe(true);
    expect(failure.text).toContain('notHere');
    expect(buildFailure(new Error('boom'))).toEqual({
      missingExport: false,
      unresolved: false,
      text: 'boom',
    });
  });
});

describe('packagesFromInputs', () => {
  it('reads name@version out of pnpm store paths', () => {
    expect(
      packagesFromInputs([
        'node_modules/.pnpm/@xstate+react@6.1.0_@types+react@19.3.0_react@19.3.1/node_modules/@xstate/react/dist/x.js',
        'node_modules/.pnpm/xstate@5.33.3/node_modules/xstate/dist/y.js',
        'src/own.ts',
      ]),
    ).toEqual(['@xstate/react@6.1.0', 'xstate@5.33.3']);
  });
});
