// @vitest-environment node
/**
 * What the published manifest promises a consumer. The declarations are emitted against the xstate of the
 * devDependencies (core's, whose declarations the react ones import) and name its types with their full arity (xstate 5.33 gave
 * `StateMachine` a 15th type parameter): a peer range that admits an older minor installs a combination whose
 * types do not compile. Bumping the devDependency's minor means raising the peer floor with it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Manifest {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Type-checks `source` as a consumer file inside the package (imports of the package's own name resolve through
 * its export map) and returns the diagnostics' codes.
 */
function consumerDiagnostics(source: string, resolution: 'bundler' | 'nodenext'): number[] {
  const file = `${packageDir}__consumer__.ts`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: resolution === 'bundler' ? ts.ModuleKind.ESNext : ts.ModuleKind.NodeNext,
    moduleResolution:
      resolution === 'bundler' ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.NodeNext,
    noUncheckedSideEffectImports: true,
    // The consumer file has no other code: the smallest lib keeps the program (and the test) quick.
    lib: ['lib.es5.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const program = ts.createProgram({ rootNames: [file], options, host });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => diagnostic.code);
}

/** Major and minor of a version or of the floor of a caret range (`^5.33.0` → [5, 33]). */
function majorMinor(version: string): [number, number] {
  const match = /^\^?(\d+)\.(\d+)\.\d+$/.exec(version);
  if (!match) throw new Error(`not a plain version or caret range: ${version}`);
  return [Number(match[1]), Number(match[2])];
}

describe('package.json', () => {
  it('asks for no xstate older than the minor its declarations were built against', () => {
    expect(majorMinor(manifest.peerDependencies.xstate!)).toEqual(
      majorMinor(manifest.devDependencies.xstate!),
    );
  });

  it.each(['bundler', 'nodenext'] as const)(
    'lets a TypeScript project import the stylesheet for its side effect (%s resolution, no *.css declaration)',
    (resolution) => {
      // Without a `types` file for ./styles.css this is TS2882 under TypeScript 6's noUncheckedSideEffectImports.
      expect(consumerDiagnostics("import '@oidc-device-login/react/styles.css';\n", resolution)).toEqual([]);
    },
    // A whole TypeScript program per case: seconds on a busy machine, not the default 5.
    30_000,
  );
});
