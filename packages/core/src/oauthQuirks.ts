/**
 * The smallest wrapper between a server's answer and oauth4webapi's strict processing: it fixes the few
 * deviations from the RFCs that real providers are known for, and nothing else. Everything it does not touch is
 * validated by oauth4webapi as sent.
 *
 * Why each fix exists:
 * - `error` with a 2xx status: GitHub answers `authorization_pending` / `slow_down` with HTTP 200
 *   (panva/openid-client#575). oauth4webapi would then demand an `access_token`. The status becomes 400, where
 *   RFC 6749 §5.2 puts error bodies, so the error is reported as the error it is.
 * - `verification_url`: Google's device endpoint uses the draft name instead of RFC 8628's `verification_uri`.
 * - `interval` as a string: oauth4webapi coerces a string `expires_in` but not `interval`; some servers quote both.
 * - registration answered with 200 instead of RFC 7591's 201 (several servers do); a body with a `client_id` is
 *   what counts.
 * - an OAuth error body in JSON labelled with another content type (`text/plain`, `application/problem+json`,
 *   `Application/JSON`: proxies and gateways relabel answers). oauth4webapi reads 4xx bodies only when labelled
 *   exactly `application/json`, so a relabelled `authorization_pending` would end the sign-in as an unknown error.
 * - `application/x-www-form-urlencoded` bodies: GitHub's format when the `Accept: application/json` header is lost
 *   on the way (a proxy that drops it), and that of a few servers modelled on it. They are read as JSON objects
 *   (every value a string: oauth4webapi already reads a string `expires_in`, and `interval` is coerced here).
 * - `id_token` in a token response: taken out before processing and handed back as an opaque string. The kit does
 *   not use ID token claims, so it does not validate them (that would need the issuer and a correct clock, and
 *   oauth4webapi does not check the signature of token-endpoint ID tokens anyway). Apps that read its claims must
 *   validate it themselves.
 */
import { isRecord } from './classifyError.ts';
import { ProtocolError } from './errors.ts';

/** Which endpoint answered, which decides the fixes that apply. */
export type OAuthResponseKind = 'deviceAuthorization' | 'token' | 'registration';

export interface NormalizedResponse {
  /** The response to hand to oauth4webapi: the original one when nothing needed fixing. */
  response: Response;
  /** The `id_token` of a token response, taken out of the body. */
  idToken?: string | undefined;
  /** The OAuth `error` member of an error answer, read here so a poll can tell "not yet" without an error. */
  error?: string | undefined;
}

export async function normalizeOAuthResponse(
  response: Response,
  kind: OAuthResponseKind,
): Promise<NormalizedResponse> {
  // Compared as oauth4webapi does (`getContentType`): what it would not accept as JSON is relabelled below.
  const contentType = response.headers.get('content-type')?.split(';')[0];
  const form = contentType?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
  let body: unknown;
  try {
    body = form
      ? Object.fromEntries(new URLSearchParams(await response.clone().text()))
      : await response.clone().json();
  } catch {
    return { response }; // not JSON: oauth4webapi reports it with the status
  }
  if (!isRecord(body)) return { response };
  const json = body;
  let status = response.status;
  let changed = form;
  let idToken: string | undefined;

  const error = typeof json.error === 'string' && json.error !== '' ? json.error : undefined;
  if (error !== undefined && status >= 200 && status < 300) {
    status = 400;
    changed = true;
  }
  if (error !== undefined && contentType !== 'application/json') changed = true;
  switch (kind) {
    case 'deviceAuthorization':
      if (json.verification_uri === undefined && json.verification_url !== undefined) {
        json.verification_uri = json.verification_url;
        delete json.verification_url;
        changed = true;
      }
      if (typeof json.interval === 'string' && json.interval.trim() !== '') {
        json.interval = Number(json.interval);
        changed = true;
      }
      break;
    case 'token':
      if (json.id_token !== undefined && status === 200) {
        if (typeof json.id_token !== 'string' || json.id_token === '') {
          throw new ProtocolError('The token response "id_token" member is not a non-empty string.', {
            status,
          });
        }
        idToken = json.id_token;
        delete json.id_token;
        changed = true;
      }
      break;
    case 'registration':
      if (status === 200 && typeof json.client_id === 'string') {
        status = 201;
        changed = true;
      }
      break;
    default:
      kind satisfies never;
  }
  if (!changed) return { response, error: bodyError(response, status, error) };

  const headers = new Headers(response.headers);
  // The body is re-encoded: the original length and encoding no longer describe it.
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  const fixed = new Response(JSON.stringify(json), { status, headers });
  return { response: fixed, idToken, error: bodyError(fixed, status, error) };
}

/**
 * The `error` oauth4webapi reports for an answer: that of a 4xx JSON body (the body wins over a 401 challenge).
 * Other answers are reported by status, whatever their body says.
 */
function bodyError(response: Response, status: number, error: string | undefined): string | undefined {
  if (error === undefined || status < 400 || status > 499) return undefined;
  return response.headers.get('content-type')?.split(';')[0] === 'application/json' ? error : undefined;
}
