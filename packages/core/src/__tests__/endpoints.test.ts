import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import {
  prefersDualStack,
  regionFromStartUrl,
  resolveSsoOidcEndpoint,
  resolveSsoPortalEndpoint,
} from '../endpoints.ts';
import { InvalidArgumentError } from '../errors.ts';

// PROTOCOL §1, verbatim: default | FIPS | dual-stack | FIPS + dual-stack, for the OIDC service.
const OIDC_TABLE: [string, string, string, string, string][] = [
  [
    'us-east-1',
    'https://oidc.us-east-1.amazonaws.com',
    'https://oidc-fips.us-east-1.amazonaws.com',
    'https://oidc.us-east-1.api.aws',
    'https://oidc-fips.us-east-1.api.aws',
  ],
  [
    'eu-west-1',
    'https://oidc.eu-west-1.amazonaws.com',
    'https://oidc-fips.eu-west-1.amazonaws.com',
    'https://oidc.eu-west-1.api.aws',
    'https://oidc-fips.eu-west-1.api.aws',
  ],
  [
    'us-gov-west-1',
    'https://oidc.us-gov-west-1.amazonaws.com',
    'https://oidc.us-gov-west-1.amazonaws.com',
    'https://oidc.us-gov-west-1.api.aws',
    'https://oidc-fips.us-gov-west-1.api.aws',
  ],
  [
    'cn-north-1',
    'https://oidc.cn-north-1.amazonaws.com.cn',
    'https://oidc-fips.cn-north-1.amazonaws.com.cn',
    'https://oidc.cn-north-1.api.amazonwebservices.com.cn',
    'https://oidc-fips.cn-north-1.api.amazonwebservices.com.cn',
  ],
  [
    'cn-northwest-1',
    'https://oidc.cn-northwest-1.amazonaws.com.cn',
    'https://oidc-fips.cn-northwest-1.amazonaws.com.cn',
    'https://oidc.cn-northwest-1.api.amazonwebservices.com.cn',
    'https://oidc-fips.cn-northwest-1.api.amazonwebservices.com.cn',
  ],
  [
    'us-iso-east-1',
    'https://oidc.us-iso-east-1.c2s.ic.gov',
    'https://oidc-fips.us-iso-east-1.c2s.ic.gov',
    'https://oidc.us-iso-east-1.api.aws.ic.gov',
    'https://oidc-fips.us-iso-east-1.api.aws.ic.gov',
  ],
  [
    'us-isob-east-1',
    'https://oidc.us-isob-east-1.sc2s.sgov.gov',
    'https://oidc-fips.us-isob-east-1.sc2s.sgov.gov',
    'https://oidc.us-isob-east-1.api.aws.scloud',
    'https://oidc-fips.us-isob-east-1.api.aws.scloud',
  ],
  [
    'eusc-de-east-1',
    'https://oidc.eusc-de-east-1.amazonaws.eu',
    'https://oidc-fips.eusc-de-east-1.amazonaws.eu',
    'https://oidc.eusc-de-east-1.api.amazonwebservices.eu',
    'https://oidc-fips.eusc-de-east-1.api.amazonwebservices.eu',
  ],
];

const VARIANTS = [
  { fips: false, dualStack: false },
  { fips: true, dualStack: false },
  { fips: false, dualStack: true },
  { fips: true, dualStack: true },
] as const;

/** PROTOCOL §1: the portal uses the same table with `oidc` → `portal.sso` and `oidc-fips` → `portal.sso-fips`. */
function toPortal(url: string): string {
  return url.replace('://oidc-fips.', '://portal.sso-fips.').replace('://oidc.', '://portal.sso.');
}

