// The ts/tsx code blocks of every Markdown file in the repository are type-checked as a consumer's strict project
// would check them, and the ones marked `<!-- ts-run -->` also run. Directives (HTML comments right before a
// block, invisible on GitHub and npm):
//   <!-- ts-prelude: declare const region: string; -->   TypeScript put before the block, for names it uses
//   <!-- ts-skip: a partial signature -->               a deliberate fragment: not checked (a reason is required)
//   <!-- ts-run -->                                      also run it in Node (blocks importing vitest run as tests)
// The fenced ts/tsx code of every JSDoc `@example` in the packages' sources is type-checked in the same program, with
// the package's prelude below (and `// ts-prelude: …` / `// ts-skip: why` lines inside the fence, which users see).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, extractCodeBlocks } from '../codeBlocks.ts';
import {
  type ExamplePrelude,
  extractJsdocExamples,
  findSourceFiles,
  importsFrom,
  withPrelude,
} from '../jsdocExamples.ts';
import { findMarkdownFiles } from '../markdownFiles.ts';
import { type BlockDiagnostic, blockModulePath, typeCheckBlocks } from '../typeCheckBlocks.ts';

const consumerDir = resolve(import.meta.dirname, '../..');
const root = resolve(consumerDir, '..');

const files = findMarkdownFiles(root);
const extracted = files.map((file) => extractCodeBlocks(readFileSync(join(root, file), 'utf8'), file));
const blocks = extracted.flatMap((result) => result.blocks);
const checked = blocks.filter((block) => block.skip === undefined);

/**
 * What a reader of a package's JSDoc `@example` knows without being told: the package's main entry (the example
 * sits on the export it shows) and the values around it. An example imports what comes from elsewhere (a subpath
 * entry, another package) itself: a reader must learn where it comes from.
 */
const common: [string, string][] = [
  ['region', 'declare const region: string;'],
  ['startUrl', 'declare const startUrl: string;'],
  ['clientName', 'declare const clientName: string;'],
  ['accessToken', 'declare const accessToken: string;'],
];
const preludes: Record<string, ExamplePrelude> = {
  'packages/core/src/': new Map([
    ...common,
    ...importsFrom(
      '@oidc-device-login/core',
      [
        'awsSsoOidc',
        'createDeviceLogin',
        'createSsoOidcClient',
        'createSsoPortalClient',
        'deviceLoginMachine',
        'oidcDeviceProvider',
        'resolveSsoOidcEndpoint',
        'resolveSsoPortalEndpoint',
        'webPageUrlProblem',
      ],
      ['DeviceLoginView'],
    ),
    ['view', 'declare const view: DeviceLoginView;'],
    ['render', 'declare function render(view: DeviceLoginView): void;'],
    ['link', 'declare const link: HTMLAnchorElement;'],
    ['app', "declare const app: import('express').Express;"],
  ]),
  'packages/react/src/': new Map([
    ...common,
    ...importsFrom('@oidc-device-login/core', [], ['DeviceLogin']),
    ['login', 'declare const login: DeviceLogin;'],
    ...importsFrom('@oidc-device-login/react', [
      'DeviceCodePrompt',
      'DeviceLoginProvider',
      'useAccessToken',
      'useAuthenticatedFetch',
      'useOidcDeviceLogin',
      'useSsoAccounts',
    ]),
  ]),
  'packages/emulator/src/': new Map([
    ...common,
    ...importsFrom('@oidc-device-login/emulator', [
      'createEmulator',
      'createEmulatorMiddleware',
      'startEmulator',
    ]),
  ]),
};
const sources = findSourceFiles(root);
const fromJsdoc = sources.map((file) => extractJsdocExamples(readFileSync(join(root, file), 'utf8'), file));
const examples = fromJsdoc
  .flatMap((result) => result.blocks)
  .filter((block) => block.skip === undefined)
  .map((block) => {
    const prelude = Object.entries(preludes).find(([folder]) => block.file.startsWith(folder))?.[1];
    if (!prelude) throw new Error(`${block.file}: no example prelude for its package`);
    return withPrelude(block, prelude);
  });

const named = (block: CodeBlock) => ({ name: `${block.file}:${block.line}`, block });

/** A block the checker must reject: proves a drifted example fails, with its Markdown line. */
const drifted = extractCodeBlocks(
  [
    '# Fixture',
    '',
    '```ts',
    "import { awsSsoOidc } from '@oidc-device-login/core';",
    '',
    "awsSsoOidc({ regoin: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start', clientName: 'x' });",
    '```',
    '',
    '<!-- ts-prelude: declare const region: number; -->',
    '```ts',
    "import { awsSsoOidc } from '@oidc-device-login/core';",
    "awsSsoOidc({ region, startUrl: 'https://d-1234567890.awsapps.com/start', clientName: 'x' });",
    "import { notExported } from '@oidc-device-login/core';",
    "import { createSsoOidcClient } from '@oidc-device-login/core/src/createSsoOidcClient.ts';",
    '```',
  ].join('\n'),
  'fixture/DRIFT.md',
).blocks;

