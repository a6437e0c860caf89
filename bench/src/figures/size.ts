import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import {
  type Anchor,
  describeNeeds,
  errorMessage,
  type Figure,
  type FigureContext,
  finishRow,
  type Goal,
  type Need,
  naRow,
  need,
  type Row,
} from '../harness.ts';
import {
  type BundleSizes,
  buildFailure,
  bundleSize,
  gzipMethod,
  PEER_EXTERNAL,
  REACT_EXTERNAL,
  type Sizes,
} from '../measureSize.ts';
import { SOURCE_CONDITIONS, type WorkspaceIndex } from '../workspace.ts';
import { ANCHORS } from './sizeAnchors.ts';

const CORE = '@oidc-device-login/core';
const REACT = '@oidc-device-login/react';

/** 7 KB read as 7,000 bytes (PEERS.md writes 47,266 B as "47 KB"). */
const AWS_PATH_MAX_BYTES = 7000;
const WHOLE_STACK_MAX_RATIO = 0.45;

interface OurBundle {
  id: string;
  label: string;
  needs: Need[];
  /** `peers`: the kit's own code (react, xstate, @xstate/react, react-query external); `react`: the whole stack. */
  external: 'peers' | 'react';
  /** Which part is the row's number: what loads up front, or the chunks loaded through `import()`. */
  part: 'initial' | 'lazy';
  /** A cost row: the number is this bundle minus the one these needs make (brotli of each, up front). */
  minus?: Need[];
  anchor: string;
  goal?: (anchor: Sizes | undefined) => Goal | undefined;
  /** Says what the row measures beyond its label; kept in latest.json. */
  note?: string;
}

const awsPath = [
  ...need(CORE, 'createDeviceLogin', 'awsSsoOidc'),
  ...need(REACT, 'DeviceLoginProvider', 'useOidcDeviceLogin', 'DeviceCodePrompt'),
];

export const OUR_BUNDLES: OurBundle[] = [
  {
    id: 'core-client',
    label: '(a) core clients: createSsoOidcClient + createSsoPortalClient',
    needs: need(CORE, 'createSsoOidcClient', 'createSsoPortalClient'),
    external: 'peers',
    part: 'initial',
    anchor: 'aws-sdk-both',
  },
  {
    id: 'aws-path',
    label: '(b) AWS path, kit code only (loaded up front)',
    needs: awsPath,
    external: 'peers',
    part: 'initial',
    anchor: 'react-oidc-context',
    goal: () => ({ text: `≤ ${AWS_PATH_MAX_BYTES.toLocaleString('en-US')} B`, max: AWS_PATH_MAX_BYTES }),
  },
  {
    id: 'generic-path',
    label: '(c) generic OIDC path, kit code only (loaded up front)',
    needs: [
      ...need(CORE, 'createDeviceLogin', 'oidcDeviceProvider'),
      ...need(REACT, 'DeviceLoginProvider', 'useOidcDeviceLogin', 'DeviceCodePrompt'),
    ],
    external: 'peers',
    part: 'initial',
    anchor: 'react-oidc-context',
  },
  {
    id: 'portal-hooks',
    label: '(d) portal client + react-query hooks, kit code only',
    needs: [
      ...need(CORE, 'createSsoPortalClient'),
      ...need(REACT, 'useSsoAccounts', 'useSsoAccountRoles', 'useSsoRoleCredentials'),
    ],
    external: 'peers',
    part: 'initial',
    anchor: 'aws-sdk-sso',
  },
  {
    id: 'qr-chunk',
    label: '(e) QR code, lazily loaded chunk of DeviceCodePrompt',
    needs: need(REACT, 'DeviceCodePrompt'),
    external: 'peers',
    part: 'lazy',
    anchor: 'qrcode-react',
  },
  {
    id: 'aws-stack',
    label: '(f) AWS path, whole browser stack an app ships (kit + xstate; React external), up front',
    needs: awsPath,
    external: 'react',
    part: 'initial',
    anchor: 'aws-sdk-sso-oidc',
    goal: (anchor) =>
      anchor && {
        text: `≤ ${WHOLE_STACK_MAX_RATIO} × AWS SDK client (${Math.floor(anchor.brotli * WHOLE_STACK_MAX_RATIO).toLocaleString('en-US')} B)`,
        max: Math.floor(anchor.brotli * WHOLE_STACK_MAX_RATIO),
      },
    note:
      'the react package does not use @xstate/react, so none ships; @tanstack/react-query is a peer only the ' +
      'portal hooks use, and adds nothing here (see bundledPackages)',
  },
  {
    id: 'core-aws',
    label: '(g) headless core, AWS: createDeviceLogin + awsSsoOidc (xstate external)',
    needs: need(CORE, 'createDeviceLogin', 'awsSsoOidc'),
    external: 'peers',
    part: 'initial',
    anchor: 'aws-sdk-sso-oidc',
  },
  {
    id: 'core-generic',
    label: '(h) headless core, generic: createDeviceLogin + oidcDeviceProvider (xstate external)',
    needs: need(CORE, 'createDeviceLogin', 'oidcDeviceProvider'),
    external: 'peers',
    part: 'initial',
    anchor: 'openid-client-device-full',
  },
  {
    id: 'generic-cost',
    label: '(i) generic provider cost: (g) + oidcDeviceProvider, minus (g)',
    needs: need(CORE, 'createDeviceLogin', 'awsSsoOidc', 'oidcDeviceProvider'),
    minus: need(CORE, 'createDeviceLogin', 'awsSsoOidc'),
    external: 'peers',
    part: 'initial',
    anchor: 'oauth4webapi-device',
    note: 'what an app with awsSsoOidc pays to add oidcDeviceProvider (oauth4webapi included); brotli of each bundle',
  },
  {
    id: 'aws-headless',
    label: '(j) AWS path for a custom UI: (b) without DeviceCodePrompt, kit code only',
    needs: [
      ...need(CORE, 'createDeviceLogin', 'awsSsoOidc'),
      ...need(REACT, 'DeviceLoginProvider', 'useOidcDeviceLogin'),
    ],
    external: 'peers',
    part: 'initial',
    anchor: 'react-oidc-context',
    note: 'the same session, refresh and cross-tab engine as (b), with the app drawing its own prompt; the anchor has no UI either',
  },
];