describe('resolveSsoOidcEndpoint / resolveSsoPortalEndpoint: the PROTOCOL §1 table', () => {
  for (const [region, ...expected] of OIDC_TABLE) {
    VARIANTS.forEach((variant, index) => {
      it(`${region} fips=${variant.fips} dualStack=${variant.dualStack}`, () => {
        expect(resolveSsoOidcEndpoint({ region, ...variant })).toBe(expected[index]);
        expect(resolveSsoPortalEndpoint({ region, ...variant })).toBe(toPortal(expected[index] as string));
      });
    });
  }

  it('defaults to us-east-1, no FIPS, no dual-stack', () => {
    expect(resolveSsoOidcEndpoint()).toBe('https://oidc.us-east-1.amazonaws.com');
    expect(resolveSsoPortalEndpoint({})).toBe('https://portal.sso.us-east-1.amazonaws.com');
  });
});

describe('endpoint rules agree with the AWS SDK endpoint provider', () => {
  // Every partition the SDK knows (one or two regions each), including aws-iso-e / aws-iso-f beyond §1.
  const regions = [
    'us-east-1',
    'ap-southeast-2',
    'il-central-1',
    'mx-central-1',
    'us-gov-west-1',
    'us-gov-east-1',
    'cn-north-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
  ];
  const oidc = new SSOOIDCClient({ region: 'us-east-1' }).config.endpointProvider;
  const portal = new SSOClient({ region: 'us-east-1' }).config.endpointProvider;
  for (const region of regions) {
    for (const variant of VARIANTS) {
      it(`${region} fips=${variant.fips} dualStack=${variant.dualStack}`, () => {
        const params = { Region: region, UseFIPS: variant.fips, UseDualStack: variant.dualStack };
        // The SDK returns URLs with a trailing slash; ours are bases without one.
        expect(`${resolveSsoOidcEndpoint({ region, ...variant })}/`).toBe(oidc(params).url.href);
        expect(`${resolveSsoPortalEndpoint({ region, ...variant })}/`).toBe(portal(params).url.href);
      });
    }
  }
});

