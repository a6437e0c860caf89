import { describe, expect, it } from 'vitest';
import { extractJsdocExamples, topLevelNames, withPrelude } from '../jsdocExamples.ts';

const src = (...lines: string[]) => lines.join('\n');

describe('extractJsdocExamples', () => {
  it('returns the fenced code of each @example on its source line, ending at the next tag or the comment', () => {
    const { blocks, problems } = extractJsdocExamples(
      src(
        "import { x } from './x.ts';",
        '/**',
        ' * Mail dev@example.com about it; a @example in prose is not a tag.',
        ' *',
        ' * @example',
        ' * ```ts',
        ' * const a = f({',
        ' *   b: 1,',
        ' * });',
        ' * ```',
        ' * @param options the @example below is not this one',
        ' */',
        'export function f() {}',
        '  /**',
        '   * @example',
        '   * ```tsx',
        '   * <A />',
        '   * ```',
        '   */',
      ),
      'p/src/f.ts',
    );
    expect(problems).toEqual([]);
    expect(
      blocks.map(({ file, line, language, code, run }) => ({ file, line, language, code, run })),
    ).toEqual([
      { file: 'p/src/f.ts', line: 6, language: 'ts', code: 'const a = f({\n  b: 1,\n});', run: false },
      { file: 'p/src/f.ts', line: 16, language: 'tsx', code: '<A />', run: false },
    ]);
  });

  it('reports an unfenced example, a fence without a language, and an unclosed fence, on their lines', () => {
    const { blocks, problems } = extractJsdocExamples(
      src(
        '/** @example f(1) // 2 */',
        '/**',
        ' * @example',
        ' * ```',
        ' * f(1);',
        ' * ```',
        ' */',
        '/**',
        ' * @example',
        ' * ```ts',
        ' * f(1);',
        ' */',
      ),
      'f.ts',
    );
    expect(blocks.map((block) => block.line)).toEqual([10]);
    expect(problems.map(({ line, message }) => `${line} ${message}`)).toEqual([
      '1 the @example is not in a code fence: put its code in a ```ts (or ```tsx) fence',
      expect.stringMatching(/^4 the code block names no language/),
      '10 the code block is never closed',
    ]);
  });

  it('reads // ts-prelude and // ts-skip lines inside the fence, and wants a reason to skip', () => {
    const { blocks, problems } = extractJsdocExamples(
      src(
        '/**',
        ' * @example',
        ' * ```ts',
        ' * // ts-prelude: declare const region: string;',
        ' * f(region);',
        ' * ```',
        ' * @example',
        ' * ```ts',
        ' * // ts-skip: a partial signature',
        ' * f(',
        ' * ```',
        ' * @example',
        ' * ```ts',
        ' * // ts-skip',
        ' * ```',
        ' */',
      ),
      'f.ts',
    );
    expect(blocks.map(({ prelude, skip }) => ({ prelude, skip }))).toEqual([
      { prelude: 'declare const region: string;', skip: undefined },
      { prelude: '', skip: 'a partial signature' },
      { prelude: '', skip: '' },
    ]);
    expect(problems).toEqual([
      { file: 'f.ts', line: 13, message: 'ts-skip needs a reason: // ts-skip: why' },
    ]);
  });
});

describe('withPrelude', () => {
  const prelude = new Map([
    ['f', "import { f } from 'p';"],
    ['region', 'declare const region: string;'],
    ['Options', "import type { Options } from 'p';"],
  ]);
  const [block] = extractJsdocExamples(
    src(
      '/**',
      ' * @example',
      ' * ```ts',
      " * import { f } from 'p';",
      ' * const region = 1;',
      ' * ```',
      ' */',
    ),
    'f.ts',
  ).blocks;

  it('leaves out what the example binds itself, and keeps the rest before its own prelude', () => {
    expect(block && withPrelude({ ...block, prelude: 'declare const x: 1;' }, prelude).prelude).toBe(
      "import type { Options } from 'p';\ndeclare const x: 1;",
    );
  });

  it('finds the names bound at the top level, destructured ones included, and not inner ones', () => {
    expect(
      [
        ...topLevelNames(
          "import d, { a as b } from 'p';\nimport * as ns from 'q';\nconst { c, d: [e] } = g();\nfunction h() { const i = 1; }\ntype T = 1;",
          'ts',
        ),
      ].sort(),
    ).toEqual(['T', 'b', 'c', 'd', 'e', 'h', 'ns']);
  });
});
