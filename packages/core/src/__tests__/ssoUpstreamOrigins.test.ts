import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { REGION_PATTERN, ssoUpstreamOrigins } from '../proxy/ssoUpstreamOrigins.ts';

// One region per partition the SDK knows, plus a region the partition regexes do not match.
const regions = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-5',
  'mx-central-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'us-isof-south-1',
  'eusc-de-east-1',
  'xx-unknown-1',
];

describe('ssoUpstreamOrigins', () => {
  // The AWS SDK's own endpoint rules are the reference (PROTOCOL §1).
  const oidcRules = new SSOOIDCClient({ region: 'us-east-1' }).config.endpointProvider;
  const portalRules = new SSOClient({ region: 'us-east-1' }).config.endpointProvider;

  for (const region of regions) {
    it(`matches the AWS SDK endpoint rules for ${region}`, () => {
      for (const fips of [false, true]) {
        for (const dualStack of [false, true]) {
          const params = { Region: region, UseFIPS: fips, UseDualStack: dualStack };
          const ours = ssoUpstreamOrigins(region, { fips, dualStack });
          expect(`${ours.oidc}/`, JSON.stringify(params)).toBe(oidcRules(params).url.href);
          expect(`${ours.portal}/`, JSON.stringify(params)).toBe(portalRules(params).url.href);
        }
      }
    });
  }

  it('accepts region names only', () => {
    for (const region of regions) expect(REGION_PATTERN.test(region), region).toBe(true);
    for (const bad of [
      'evil.example',
      'us-east-1.evil',
      'us-east-1/x',
      'us-east-1%2F',
      'us-east',
      'US-EAST-1',
      '',
    ]) {
      expect(REGION_PATTERN.test(bad), bad).toBe(false);
    }
  });
});
