#!/usr/bin/env node
// Type-checks a package's built declarations the way a strict consumer does: `skipLibCheck: false`, under
// node16 (ESM and CommonJS) and bundler resolution. attw checks that each entry resolves; this checks that what
// it resolves to compiles (a `'use client'` banner in a .d.ts, for one, is TS1036 for such a consumer).
// Run from a package directory after `tsdown` (its `check:pkg` script does).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every `types` file the export map points at, for import and require. */
function declarationFiles(exportsField) {
  const files = new Set();
  const visit = (target) => {
    if (typeof target !== 'object' || target === null) return;
    for (const [condition, value] of Object.entries(target)) {
      if (condition === 'types' && typeof value === 'string') files.add(resolve(value));
      else visit(value);
    }
  };
  visit(exportsField);
  return [...files];
}

const rootNames = declarationFiles(manifest.exports);
if (rootNames.length === 0) {
  console.error(`check-dts: ${manifest.name} has no "types" in its export map`);
  process.exit(1);
}

const settings = [
  { name: 'node16', module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  { name: 'bundler', module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
];
let failed = false;
for (const setting of settings) {
  const program = ts.createProgram({
    rootNames,
    options: {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      module: setting.module,
      moduleResolution: setting.moduleResolution,
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    // Only our own declarations: a peer's (xstate's, under some flags) are not ours to fix.
    .filter(
      (diagnostic) => diagnostic.file === undefined || !diagnostic.file.fileName.includes('/node_modules/'),
    );
  if (diagnostics.length > 0) {
    failed = true;
    console.error(
      `check-dts: ${manifest.name} (${setting.name}):\n` +
        ts.formatDiagnostics(diagnostics, {
          getCanonicalFileName: (fileName) => fileName,
          getCurrentDirectory: () => process.cwd(),
          getNewLine: () => '\n',
        }),
    );
  }
}
if (failed) process.exit(1);
console.log(`check-dts: ${manifest.name}: ${rootNames.length} declaration entries compile (node16, bundler)`);
