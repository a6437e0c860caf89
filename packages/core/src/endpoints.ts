/**
 * Endpoint resolution for SSO OIDC (`oidc.{region}…`) and the SSO portal API (`portal.sso.{region}…`), following
 * the AWS SDK endpoint rules (`endpoint/bdd.js` of `@aws-sdk/client-sso-oidc` / `@aws-sdk/client-sso`) for every
 * partition, FIPS and dual-stack, without shipping the rules engine.
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/sso.html
 */
import { InvalidArgumentError } from './errors.ts';

/** Where requests go: a region (with FIPS / dual-stack variants), or a custom endpoint such as a proxy. */
export interface EndpointOptions {
  /** AWS region of the IAM Identity Center instance, e.g. `us-east-1`. Defaults to `us-east-1`. */
  region?: string | undefined;
  /**
   * Absolute http(s) base URL that replaces endpoint resolution: a same-origin proxy or the emulator. A path
   * prefix is kept (`https://app.example/aws-proxy/oidc` sends `…/aws-proxy/oidc/token`). Defaults to none.
   */
  endpoint?: string | undefined;
  /** Use the FIPS endpoint. Defaults to `false`. */
  fips?: boolean | undefined;
  /** Use the dual-stack (IPv4 + IPv6, `api.aws`) endpoint. Defaults to `false`. */
  dualStack?: boolean | undefined;
}

/** A partition: the regions it holds (the SDK's `regionRegex`), its DNS suffix and its dual-stack DNS suffix. */
type Partition = readonly [regions: RegExp, dnsSuffix: string, dualStackDnsSuffix: string];