/** A JSDoc example the checker must reject, placed on its source line. */
const driftedExample = extractJsdocExamples(
  [
    'export const x = 1;',
    '/**',
    ' * Signs in.',
    ' *',
    ' * @example',
    ' * ```ts',
    " * const provider = awsSsoOidc({ regoin: 'us-east-1', startUrl, clientName });",
    ' * ```',
    ' * @see elsewhere',
    ' */',
  ].join('\n'),
  'packages/core/src/drift.ts',
).blocks.map((block) => withPrelude(block, preludes['packages/core/src/'] ?? new Map()));

let diagnostics = new Map<CodeBlock, readonly BlockDiagnostic[]>();
beforeAll(() => {
  const all = [...checked, ...examples, ...drifted, ...driftedExample];
  const results = typeCheckBlocks(all, consumerDir);
  diagnostics = new Map(all.map((block, index) => [block, results[index] ?? []]));
}, 60_000);

/** TypeScript's errors as `file:line TSnnnn message` lines, so a failure says where and what. */
const report = (block: CodeBlock) =>
  (diagnostics.get(block) ?? []).map(({ where, code, message }) => `${where} TS${code} ${message}`);

describe('Markdown files', () => {
  it('are all found, and every package README has checked examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'packages/core/README.md',
        'packages/react/README.md',
        'packages/emulator/README.md',
        'apps/demo/README.md',
      ]),
    );
    for (const pkg of ['core', 'react', 'emulator']) {
      expect(checked.filter((block) => block.file === `packages/${pkg}/README.md`).length).toBeGreaterThan(0);
    }
  });

  it('name a language on every code block, and put every directive right before a ts or tsx block', () => {
    const problems = extracted.flatMap((result) => result.problems);
    expect(problems.map(({ file, line, message }) => `${file}:${line} ${message}`)).toEqual([]);
  });
});

describe('type-checks', () => {
  it.each(checked.map(named))('$name', ({ block }) => {
    expect(diagnostics.has(block), 'the block was type-checked').toBe(true);
    expect(report(block)).toEqual([]);
  });

  it('reports a drifted example with its Markdown line and TypeScript message', () => {
    const [misspelled, wrong] = drifted;
    expect(misspelled && report(misspelled)).toEqual([
      expect.stringMatching(
        /^fixture\/DRIFT\.md:6 TS2561 .*'regoin' does not exist .*Did you mean .*'region'/s,
      ),
    ]);
    expect(wrong && report(wrong)).toEqual([
      // The prelude's type flows into the block, and the error is placed on the block's line.
      expect.stringMatching(/^fixture\/DRIFT\.md:12 TS2322 Type 'number' is not assignable to type 'string'/),
      // Names the package does not export, and internals outside its export map, do not resolve.
      expect.stringMatching(/^fixture\/DRIFT\.md:13 TS2305 .*has no exported member 'notExported'/),
      expect.stringMatching(
        /^fixture\/DRIFT\.md:14 TS2307 Cannot find module '@oidc-device-login\/core\/src\//,
      ),
    ]);
  });
});

describe('JSDoc @example blocks', () => {
  it('are found in every package, fenced, and of a known language', () => {
    for (const pkg of ['core', 'react', 'emulator']) {
      expect(
        examples.filter((block) => block.file.startsWith(`packages/${pkg}/src/`)).length,
      ).toBeGreaterThan(0);
    }
    const problems = fromJsdoc.flatMap((result) => result.problems);
    expect(problems.map(({ file, line, message }) => `${file}:${line} ${message}`)).toEqual([]);
  });

  it.each(examples.map(named))('$name', ({ block }) => {
    expect(diagnostics.has(block), 'the example was type-checked').toBe(true);
    expect(report(block)).toEqual([]);
  });

  it('reports a drifted example with its source line and TypeScript message', () => {
    expect(driftedExample.map(report)).toEqual([
      [expect.stringMatching(/^packages\/core\/src\/drift\.ts:7 TS2561 .*'regoin' does not exist/s)],
    ]);
  });
});

describe('runs', () => {
  const runnable = checked.filter((block) => block.run);
  it('has examples marked ts-run', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });
  for (const block of runnable) {
    const { name } = named(block);
    const path = blockModulePath(consumerDir, block);
    if (/from ['"]vitest['"]/.test(block.code)) {
      // A test file: importing it registers its hooks and tests in this suite.
      describe(name, async () => {
        await import(/* @vite-ignore */ path);
      });
    } else {
      it(name, async () => {
        await import(/* @vite-ignore */ path);
      });
    }
  }
});
