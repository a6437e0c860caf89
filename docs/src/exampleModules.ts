import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { extractCodeBlocks } from './codeBlocks.ts';

/**
 * A Vite plugin that serves each Markdown code block as a module at its {@link blockModulePath}, so a test can
 * `import()` a block and run it with the project's resolution (the packages' sources, through their export maps).
 * The block is read from the Markdown file when imported; nothing is written to disk.
 */
export function exampleModules(root: string, consumerDir: string): Plugin {
  const prefix = join(consumerDir, '__examples__') + sep;
  return {
    name: 'markdown-example-modules',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(prefix) ? id : undefined;
    },
    load(id) {
      if (!id.startsWith(prefix)) return undefined;
      const match = /^(.*)\.L(\d+)\.tsx?$/.exec(relative(prefix, id).split(sep).join('/'));
      if (!match) throw new Error(`${id} names no Markdown block (<file>.L<line>.ts)`);
      const [, file = '', line] = match;
      const { blocks } = extractCodeBlocks(readFileSync(join(root, file), 'utf8'), file);
      const block = blocks.find((candidate) => candidate.line === Number(line));
      if (!block) throw new Error(`${file} has no ts or tsx block at line ${line}`);
      // Blank lines in place of the Markdown above the block: a stack trace's line is the Markdown line.
      const prelude = block.prelude === '' ? [] : block.prelude.split('\n');
      return [
        ...prelude,
        ...Array<string>(Math.max(0, block.line - prelude.length)).fill(''),
        block.code,
      ].join('\n');
    },
  };
}
