/**
 * Why `value` must not be shown or opened as a verification page, or `undefined` when it may be. The UI shows the
 * URL to a person and turns it into a link, a QR code and a new tab, so it must be an absolute http(s) URL whose
 * text reads as where it leads:
 * - no user info: `https://device.sso.us-east-1.amazonaws.com@evil.example/` reads as AWS and opens evil.example;
 * - no whitespace, control or invisible format characters: the URL parser drops tabs and newlines
 *   (`https://aws.amazon.com\t.evil.example` opens `aws.amazon.com.evil.example`), and bidi overrides or
 *   zero-width characters make the text shown differ from the text sent. No server has a reason to send them.
 *
 * Use it before rendering a server's URL yourself; `@oidc-device-login/react`'s prompt already does.
 *
 * @example
 * ```ts
 * const uri = view.verificationUriComplete;
 * if (uri !== undefined && webPageUrlProblem(uri) === undefined) link.href = uri;
 * ```
 */
export function webPageUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'a URL that is not absolute';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `a "${url.protocol}" URL`;
  if (url.username !== '' || url.password !== '') return 'a URL with user info';
  if (/[\s\p{Cc}\p{Cf}]/u.test(value)) return 'a URL with hidden characters';
  return undefined;
}
