/**
 * What the published manifest promises a consumer. The declarations are emitted against the xstate of the
 * devDependencies and name its types with their full arity (xstate 5.33 gave
 * `StateMachine` a 15th type parameter): a peer range that admits an older minor installs a combination whose
 * types do not compile. Bumping the devDependency's minor means raising the peer floor with it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;

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
});
