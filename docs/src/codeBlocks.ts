/** Languages whose blocks are type-checked. `typescript` is read as `ts`. */
const checkedLanguages = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['tsx', 'tsx'],
]);

/**
 * Languages that are never TypeScript, so their blocks are not checked. A block with another language (`js`, or
 * none at all) is a problem: it could be an example that escapes the check, so it must say what it is.
 */
const otherLanguages = new Set([
  'sh',
  'bash',
  'shell',
  'json',
  'jsonc',
  'css',
  'nginx',
  'text',
  'diff',
  'yaml',
]);

/** A ts/tsx code block of a Markdown file, with the directives written in HTML comments right before it. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: 'ts' | 'tsx';
  /** The block's text, its fence's indentation removed. */
  readonly code: string;
  /**
   * `<!-- ts-prelude: … -->`: TypeScript put before the block when it is checked or run, for the names the block
   * uses without declaring (`declare const region: string;`, an import an earlier block showed).
   */
  readonly prelude: string;
  /** `<!-- ts-skip: why -->`: a deliberate fragment, not checked. Undefined when the block is checked. */
  readonly skip: string | undefined;
  /** `<!-- ts-run -->`: the block also runs (in Node), because it is cheap and deterministic. */
  readonly run: boolean;
}

/** What is wrong with a Markdown file's blocks or directives, with the line it is on. */
export interface CodeBlockProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

interface Directive {
  readonly line: number;
  readonly name: 'ts-prelude' | 'ts-skip' | 'ts-run';
  readonly value: string;
}

const openingFence = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/;
const directivePattern = /^\s*(ts-prelude|ts-skip|ts-run)\b:?([\s\S]*)$/;

/**
 * The ts/tsx blocks of a Markdown file and the problems found on the way: a block of no or an unknown language,
 * a directive that is not right before a ts/tsx block, an unclosed fence, a skip without a reason.
 */
export function extractCodeBlocks(
  markdown: string,
  file: string,
): { blocks: CodeBlock[]; problems: CodeBlockProblem[] } {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const problems: CodeBlockProblem[] = [];
  // Directives seen since the last fence or prose line; they belong to the next block.
  let pending: Directive[] = [];
  const flushPending = () => {
    for (const directive of pending) {
      problems.push({
        file,
        line: directive.line,
        message: `<!-- ${directive.name} --> is not right before a ts or tsx code block; move it there or remove it`,
      });
    }
    pending = [];
  };

  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? '';
    const fence = openingFence.exec(text);
    if (fence) {
      const [, indent = '', marker = '', info = ''] = fence;
      const fenceLine = index + 1;
      const body: string[] = [];
      let closed = false;
      for (index++; index < lines.length; index++) {
        const inner = lines[index] ?? '';
        const trimmed = inner.trim();
        if (trimmed.startsWith(marker) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === marker[0]) {
          closed = true;
          break;
        }
        body.push(inner.startsWith(indent) ? inner.slice(indent.length) : inner.trimStart());
      }
      if (!closed) problems.push({ file, line: fenceLine, message: 'the code block is never closed' });
      const language = info.toLowerCase();
      const checked = checkedLanguages.get(language);
      if (checked === 'ts' || checked === 'tsx') {
        const skip = pending.find((directive) => directive.name === 'ts-skip');
        if (skip && skip.value === '') {
          problems.push({
            file,
            line: skip.line,
            message: 'ts-skip needs a reason: <!-- ts-skip: a partial signature -->',
          });
        }
        blocks.push({
          file,
          line: fenceLine,
          language: checked,
          code: body.join('\n'),
          prelude: pending
            .filter((directive) => directive.name === 'ts-prelude')
            .map((directive) => directive.value)
            .join('\n'),
          skip: skip?.value,
          run: pending.some((directive) => directive.name === 'ts-run'),
        });
        pending = [];
      } else {
        flushPending();
        if (!otherLanguages.has(language)) {
          problems.push({
            file,
            line: fenceLine,
            message:
              language === ''
                ? 'the code block names no language: use ts or tsx for code (it is then type-checked), text for output'
                : `the code block's language "${info}" is not checked: use ts or tsx, or one of ${[...otherLanguages].join(', ')}`,
          });
        }
      }
      continue;
    }

    if (text.trim() === '') continue;
    const comment = /^\s*<!--/.exec(text);
    if (comment) {
      // An HTML comment, possibly over several lines.
      const start = index;
      let content = text.slice(comment[0].length);
      while (!content.includes('-->') && index + 1 < lines.length) {
        index++;
        content += `\n${lines[index]}`;
      }
      const end = content.indexOf('-->');
      const directive = directivePattern.exec(end === -1 ? content : content.slice(0, end));
      if (directive) {
        const [, name, value = ''] = directive;
        pending.push({ line: start + 1, name: name as Directive['name'], value: value.trim() });
        continue;
      }
    }
    // Prose (or any other comment) between a directive and the next block detaches the directive.
    flushPending();
  }
  flushPending();
  return { blocks, problems };
}
