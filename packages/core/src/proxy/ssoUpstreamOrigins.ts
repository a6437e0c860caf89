/**
 * The AWS hosts of SSO OIDC and the SSO portal API for a region, per partition (PROTOCOL §1). The proxy keeps this
 * small table of its own so that it never turns a caller-supplied string into a host: the host is always one of
 * these AWS domains, built from an allow-listed region.
 *
 * The table mirrors the AWS SDK's endpoint rules (`@aws-sdk/client-sso-oidc` / `client-sso` 3.1164.0), which the
 * tests compare it with. A region that matches no partition falls back to `aws`, as the SDK does.
 */

/** Base URLs (no trailing slash) that the proxy forwards to. */
export interface SsoUpstream {
  /** SSO OIDC base URL, e.g. `https://oidc.us-east-1.amazonaws.com`. */
  readonly oidc: string;
  /** SSO portal API base URL, e.g. `https://portal.sso.us-east-1.amazonaws.com`. */
  readonly portal: string;
}

/** Which variant of the AWS hosts to use. */
export interface SsoEndpointVariant {
  /** Use FIPS 140 endpoints. */
  readonly fips: boolean;
  /** Use dual-stack (IPv4 + IPv6) endpoints. */
  readonly dualStack: boolean;
}

interface Partition {
  readonly regionRegex: RegExp;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  /** GovCloud has no `-fips` host for IPv4-only FIPS: the plain host is already FIPS (rules special-case it). */
  readonly fipsIsDefaultHost?: boolean;
}

// Order matters only for readability: the region regexes of the partitions do not overlap.
const partitions: readonly Partition[] = [
  {
    regionRegex: /^cn-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
  },
  {
    regionRegex: /^us-gov-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    fipsIsDefaultHost: true,
  },
  { regionRegex: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov' },
  { regionRegex: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud' },
  {
    regionRegex: /^eu-isoe-\w+-\d+$/,
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
  },
  { regionRegex: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov' },
  {
    regionRegex: /^eusc-de-\w+-\d+$/,
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
  },
];

const awsPartition: Partition = {
  regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  dnsSuffix: 'amazonaws.com',
  dualStackDnsSuffix: 'api.aws',
};

/**
 * What a region name must look like before it goes into a host name: lowercase words joined by dashes, ending in
 * a number (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`). Nothing else (dots, slashes, `%`) can get through.
 */
export const REGION_PATTERN: RegExp = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;

/** The AWS SSO OIDC and portal base URLs for `region`. The caller has checked `region` against the allow-list. */
export function ssoUpstreamOrigins(region: string, variant: SsoEndpointVariant): SsoUpstream {
  const partition = partitions.find((p) => p.regionRegex.test(region)) ?? awsPartition;
  const suffix = variant.dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
  const fips = variant.fips && !(partition.fipsIsDefaultHost && !variant.dualStack);
  return {
    oidc: `https://${fips ? 'oidc-fips' : 'oidc'}.${region}.${suffix}`,
    portal: `https://${fips ? 'portal.sso-fips' : 'portal.sso'}.${region}.${suffix}`,
  };
}