export interface AnchorResult {
  id: string;
  label: string;
  entry: string;
  external: string;
  sizes: Sizes | null;
  versions: Record<string, string>;
  error?: string;
}

function installedVersion(benchDir: string, pkg: string): string {
  try {
    const manifest = join(benchDir, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

async function measureAnchors(ctx: FigureContext): Promise<AnchorResult[]> {
  const results: AnchorResult[] = [];
  for (const spec of ANCHORS) {
    const versions = Object.fromEntries(spec.packages.map((p) => [p, installedVersion(ctx.benchDir, p)]));
    const base = { id: spec.id, label: spec.label, entry: spec.entry, external: spec.external, versions };
    try {
      const { initial } = await bundleSize({
        entry: join('entries', spec.entry),
        workingDir: ctx.benchDir,
        external: spec.external === 'react' ? REACT_EXTERNAL : [],
      });
      results.push({ ...base, sizes: initial });
      ctx.log(`  anchor ${spec.id}: ${initial.brotli} B brotli`);
    } catch (error) {
      results.push({ ...base, sizes: null, error: buildFailure(error).text });
    }
  }
  return results;
}

/**
 * Writes `export { a, b } from '<source file>'` lines for the needs, each symbol taken from wherever the
 * workspace exports it (so an export that lands in another package or a subpath is still found).
 */
export function entrySource(workspace: WorkspaceIndex, needs: Need[], entryFile: string): string {
  const byFile = new Map<string, string[]>();
  for (const n of needs) {
    const found = workspace.find(n.symbol, n.from);
    if (!found) throw new Error(`${n.symbol} is not exported by any workspace package`);
    const symbols = byFile.get(found.file) ?? [];
    if (!symbols.includes(n.symbol)) symbols.push(n.symbol);
    byFile.set(found.file, symbols);
  }
  const lines = ['// Generated by bench/src/figures/size.ts: what an app imports for this row.'];
  for (const [file, symbols] of byFile) {
    let path = relative(dirname(entryFile), file).split('\\').join('/');
    if (!path.startsWith('.')) path = `./${path}`;
    lines.push(`export { ${symbols.join(', ')} } from '${path}';`);
  }
  return `${lines.join('\n')}\n`;
}

export async function measureOurs(
  ctx: FigureContext,
  spec: OurBundle,
  anchors: AnchorResult[],
): Promise<Row> {
  const anchorResult = anchors.find((a) => a.id === spec.anchor);
  const anchor: Anchor | undefined = anchorResult?.sizes
    ? { label: anchorResult.label, value: anchorResult.sizes.brotli }
    : undefined;
  const goal = spec.goal?.(anchorResult?.sizes ?? undefined);
  const missing = ctx.workspace.missing(spec.needs);
  if (missing.length > 0) {
    return { ...naRow('size', spec.id, spec.label, 'B', `needs ${describeNeeds(missing)}`), goal, anchor };
  }

  const bundle = async (id: string, needs: Need[]): Promise<BundleSizes> => {
    const entryFile = join(ctx.scratchDir, 'entries', `${id}.js`);
    mkdirSync(dirname(entryFile), { recursive: true });
    writeFileSync(entryFile, entrySource(ctx.workspace, needs, entryFile));
    return bundleSize({
      entry: entryFile,
      workingDir: ctx.benchDir,
      external: spec.external === 'peers' ? PEER_EXTERNAL : REACT_EXTERNAL,
      conditions: SOURCE_CONDITIONS,
      splitting: true,
    });
  };
  let sizes: BundleSizes;
  let baseline: BundleSizes | undefined;
  try {
    sizes = await bundle(spec.id, spec.needs);
    if (spec.minus) baseline = await bundle(`${spec.id}-baseline`, spec.minus);
  } catch (error) {
    const failure = buildFailure(error);
    const base = {
      figure: 'size',
      id: spec.id,
      label: spec.label,
      unit: 'B' as const,
      value: null,
      goal,
      anchor,
    };
    if (failure.missingExport || failure.unresolved)
      return { ...base, status: 'n/a', note: `needs ${failure.text}` };
    return { ...base, status: 'error', note: failure.text || errorMessage(error) };
  }

  const part = spec.part === 'lazy' ? sizes.lazy : sizes.initial;
  const detail: Record<string, number | string> = {
    raw: part.raw,
    gzip: part.gzip,
    brotli: part.brotli,
    initialBrotli: sizes.initial.brotli,
    lazyBrotli: sizes.lazy.brotli,
    lazyRaw: sizes.lazy.raw,
    chunks: sizes.chunks.length,
    bundledPackages: sizes.packages.join(' ') || 'none',
    lazyPackages: sizes.lazyPackages.join(' ') || 'none',
    ...(spec.note ? { note: spec.note } : {}),
  };
  if (baseline) {
    const value = sizes.initial.brotli - baseline.initial.brotli;
    return finishRow({
      figure: 'size',
      id: spec.id,
      label: spec.label,
      unit: 'B',
      value,
      goal,
      anchor,
      detail: {
        ...detail,
        raw: sizes.initial.raw - baseline.initial.raw,
        gzip: sizes.initial.gzip - baseline.initial.gzip,
        brotli: value,
        withBrotli: sizes.initial.brotli,
        withoutBrotli: baseline.initial.brotli,
      },
    });
  }
  if (spec.part === 'lazy' && sizes.lazy.raw === 0) {
    return {
      ...naRow(
        'size',
        spec.id,
        spec.label,
        'B',
        'needs a lazily loaded QR chunk (DeviceCodePrompt has no import())',
      ),
      goal,
      anchor,
      detail,
    };
  }
  return finishRow({
    figure: 'size',
    id: spec.id,
    label: spec.label,
    unit: 'B',
    value: part.brotli,
    goal,
    anchor,
    detail,
  });
}

export const sizeFigure: Figure = {
  id: 'size',
  label: 'bundle size',
  title:
    'Bundle size: brotli q11 of esbuild --minify bundles, same run as the anchors; ours split, counting what loads up front',
  goal: `AWS path kit code ≤ ${AWS_PATH_MAX_BYTES} B; whole AWS stack ≤ ${WHOLE_STACK_MAX_RATIO} × AWS SDK client`,
  anchor: 'peer bundles from PEERS.md §1, re-measured in the same run',
  needs: [],
  async run(ctx) {
    const anchors = await measureAnchors(ctx);
    const rows: Row[] = [];
    for (const spec of OUR_BUNDLES) rows.push(await measureOurs(ctx, spec, anchors));
    for (const a of anchors) {
      if (a.error)
        rows.push({
          figure: 'size',
          id: `anchor-${a.id}`,
          label: `anchor ${a.label}`,
          unit: 'B',
          value: null,
          status: 'error',
          note: a.error,
        });
    }
    return {
      rows,
      extra: { anchors, gzip: gzipMethod(), brotli: 'zlib quality 11, size hint', esbuild: esbuild.version },
    };
  },
};
