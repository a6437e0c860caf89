import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnchorResult, entrySource, measureOurs, OUR_BUNDLES, sizeFigure } from '../figures/size.ts';
import { need } from '../harness.ts';
import { fixtureContext, fixtureRoot } from './fixtureContext.ts';

describe('size figure', () => {
  it('measures every row once the exports exist, with anchors and goals from the same run', async () => {
    const ctx = await fixtureContext();
    const { rows, extra } = await sizeFigure.run(ctx);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    for (const spec of OUR_BUNDLES) {
      expect(byId[spec.id]?.status, `${spec.id}: ${byId[spec.id]?.note}`).toMatch(/^(pass|fail|info)$/);
      if (!spec.minus) expect(byId[spec.id]?.value).toBeGreaterThan(0);
    }
    // A cost row is the difference of two bundles measured in the same run.
    const cost = byId['generic-cost']!;
    expect(cost.value).toBe(Number(cost.detail?.withBrotli) - Number(cost.detail?.withoutBrotli));
    expect(cost.detail?.withoutBrotli).toBe(byId['core-aws']?.value);
    const anchors = extra?.anchors as AnchorResult[];
    const awsSdk = anchors.find((a) => a.id === 'aws-sdk-sso-oidc')?.sizes?.brotli ?? 0;
    expect(awsSdk).toBe(47266);
    const stack = byId['aws-stack']!;
    expect(stack.goal?.max).toBe(Math.floor(awsSdk * 0.45));
    expect(stack.ratio).toBeCloseTo((stack.value ?? 0) / awsSdk, 6);
    expect(stack.status).toBe((stack.value ?? 0) <= Math.floor(awsSdk * 0.45) ? 'pass' : 'fail');
    // The whole stack bundles what the code imports (the stand-in uses @xstate/react); the kit-only row keeps
    // peers external.
    expect(String(stack.detail?.bundledPackages)).toContain('@xstate/react@6.1.0');
    expect(String(byId['aws-path']?.detail?.bundledPackages)).not.toContain('xstate');
    expect(stack.value).toBeGreaterThan(byId['aws-path']?.value ?? 0);
    // The custom-UI row is the AWS path minus the prompt: smaller, and from the same run.
    expect(byId['aws-headless']?.value).toBeLessThan(byId['aws-path']?.value ?? 0);
    // The QR row is the lazy chunk, which carries qrcode.react, and the prompt's initial code does not.
    const qr = byId['qr-chunk']!;
    expect(qr.value).toBe(qr.detail?.lazyBrotli);
    expect(qr.detail?.initialBrotli).toBeLessThan(qr.value ?? 0);
    expect(rows.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('prints n/a naming what is missing, never a number, while an export does not exist', async () => {
    const ctx = await fixtureContext();
    const row = await measureOurs(
      ctx,
      {
        id: 'future',
        label: 'a row for an export not written yet',
        needs: [
          ...need('@oidc-device-login/core', 'createDeviceLogin'),
          ...need('@oidc-device-login/react', 'useTabs'),
        ],
        external: 'peers',
        part: 'initial',
        anchor: 'nope',
      },
      [],
    );
    expect(row).toMatchObject({
      status: 'n/a',
      value: null,
      note: 'needs useTabs from @oidc-device-login/react',
    });
  });

  it('writes an entry that re-exports each symbol from the source file exporting it', async () => {
    const ctx = await fixtureContext();
    const entryFile = join(fixtureRoot, 'entries', 'x.js');
    const source = entrySource(
      ctx.workspace,
      [
        ...need('@oidc-device-login/core', 'createDeviceLogin', 'awsSsoOidc'),
        ...need('@oidc-device-login/react', 'DeviceCodePrompt'),
      ],
      entryFile,
    );
    expect(source).toContain(
      "export { createDeviceLogin, awsSsoOidc } from '../packages/core/src/index.ts';",
    );
    expect(source).toContain("export { DeviceCodePrompt } from '../packages/react/src/index.js';");
  });
});
