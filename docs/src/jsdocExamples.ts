import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { type CodeBlock, type CodeBlockProblem, extractCodeBlocks } from './codeBlocks.ts';

/** Source folders whose JSDoc editors show to users: the published packages'. */
export const publicSourceFolders = ['packages/core/src', 'packages/react/src', 'packages/emulator/src'];

/**
 * The TypeScript sources of `folders` (relative to `root`, with `/`, sorted), without tests and stories: the files
 * whose JSDoc reaches users through the packages' declarations.
 */
export function findSourceFiles(root: string, folders: readonly string[] = publicSourceFolders): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__' && entry.name !== 'node_modules') walk(path);
      } else if (/\.tsx?$/.test(entry.name) && !/\.(test|stories)\.tsx?$|\.d\.ts$/.test(entry.name)) {
        files.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files.sort();
}

/** `// ts-prelude: …` or `// ts-skip: why` on a line of its own inside an example's fence. */
const directiveLine = /^\s*\/\/\s*(ts-prelude|ts-skip)\b:?(.*)$/;

/**
 * The fenced ts/tsx code of every `@example` tag in a source file's JSDoc, each placed on its fence's line in the
 * source file, and the problems found on the way: an example not in a fence (editors would show it as prose or
 * guess its language, and it would escape the check), a fence of no or an unknown language, an unclosed fence.
 *
 * An example is self-evident: the names it uses without declaring come from the package prelude of the test. When
 * one needs more, a `// ts-prelude: declare const x: X;` line inside it (visible to users) adds it, and
 * `// ts-skip: why` leaves a deliberate fragment unchecked.
 */
export function extractJsdocExamples(
  source: string,
  file: string,
): { blocks: CodeBlock[]; problems: CodeBlockProblem[] } {
  const blocks: CodeBlock[] = [];
  const problems: CodeBlockProblem[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = source.slice(0, comment.index).split('\n').length;
    // The comment's text without its `/**`, ` * ` and `*/` decoration, one entry per source line.
    const lines = comment[0].split('\n').map((line) =>
      line
        .replace(/^\s*\/\*\*\s?/, '')
        .replace(/^\s*\*(?!\/)\s?/, '')
        .replace(/\s*\*\/\s*$/, ''),
    );
    let inFence = false;
    let section: { line: number; text: string[] } | undefined;
    const flush = () => {
      if (!section) return;
      const { line, text } = section;
      section = undefined;
      const offset = line - 1;
      if (!text.some((entry) => /^\s*(`{3,}|~{3,})/.test(entry))) {
        if (text.some((entry) => entry.trim() !== '')) {
          problems.push({
            file,
            line,
            message: 'the @example is not in a code fence: put its code in a ```ts (or ```tsx) fence',
          });
        }
        return;
      }
      const found = extractCodeBlocks(text.join('\n'), file);
      problems.push(...found.problems.map((problem) => ({ ...problem, line: problem.line + offset })));
      for (const block of found.blocks) {
        const directives = block.code.split('\n').flatMap((codeLine) => {
          const match = directiveLine.exec(codeLine);
          return match ? [{ name: match[1], value: (match[2] ?? '').trim() }] : [];
        });
        const skip = directives.find((directive) => directive.name === 'ts-skip');
        if (skip && skip.value === '') {
          problems.push({
            file,
            line: block.line + offset,
            message: 'ts-skip needs a reason: // ts-skip: why',
          });
        }
        blocks.push({
          ...block,
          line: block.line + offset,
          prelude: directives
            .filter((directive) => directive.name === 'ts-prelude')
            .map((directive) => directive.value)
            .join('\n'),
          skip: skip?.value,
          run: false,
        });
      }
    };
    lines.forEach((text, index) => {
      if (/^\s*(`{3,}|~{3,})/.test(text)) inFence = !inFence;
      const tag = inFence ? null : /^\s*@(\w+)\b\s?(.*)$/.exec(text);
      if (tag) {
        flush();
        if (tag[1] === 'example') section = { line: firstLine + index, text: [tag[2] ?? ''] };
      } else {
        section?.text.push(text);
      }
    });
    flush();
  }
  return { blocks, problems };
}

/** Names a prelude provides, each with the one statement that declares it (`import …` or `declare …`). */
export type ExamplePrelude = ReadonlyMap<string, string>;

/** Prelude entries importing `names` from `module` (`import type` for the ones in `types`). */
export function importsFrom(
  module: string,
  names: readonly string[],
  types: readonly string[] = [],
): [string, string][] {
  return [
    ...names.map((name): [string, string] => [name, `import { ${name} } from '${module}';`]),
    ...types.map((name): [string, string] => [name, `import type { ${name} } from '${module}';`]),
  ];
}

/** The names a module's code binds at its top level: imports, variables, functions, classes, types. */
export function topLevelNames(code: string, language: 'ts' | 'tsx'): Set<string> {
  const file = ts.createSourceFile(
    `example.${language}`,
    code,
    ts.ScriptTarget.Latest,
    false,
    language === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else if (bindings) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/**
 * The block with the prelude's statements put before its own `// ts-prelude:` lines, except those for names the
 * example binds itself (an example may import what it documents, or declare a name the prelude also offers).
 */
export function withPrelude(block: CodeBlock, prelude: ExamplePrelude): CodeBlock {
  const own = topLevelNames(`${block.prelude}\n${block.code}`, block.language);
  const shared = [...prelude].filter(([name]) => !own.has(name)).map(([, statement]) => statement);
  return { ...block, prelude: [...shared, ...(block.prelude === '' ? [] : [block.prelude])].join('\n') };
}