// Specific prefixes first: `us-gov-`, `us-iso-`… must not fall into the `aws` partition. The patterns mirror the
// SDK's `regionRegex` values, except `eusc`, which accepts any country code (the SDK only knows `de` today and
// would send an unknown `eusc-xx-…` region to `amazonaws.com`, which is certainly wrong).
const PARTITIONS: readonly Partition[] = [
  [/^us-gov-[a-z]+-\d+$/, 'amazonaws.com', 'api.aws'], // aws-us-gov (first: see GOV_CLOUD)
  [/^us-iso-[a-z]+-\d+$/, 'c2s.ic.gov', 'api.aws.ic.gov'], // aws-iso
  [/^us-isob-[a-z]+-\d+$/, 'sc2s.sgov.gov', 'api.aws.scloud'], // aws-iso-b
  [/^eu-isoe-[a-z]+-\d+$/, 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk'], // aws-iso-e
  [/^us-isof-[a-z]+-\d+$/, 'csp.hci.ic.gov', 'api.aws.hci.ic.gov'], // aws-iso-f
  [/^cn-[a-z]+-\d+$/, 'amazonaws.com.cn', 'api.amazonwebservices.com.cn'], // aws-cn
  [/^eusc-[a-z]{2}-[a-z]+-\d+$/, 'amazonaws.eu', 'api.amazonwebservices.eu'], // aws-eusc
  [/^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/, 'amazonaws.com', 'api.aws'], // aws
];

/** The aws-us-gov partition, whose FIPS endpoints are its ordinary ones. */
const GOV_CLOUD = PARTITIONS[0];

/** One example region per partition (aws-us-gov, aws-cn, aws-iso, -b, -e, -f, aws-eusc), for messages. */
const ACCEPTED =
  'Accepted: us-east-1 and the other us-, eu-, ap-, sa-, ca-, me-, af-, il-, mx- regions, us-gov-west-1, ' +
  'cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1, us-isof-south-1, eusc-de-east-1 and their ' +
  'siblings. For anything else, set `endpoint`.';

/** @internal The partition of a region, or an InvalidArgumentError naming `argument` and what is accepted. */
export function partitionOf(region: unknown, argument: string): Partition {
  const text = typeof region === 'string' ? region : '';
  const partition = PARTITIONS.find(([regions]) => regions.test(text));
  if (partition) return partition;
  // Anything shaped like a region name (`xx-yyyy-1`, `xx-yy-zzzz-1`) has a partition prefix we do not know.
  const known = /^([a-z]{2,4})(-[a-z]+){1,2}-\d+$/.exec(text);
  // Quoted only when short: a region is never a secret, but a long value is not a region either.
  throw new InvalidArgumentError(
    argument,
    `${known ? `has an unknown partition prefix ${JSON.stringify(known[1])}` : 'must be an AWS region name like "us-east-1"'}${text && text.length < 40 ? ` (got ${JSON.stringify(text)})` : ''}. ${ACCEPTED}`,
  );
}

function optionalBoolean(value: unknown, argument: string): boolean {
  if (value != null && typeof value !== 'boolean')
    throw new InvalidArgumentError(argument, 'must be true or false');
  return value === true;
}

/**
 * Validates a custom endpoint and returns it without a trailing slash, so `${base}/token` keeps any path prefix.
 * Queries and fragments are refused: they would end up in the middle of every request URL, and credentials
 * because fetch refuses such URLs.
 */
function normalizeEndpoint(endpoint: unknown, argument: string): string {
  // A root-relative path ("/aws/us-east-1/oidc") is a same-origin proxy: kept relative, so a browser's fetch
  // resolves it against the page at request time (and server rendering can still construct the client).
  const relative = typeof endpoint === 'string' && /^\/(?!\/)/.test(endpoint);
  let url: URL | undefined;
  try {
    url = new URL(endpoint as string, relative ? 'http://relative.invalid' : undefined);
  } catch {
    // Reported below.
  }
  if (
    typeof endpoint !== 'string' ||
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new InvalidArgumentError(
      argument,
      'must be an absolute http(s) URL like "https://app.example/aws" or a same-origin path like "/aws", with no user ' +
        'name or password, query string or fragment' +
        `${url ? ` (got a ${url.protocol} URL)` : ''}`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return relative ? path : url.origin + path;
}

/**
 * @internal `path` prefixes argument names in errors (`config.` when called by a client factory); `endpointName`
 * is what the caller calls `endpoint` (`awsSsoOidc`'s `portalEndpoint`).
 */
export function resolveEndpoint(
  service: 'oidc' | 'portal.sso',
  options: EndpointOptions | undefined,
  path = '',
  endpointName = 'endpoint',
): string {
  const { endpoint, fips, dualStack } = options ?? {};
  // A `null` region (plain-JS callers) is unset, like `undefined`.
  const region = options?.region ?? 'us-east-1';
  const useFips = optionalBoolean(fips, `${path}fips`);
  const useDualStack = optionalBoolean(dualStack, `${path}dualStack`);
  const partition = partitionOf(region, `${path}region`);
  if (endpoint != null) {
    // Same refusal as the SDK rules ("Invalid Configuration: FIPS and custom endpoint are not supported"): a
    // custom endpoint is a complete URL, so there is nothing to apply FIPS or dual-stack to.
    if (useFips || useDualStack) {
      throw new InvalidArgumentError(
        path + (useFips ? 'fips' : 'dualStack'),
        `cannot be combined with a custom endpoint: point \`endpoint\` at a ${useFips ? 'FIPS' : 'dual-stack'} host instead`,
      );
    }
    return normalizeEndpoint(endpoint, path + endpointName);
  }
  // GovCloud's FIPS endpoint is its ordinary host: the SDK rules special-case aws-us-gov (no `-fips` host) unless
  // dual-stack is also asked for.
  const fipsLabel = useFips && (partition !== GOV_CLOUD || useDualStack) ? '-fips' : '';
  return `https://${service}${fipsLabel}.${region}.${partition[useDualStack ? 2 : 1]}`;
}

/**
 * Base URL of the SSO OIDC service (`RegisterClient`, `StartDeviceAuthorization`, `CreateToken`), without a
 * trailing slash. Throws an `InvalidArgumentError` for an unknown region or a custom endpoint combined with FIPS
 * or dual-stack.
 *
 * @example
 * ```ts
 * resolveSsoOidcEndpoint({ region: 'eu-west-1', dualStack: true }); // 'https://oidc.eu-west-1.api.aws'
 * ```
 */
export function resolveSsoOidcEndpoint(options?: EndpointOptions): string {
  return resolveEndpoint('oidc', options);
}

/**
 * Base URL of the SSO portal API (`ListAccounts`, `ListAccountRoles`, `GetRoleCredentials`, `Logout`), without a
 * trailing slash. Same rules as {@link resolveSsoOidcEndpoint}.
 *
 * @example
 * ```ts
 * resolveSsoPortalEndpoint({ region: 'us-east-1' }); // 'https://portal.sso.us-east-1.amazonaws.com'
 * ```
 */
export function resolveSsoPortalEndpoint(options?: EndpointOptions): string {
  return resolveEndpoint('portal.sso', options);
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * True when the start URL belongs to an IAM Identity Center instance migrated to dual-stack
 * (`https://ssoins-….portal.{region}.app.aws`). Such instances need the dual-stack OIDC endpoint: the legacy one
 * hands out verification URIs on the old domain, and the login fails at the IdP handoff (aws/aws-cli#10507).
 */
export function prefersDualStack(startUrl: string): boolean {
  return hostOf(startUrl)?.endsWith('.app.aws') ?? false;
}

/**
 * The region written in a start URL's host, for the forms that carry one: `{id}.portal.{region}.app.aws` and
 * `{id}.{region}.portal.amazonaws.com` (also `.com.cn` and `.eu`). `undefined` for every other form
 * (`*.awsapps.com/start`, vanity domains), whose region the caller must know.
 */
export function regionFromStartUrl(startUrl: string): string | undefined {
  const host = hostOf(startUrl);
  if (host === undefined) return undefined;
  const match =
    /^[^.]+\.portal\.([a-z0-9-]+)\.app\.aws$/.exec(host) ??
    /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.(?:com|com\.cn|eu)$/.exec(host);
  const region = match?.[1];
  return region !== undefined && PARTITIONS.some(([regions]) => regions.test(region)) ? region : undefined;
}
