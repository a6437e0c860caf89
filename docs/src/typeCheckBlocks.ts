import { join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './codeBlocks.ts';

/**
 * What a consumer's strict project would have: the Vite `react-ts` template's options (bundler resolution,
 * `verbatimModuleSyntax`, `strict`) without its unused-variable checks (examples show values they do not use), DOM
 * and Node types (examples are for browsers and for Node), and every file a module (top-level `await`). Also
 * `exactOptionalPropertyTypes`, which strict consumers turn on and which our option types must survive (an example
 * passing `process.env.X` to an optional option fails under it unless the option also accepts `undefined`).
 *
 * `customConditions` picks each package's TypeScript sources through its export map (the
 * `@oidc-device-login/source` condition), so `pnpm test` needs no build: only the exported entries resolve, as
 * for a consumer, and `scripts/check-dts.mjs` checks after the build that the declarations behind them compile.
 */
export const consumerCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  customConditions: ['@oidc-device-login/source'],
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** A TypeScript error in a block, placed on its Markdown line. */
export interface BlockDiagnostic {
  /** `file:line` in the Markdown file, or `file:line (ts-prelude)` for an error in the block's prelude. */
  readonly where: string;
  readonly code: number;
  readonly message: string;
}

/**
 * The path a block is compiled (and run) under: inside `consumerDir`, so its imports resolve from that folder's
 * `node_modules`, where the packages are installed as a consumer installs them. Nothing is written there.
 */
export function blockModulePath(consumerDir: string, block: CodeBlock): string {
  return join(consumerDir, '__examples__', `${block.file}.L${block.line}.${block.language}`);
}

/** The module text of a block: its prelude, then the block itself. */
export function blockSource(block: CodeBlock): { text: string; preludeLines: number } {
  if (block.prelude === '') return { text: block.code, preludeLines: 0 };
  return { text: `${block.prelude}\n${block.code}`, preludeLines: block.prelude.split('\n').length };
}

/**
 * Type-checks the blocks in one in-memory program (nothing is written to disk) and returns each block's errors,
 * in the order of `blocks`. Options or global errors (a missing `@types` package) throw, since they would make
 * every block pass or fail for the wrong reason.
 */
export function typeCheckBlocks(blocks: readonly CodeBlock[], consumerDir: string): BlockDiagnostic[][] {
  const virtual = new Map(
    blocks.map((block) => [blockModulePath(consumerDir, block), { block, ...blockSource(block) }]),
  );
  const host = ts.createCompilerHost(consumerCompilerOptions);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(fileName)?.text ?? readFile.call(host, fileName);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const entry = virtual.get(fileName);
    if (entry) return ts.createSourceFile(fileName, entry.text, languageVersion, true);
    return getSourceFile.call(host, fileName, languageVersion, ...rest);
  };
  const program = ts.createProgram({
    rootNames: [...virtual.keys()],
    options: consumerCompilerOptions,
    host,
  });
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) {
    throw new Error(
      `the example program does not compile: ${global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`,
    );
  }
  return [...virtual.entries()].map(([fileName, { block, preludeLines }]) => {
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile) throw new Error(`${block.file}:${block.line}: the block was not compiled`);
    return [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ].map((diagnostic) => {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const where =
        line < preludeLines
          ? `${block.file}:${block.line} (ts-prelude)`
          : `${block.file}:${block.line + 1 + line - preludeLines}`;
      return {
        where,
        code: diagnostic.code,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      };
    });
  });
}
