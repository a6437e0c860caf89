import { webPageUrlProblem } from '@oidc-device-login/core';

/**
 * `url` when it is an absolute http(s) URL whose text reads as where it leads, else `undefined`
 * (see `webPageUrlProblem`). A verification URI comes from the server; `javascript:`, `data:`, a relative path, user
 * info (`https://aws.amazon.com@evil.example` opens evil.example) or hidden characters must never become a link.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  return url !== undefined && webPageUrlProblem(url) === undefined ? url : undefined;
}

/** Why a URL was refused, for messages: the URL itself is never printed. */
export const describeUnsafeUrl = (url: string): string => webPageUrlProblem(url) ?? 'a URL';
