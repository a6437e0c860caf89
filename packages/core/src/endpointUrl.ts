import { InvalidArgumentError, ProtocolError } from './errors.ts';

/**
 * True for hosts that never leave the machine: `localhost`, `127.0.0.0/8` and `[::1]`. Only these may be reached
 * over plain `http:` (a local OpenID provider in development, a test server, a same-machine proxy).
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Parses an endpoint the caller configured. It must be an absolute `https:` URL, or `http:` on a loopback host.
 * Throws {@link InvalidArgumentError} naming the option otherwise.
 */
export function configuredEndpoint(value: unknown, argument: string): URL {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(argument, 'must be an absolute https URL.');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(argument, `"${value}" is not an absolute URL.`);
  }
  if (!isAllowedProtocol(url)) {
    throw new InvalidArgumentError(
      argument,
      `must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1]); got ${url.origin}.`,
    );
  }
  return url;
}

/**
 * Checks an endpoint a server announced (in its metadata): same rule as {@link configuredEndpoint}, but a breach
 * is the server's fault, so it throws {@link ProtocolError} coded `unsafe_url` (or `invalid_response` when the value
 * is not a URL at all).
 */
export function announcedEndpoint(value: unknown, member: string, status: number): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    throw new ProtocolError(`The server metadata member "${member}" is not an absolute URL.`, { status });
  }
  if (!isAllowedProtocol(url)) {
    throw new ProtocolError(
      `The server metadata member "${member}" (${url.origin}) is not https; plain http is accepted only for ` +
        'loopback hosts. Fix the server configuration (or its public URL behind a proxy).',
      { status, code: 'unsafe_url' },
    );
  }
  return url;
}

function isAllowedProtocol(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url));
}
