/**
 * `url` when it is an absolute `http:` or `https:` URL whose text reads as where it leads, else `undefined`. A
 * verification URI comes from the server; anything else (`javascript:`, `data:`, a relative path) must never become
 * a link, and neither may user info (`https://aws.amazon.com@evil.example` opens evil.example) or whitespace,
 * control and invisible format characters (the parser drops tabs and newlines; bidi overrides reorder the text).
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return /^https?:$/.test(parsed.protocol) &&
    !parsed.username &&
    !parsed.password &&
    !/[\s\p{Cc}\p{Cf}]/u.test(url)
    ? url
    : undefined;
}

/** Why a URL was refused, for messages: the URL itself is never printed. */
export function describeUnsafeUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'an http(s) URL with user info or hidden characters';
  return scheme ? `a "${scheme}:" URL` : 'a URL that is not absolute';
}
