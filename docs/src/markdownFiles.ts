import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders that hold no documentation of ours: dependencies, build output, reports. */
const ignoredFolders = new Set([
  'node_modules',
  '.git',
  'dist',
  '.tsbuild',
  'storybook-static',
  'coverage',
  'e2e-output',
  '.ci-out',
]);
/** Generated folders, relative to the root. */
const ignoredPaths = new Set(['bench/results']);

/**
 * Every Markdown and MDX file of the repository, relative to `root` with `/`, sorted. Found by walking the tree,
 * so a README added later is checked without anyone listing it.
 */
export function findMarkdownFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const path = join(folder, entry.name);
        if (!ignoredFolders.has(entry.name) && !ignoredPaths.has(relative(root, path).split(sep).join('/'))) {
          walk(path);
        }
      } else if (/\.mdx?$/i.test(entry.name)) {
        files.push(relative(root, join(folder, entry.name)).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return files.sort();
}