function invalid(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('region validation', () => {
  it('rejects an unknown partition prefix and lists what is accepted', () => {
    const error = invalid(() => resolveSsoOidcEndpoint({ region: 'xx-foo-1' }));
    expect(error.code).toBe('invalid_argument');
    expect(error.argument).toBe('region');
    expect(error.message).toContain('unknown partition prefix "xx"');
    for (const example of ['us-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'eusc-de-east-1']) {
      expect(error.message).toContain(example);
    }
  });

  it.each([
    'US-EAST-1',
    'us-east',
    'us_east_1',
    ' us-east-1',
    'us-east-1a',
    'https://oidc.us-east-1.amazonaws.com',
    '',
  ])('rejects the malformed region %j', (region) => {
    const error = invalid(() => resolveSsoPortalEndpoint({ region }));
    expect(error.argument).toBe('region');
    expect(error.message).toContain('us-east-1');
  });

  it.each([42, true, {}])('rejects a non-string region (%j)', (region) => {
    const error = invalid(() => resolveSsoOidcEndpoint({ region: region as unknown as string }));
    expect(error.argument).toBe('region');
  });

  it('treats a null region as unset (plain-JS callers), like undefined', () => {
    expect(resolveSsoOidcEndpoint({ region: null as unknown as string })).toBe(
      'https://oidc.us-east-1.amazonaws.com',
    );
  });

  it('accepts an eusc region of another country (the SDK would wrongly send it to amazonaws.com)', () => {
    expect(resolveSsoOidcEndpoint({ region: 'eusc-fr-east-1' })).toBe(
      'https://oidc.eusc-fr-east-1.amazonaws.eu',
    );
  });

  it('rejects non-boolean fips / dualStack', () => {
    expect(invalid(() => resolveSsoOidcEndpoint({ fips: 'yes' as unknown as boolean })).argument).toBe(
      'fips',
    );
    expect(invalid(() => resolveSsoOidcEndpoint({ dualStack: 1 as unknown as boolean })).argument).toBe(
      'dualStack',
    );
  });
});

describe('custom endpoint', () => {
  it('keeps a path prefix and drops trailing slashes', () => {
    expect(resolveSsoOidcEndpoint({ endpoint: 'https://app.example/aws-proxy/oidc' })).toBe(
      'https://app.example/aws-proxy/oidc',
    );
    expect(resolveSsoOidcEndpoint({ endpoint: 'https://app.example/aws-proxy/oidc/' })).toBe(
      'https://app.example/aws-proxy/oidc',
    );
    expect(resolveSsoPortalEndpoint({ endpoint: 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080');
    expect(resolveSsoPortalEndpoint({ endpoint: 'https://App.Example' })).toBe('https://app.example');
  });

  it('wins over the region', () => {
    expect(resolveSsoOidcEndpoint({ region: 'eu-west-1', endpoint: 'https://proxy.example' })).toBe(
      'https://proxy.example',
    );
  });

  it('refuses FIPS or dual-stack with a custom endpoint, as the SDK rules do', () => {
    const fips = invalid(() => resolveSsoOidcEndpoint({ endpoint: 'https://proxy.example', fips: true }));
    expect(fips.argument).toBe('fips');
    expect(fips.message).toContain('custom endpoint');
    const dual = invalid(() =>
      resolveSsoPortalEndpoint({ endpoint: 'https://proxy.example', dualStack: true }),
    );
    expect(dual.argument).toBe('dualStack');
  });

  it('keeps a root-relative path (a same-origin proxy) relative, so the browser resolves it per request', () => {
    expect(resolveSsoOidcEndpoint({ endpoint: '/aws/us-east-1/oidc/' })).toBe('/aws/us-east-1/oidc');
    expect(resolveSsoPortalEndpoint({ endpoint: '/aws/us-east-1/portal' })).toBe('/aws/us-east-1/portal');
  });

  it.each([
    ['//evil.example/oidc', 'absolute'],
    ['proxy.example', 'absolute'],
    ['/aws-proxy/oidc?x=1', 'query string'],
    ['ftp://proxy.example', 'ftp:'],
    ['https://user:pass@proxy.example', 'user name or password'],
    ['https://proxy.example/oidc?x=1', 'query string'],
    ['https://proxy.example/oidc#frag', 'fragment'],
    ['', 'absolute'],
  ])('rejects %j', (endpoint, expected) => {
    const error = invalid(() => resolveSsoOidcEndpoint({ endpoint }));
    expect(error.argument).toBe('endpoint');
    expect(error.message).toContain(expected);
  });

  it('does not echo credentials of a rejected endpoint', () => {
    const error = invalid(() => resolveSsoOidcEndpoint({ endpoint: 'https://user:hunter2@proxy.example' }));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('prefersDualStack', () => {
  it.each([
    ['https://ssoins-1234567890abcdef.portal.us-east-1.app.aws', true],
    ['https://ssoins-1234567890abcdef.portal.eu-west-1.app.aws/start', true],
    ['https://d-1234567890.awsapps.com/start', false],
    ['https://ssoins-1234567890abcdef.us-east-1.portal.amazonaws.com', false],
    ['https://evil.app.aws.example.com', false],
    ['not a url', false],
  ])('%s → %s', (startUrl, expected) => {
    expect(prefersDualStack(startUrl)).toBe(expected);
  });
});

describe('regionFromStartUrl', () => {
  it.each([
    ['https://ssoins-1234567890abcdef.portal.us-east-1.app.aws', 'us-east-1'],
    ['https://ssoins-1234567890abcdef.portal.eu-central-2.app.aws/start/#/', 'eu-central-2'],
    ['https://ssoins-1234567890abcdef.us-gov-west-1.portal.amazonaws.com', 'us-gov-west-1'],
    ['https://ssoins-1234567890abcdef.cn-north-1.portal.amazonaws.com.cn', 'cn-north-1'],
    ['https://ssoins-1234567890abcdef.eusc-de-east-1.portal.amazonaws.eu', 'eusc-de-east-1'],
    ['https://d-1234567890.awsapps.com/start', undefined],
    ['https://sso.example.com/start', undefined],
    ['https://ssoins-1.portal.xx-nowhere-1.app.aws', undefined],
    ['garbage', undefined],
  ])('%s → %s', (startUrl, expected) => {
    expect(regionFromStartUrl(startUrl)).toBe(expected);
  });
});
