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

/** Anything that looks like a region name (`xx-yyyy-1`, `xx-yy-zzzz-1`), known partition or not. */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+){1,2}-\d+$/;

const DEFAULT_REGION = 'us-east-1';

const ACCEPTED =
  'Accepted: aws (us-, eu-, ap-, sa-, ca-, me-, af-, il-, mx-, e.g. us-east-1), aws-us-gov (us-gov-west-1), ' +
  'aws-cn (cn-north-1), aws-iso (us-iso-east-1), aws-iso-b (us-isob-east-1), aws-iso-e (eu-isoe-west-1), ' +
  'aws-iso-f (us-isof-south-1), aws-eusc (eusc-de-east-1). For anything else, set `endpoint`.';

/** Short, printable rendering of a caller's value for messages. Only used for values that are never secrets. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** The partition of a region, or an InvalidArgumentError naming `argument` and what is accepted. */
function partitionOf(region: unknown, argument: string): Partition {
  if (typeof region !== 'string' || region === '') {
    throw new InvalidArgumentError(argument, `must be an AWS region name such as "us-east-1". ${ACCEPTED}`);
  }
  const partition = PARTITIONS.find(([regions]) => regions.test(region));
  if (partition) return partition;
  if (REGION_SHAPE.test(region)) {
    const prefix = region.slice(0, region.indexOf('-'));
    throw new InvalidArgumentError(
      argument,
      `${quote(region)} has an unknown partition prefix ${quote(prefix)}. ${ACCEPTED}`,
    );
  }
  throw new InvalidArgumentError(
    argument,
    `${quote(region)} is not an AWS region name: expected lower-case words and a number, like "us-east-1". ${ACCEPTED}`,
  );
}

function optionalBoolean(value: unknown, argument: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(argument, 'must be true or false');
  return value;
}

/**
 * Validates a custom endpoint and returns it without a trailing slash, so `${base}/token` keeps any path prefix.
 * Queries and fragments are refused: they would end up in the middle of every request URL.
 */
function normalizeEndpoint(endpoint: unknown, argument: string): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new InvalidArgumentError(
      argument,
      'must be an absolute http(s) URL such as "https://app.example/aws"',
    );
  }
  // A root-relative path ("/aws/us-east-1/oidc") is a same-origin proxy: kept relative, so a browser's fetch
  // resolves it against the page at request time (and server rendering can still construct the client).
  const relative = endpoint.startsWith('/') && !endpoint.startsWith('//');
  let url: URL;
  try {
    url = relative ? new URL(endpoint, 'http://relative.invalid') : new URL(endpoint);
  } catch {
    throw new InvalidArgumentError(
      argument,
      'must be an absolute http(s) URL, or a path starting with "/" for a same-origin proxy in a browser',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(argument, `must use http: or https:, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError(
      argument,
      'must not contain a user name or password (fetch refuses such URLs)',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new InvalidArgumentError(
      argument,
      'must not contain a query string or fragment; use a path prefix instead',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return relative ? path : `${url.origin}${path}`;
}

/** @internal `path` prefixes argument names in errors (`config.` when called by a client factory). */
export function resolveEndpoint(
  service: 'oidc' | 'portal.sso',
  options: EndpointOptions | undefined,
  path = '',
): string {
  const opts: EndpointOptions = options ?? {};
  const fips = optionalBoolean(opts.fips, `${path}fips`);
  const dualStack = optionalBoolean(opts.dualStack, `${path}dualStack`);
  const region = opts.region ?? DEFAULT_REGION;
  const partition = partitionOf(region, `${path}region`);
  if (opts.endpoint !== undefined && opts.endpoint !== null) {
    // Same refusal as the SDK rules ("Invalid Configuration: FIPS and custom endpoint are not supported"): a
    // custom endpoint is a complete URL, so there is nothing to apply FIPS or dual-stack to.
    if (fips) {
      throw new InvalidArgumentError(
        `${path}fips`,
        'cannot be combined with a custom endpoint: point `endpoint` at a FIPS host instead',
      );
    }
    if (dualStack) {
      throw new InvalidArgumentError(
        `${path}dualStack`,
        'cannot be combined with a custom endpoint: point `endpoint` at a dual-stack host instead',
      );
    }
    return normalizeEndpoint(opts.endpoint, `${path}endpoint`);
  }
  // GovCloud's FIPS endpoint is its ordinary host: the SDK rules special-case aws-us-gov (no `-fips` host) unless
  // dual-stack is also asked for.
  const fipsLabel = fips && !(partition === GOV_CLOUD && !dualStack) ? '-fips' : '';
  const suffix = partition[dualStack ? 2 : 1];
  return `https://${service}${fipsLabel}.${region}.${suffix}`;
}

/**
 * Base URL of the SSO OIDC service (`RegisterClient`, `StartDeviceAuthorization`, `CreateToken`), without a
 * trailing slash. Throws an `InvalidArgumentError` for an unknown region or a custom endpoint combined with FIPS
 * or dual-stack.
 *
 * @example resolveSsoOidcEndpoint({ region: 'eu-west-1', dualStack: true }) // 'https://oidc.eu-west-1.api.aws'
 */
export function resolveSsoOidcEndpoint(options?: EndpointOptions): string {
  return resolveEndpoint('oidc', options);
}

/**
 * Base URL of the SSO portal API (`ListAccounts`, `ListAccountRoles`, `GetRoleCredentials`, `Logout`), without a
 * trailing slash. Same rules as {@link resolveSsoOidcEndpoint}.
 *
 * @example resolveSsoPortalEndpoint({ region: 'us-east-1' }) // 'https://portal.sso.us-east-1.amazonaws.com'
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
