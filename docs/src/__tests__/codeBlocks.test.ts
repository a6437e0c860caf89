import { describe, expect, it } from 'vitest';
import { extractCodeBlocks } from '../codeBlocks.ts';

const md = (...lines: string[]) => lines.join('\n');

describe('extractCodeBlocks', () => {
  it('returns ts, typescript and tsx blocks with their fence line, and nothing else', () => {
    const { blocks, problems } = extractCodeBlocks(
      md(
        '# Title',
        '```sh',
        'pnpm add x',
        '```',
        '```ts',
        'const a = 1;',
        '```',
        '```typescript',
        'const b = 2;',
        '```',
        '```tsx',
        'const c = <div />;',
        '```',
        '```json',
        '{}',
        '```',
      ),
      'A.md',
    );
    expect(problems).toEqual([]);
    expect(blocks.map(({ line, language, code }) => ({ line, language, code }))).toEqual([
      { line: 5, language: 'ts', code: 'const a = 1;' },
      { line: 8, language: 'ts', code: 'const b = 2;' },
      { line: 11, language: 'tsx', code: 'const c = <div />;' },
    ]);
  });

  it('removes the indentation of a fence inside a list, and keeps a longer fence open over a shorter one', () => {
    const { blocks } = extractCodeBlocks(
      md('- item', '', '  ```ts', '  if (x) {', '    y();', '  }', '  ```', '````ts', '```', 'z();', '````'),
      'A.md',
    );
    expect(blocks.map((block) => block.code)).toEqual(['if (x) {\n  y();\n}', '```\nz();']);
  });

  it('attaches the directives right before a block, blank lines and several comments allowed', () => {
    const { blocks, problems } = extractCodeBlocks(
      md(
        '<!-- ts-prelude: declare const region: string;',
        'declare const startUrl: string; -->',
        '<!-- ts-run -->',
        '',
        '```ts',
        'use(region, startUrl);',
        '```',
        '<!-- ts-skip: a partial signature -->',
        '```ts',
        'function f(',
        '```',
        '```ts',
        'plain();',
        '```',
      ),
      'A.md',
    );
    expect(problems).toEqual([]);
    expect(blocks.map(({ prelude, run, skip }) => ({ prelude, run, skip }))).toEqual([
      {
        prelude: 'declare const region: string;\ndeclare const startUrl: string;',
        run: true,
        skip: undefined,
      },
      { prelude: '', run: false, skip: 'a partial signature' },
      { prelude: '', run: false, skip: undefined },
    ]);
  });

  it('reports a directive that is not right before a ts block, and a skip without a reason', () => {
    const { blocks, problems } = extractCodeBlocks(
      md(
        '<!-- ts-prelude: declare const a: string; -->',
        'Some prose.',
        '```ts',
        'a;',
        '```',
        '<!-- ts-run -->',
        '```sh',
        'ls',
        '```',
        '<!-- ts-skip -->',
        '```ts',
        'f(',
        '```',
        '<!-- ts-run -->',
      ),
      'A.md',
    );
    expect(blocks[0]?.prelude).toBe('');
    expect(problems).toEqual([
      { file: 'A.md', line: 1, message: expect.stringContaining('not right before a ts or tsx code block') },
      { file: 'A.md', line: 6, message: expect.stringContaining('not right before a ts or tsx code block') },
      { file: 'A.md', line: 10, message: expect.stringContaining('ts-skip needs a reason') },
      { file: 'A.md', line: 14, message: expect.stringContaining('not right before a ts or tsx code block') },
    ]);
  });

  it('reports blocks without a language or in a language that escapes the check, and an unclosed fence', () => {
    const { problems } = extractCodeBlocks(
      md('```', 'const a = 1;', '```', '```js', 'const b = 2;', '```', '```ts', 'const c = 3;'),
      'A.md',
    );
    expect(problems).toEqual([
      { file: 'A.md', line: 1, message: expect.stringContaining('names no language') },
      { file: 'A.md', line: 4, message: expect.stringContaining('"js" is not checked') },
      { file: 'A.md', line: 7, message: 'the code block is never closed' },
    ]);
  });

  it('ignores other HTML comments, which still detach a directive before them', () => {
    const { blocks, problems } = extractCodeBlocks(
      md('<!-- ts-run -->', '<!-- bench:start -->', '```ts', 'x();', '```'),
      'A.md',
    );
    expect(blocks[0]?.run).toBe(false);
    expect(problems).toEqual([
      { file: 'A.md', line: 1, message: expect.stringContaining('not right before') },
    ]);
  });
});
