/**
 * `url` when it is an absolute `http:` or `https:` URL, else `undefined`. A verification URI comes from the
 * server; anything else (`javascript:`, `data:`, a relative path) must never become a link.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? url : undefined;
}

/** The scheme of a refused URL, for messages: the rest of it is never printed. */
export function describeUnsafeUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
  return scheme ? `a "${scheme.toLowerCase()}:" URL` : 'a URL that is not absolute';
}
