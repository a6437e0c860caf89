/**
 * A real, certified OpenID provider (node-oidc-provider 8.8.1) on 127.0.0.1 for tests and the demo, set up for the
 * device flow: `features.deviceFlow`, open dynamic registration, revocation, rotating refresh tokens,
 * `offline_access` issuing refresh tokens, the in-memory adapter, and one test user (`alice`).
 *
 * People approve or deny through the provider's own pages (code entry → confirm → login → consent → success),
 * driven by {@link approveDevice} with plain `fetch` and a cookie jar, following the forms the pages render.
 * Nothing reaches into the provider's internals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The test user; any password is accepted by the provider's development login page. */
export const TEST_USER = { accountId: 'alice', email: 'alice@example.test' };

/** Pre-registered clients, one per client authentication method. */
export const TEST_CLIENTS = {
  public: { clientId: 'device-public' },
  basic: { clientId: 'device-basic', clientSecret: 'basic-secret-0123456789abcdef' },
  post: { clientId: 'device-post', clientSecret: 'post-secret-0123456789abcdef' },
} as const;

export interface TestOidcProviderOptions {
  /** Device code lifetime in seconds (`ttl.DeviceCode`). Defaults to 600. */
  deviceCodeTtl?: number;
  /** Access token lifetime in seconds (`ttl.AccessToken`). Defaults to 300. */
  accessTokenTtl?: number;
  /** Host to bind. Defaults to `127.0.0.1`. */
  host?: string;
  /**
   * Which browser origins may call the device authorization, token and revocation endpoints (CORS), e.g. the demo's
   * dev server. Discovery is always open. Defaults to none, as the tests call from Node.
   */
  allowOrigin?: (origin: string) => boolean;
  /**
   * A registration policy (`features.registration.policies`): it rewrites the metadata of each dynamically
   * registered client before the provider validates it, as a server that assigns its own
   * `token_endpoint_auth_method` does. Policies hang on initial access tokens, so registration then needs
   * {@link TestOidcProvider.initialAccessToken}. Defaults to open registration, with none.
   */
  registrationPolicy?: (properties: Record<string, unknown>) => void;
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>`, as the provider names itself in its metadata. */
  readonly issuer: string;
  /** The running provider (for demos that want to listen to its events; tests do not use it). */
  readonly provider: Provider;
  /** The initial access token that registration needs with a `registrationPolicy`; else undefined. */
  readonly initialAccessToken: string | undefined;
  close(): Promise<void>;
}

export async function startOidcProvider(options: TestOidcProviderOptions = {}): Promise<TestOidcProvider> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const deviceClient = (metadata: Partial<ClientMetadata>): ClientMetadata => ({
    client_id: '',
    grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    ...metadata,
  });
  const configuration: Configuration = {
    clients: [
      deviceClient({ client_id: TEST_CLIENTS.public.clientId, token_endpoint_auth_method: 'none' }),
      deviceClient({
        client_id: TEST_CLIENTS.basic.clientId,
        client_secret: TEST_CLIENTS.basic.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
      }),
      deviceClient({
        client_id: TEST_CLIENTS.post.clientId,
        client_secret: TEST_CLIENTS.post.clientSecret,
        token_endpoint_auth_method: 'client_secret_post',
      }),
    ],
    features: {
      deviceFlow: { enabled: true },
      registration: options.registrationPolicy
        ? {
            enabled: true,
            initialAccessToken: true,
            policies: { assign: (_ctx, properties) => options.registrationPolicy!(properties) },
          }
        : { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: true },
    },
    scopes: ['openid', 'offline_access', 'email'],
    claims: { openid: ['sub'], email: ['email'] },
    rotateRefreshToken: true,
    // The default hook, spelled out: a refresh token whenever the consented scopes include offline_access.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    findAccount: async (_ctx, id) =>
      id === TEST_USER.accountId
        ? { accountId: id, claims: async () => ({ sub: id, email: TEST_USER.email }) }
        : undefined,
    cookies: { keys: ['test-only-cookie-signing-key'] },
    clientBasedCORS: (_ctx, origin) => options.allowOrigin?.(origin) ?? false,
    ttl: {
      DeviceCode: options.deviceCodeTtl ?? 600,
      AccessToken: options.accessTokenTtl ?? 300,
      IdToken: 300,
      RefreshToken: 86_400,
      Grant: 86_400,
      Session: 86_400,
      Interaction: 600,
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on('request', provider.callback());
  const initialAccessToken = options.registrationPolicy
    ? await new provider.InitialAccessToken({ policies: ['assign'] }).save()
    : undefined;

  return {
    issuer,
    provider,
    initialAccessToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A person in a browser: follows the provider's pages with fetch and a cookie jar.
// ---------------------------------------------------------------------------------------------------------------

export interface ApproveDeviceOptions {
  /** The code the device shows; typed into the code entry form when the page asks for it. */
  userCode: string;
  /** Login name typed on the login page. Defaults to the test user. */
  login?: string;
  /**
   * Deny instead of approving: `confirm` presses "Abort" on the device confirmation page, `consent` follows the
   * "Cancel" link of the consent page. Defaults to approving.
   */
  deny?: 'confirm' | 'consent';
}

/** The last page the person saw. */
export interface PageResult {
  url: string;
  status: number;
  title: string;
  html: string;
}

/**
 * Opens `verificationUri` (or `verification_uri_complete`) and goes through the device pages as a person would.
 * Resolves with the final page (its title is `Sign-in Success` after an approval).
 */
export async function approveDevice(
  verificationUri: string,
  options: ApproveDeviceOptions,
): Promise<PageResult> {
  const browser = new Browser();
  let page = await browser.open(verificationUri);
  let codeSent = false;
  for (let step = 0; step < 12; step++) {
    const forms = parseForms(page.html, page.url);
    const codeEntry = forms.find((f) => f.id === 'op.deviceInputForm');
    const confirm = forms.find((f) => f.id === 'op.deviceConfirmForm');
    const login = forms.find((f) => f.fields.has('login'));
    const consent = forms.find((f) => f.fields.get('prompt') === 'consent');
    const autoPost =
      forms.length === 1 && forms[0]!.fields.has('xsrf') && !codeEntry && !confirm ? forms[0] : undefined;

    if (codeEntry && !codeSent) {
      codeSent = true;
      page = await browser.submit(codeEntry, { user_code: options.userCode });
    } else if (codeEntry) {
      // Back at code entry after the code was sent: the provider shows why (wrong code, aborted, expired).
      return page;
    } else if (autoPost) {
      codeSent = true;
      // verification_uri_complete renders a self-submitting form carrying the code
      page = await browser.submit(autoPost, {});
    } else if (confirm) {
      if (options.deny === 'confirm') {
        const abort = parseButtons(page.html).find((b) => b.form === confirm.id && b.name === 'abort');
        if (!abort?.name) throw new Error('The confirmation page has no abort button');
        page = await browser.submit(confirm, { [abort.name]: abort.value ?? '' });
      } else {
        page = await browser.submit(confirm, {});
      }
    } else if (login) {
      page = await browser.submit(login, { login: options.login ?? TEST_USER.accountId, password: 'any' });
    } else if (consent) {
      if (options.deny === 'consent') {
        const cancel = /<a\b[^>]*href="([^"]*\/abort)"/i.exec(page.html)?.[1];
        if (!cancel) throw new Error('The consent page has no cancel link');
        page = await browser.open(new URL(decodeEntities(cancel), page.url).href);
      } else {
        page = await browser.submit(consent, {});
      }
    } else {
      return page;
    }
  }
  throw new Error(`Too many pages; stuck at ${page.url} ("${page.title}")`);
}

interface HtmlForm {
  id: string | undefined;
  action: string;
  method: string;
  fields: Map<string, string>;
}

class Browser {
  /** name → cookie, per path. */
  private readonly cookies = new Map<string, { path: string; value: string }>();

  open(url: string): Promise<PageResult> {
    return this.request(url, { method: 'GET' });
  }

  submit(form: HtmlForm, values: Record<string, string>): Promise<PageResult> {
    const body = new URLSearchParams([...form.fields]);
    for (const [name, value] of Object.entries(values)) body.set(name, value);
    if (form.method === 'get') {
      const url = new URL(form.action);
      url.search = body.toString();
      return this.request(url.href, { method: 'GET' });
    }
    return this.request(form.action, { method: 'POST', body });
  }

  private async request(url: string, init: { method: string; body?: URLSearchParams }): Promise<PageResult> {
    let current = url;
    let next: { method: string; body?: URLSearchParams } = init;
    for (let hop = 0; hop < 10; hop++) {
      const headers = new Headers({ accept: 'text/html' });
      const cookie = this.cookieHeader(new URL(current));
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(current, { ...next, headers, redirect: 'manual' });
      this.store(response, new URL(current));
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        next = { method: 'GET' };
        continue;
      }
      const html = await response.text();
      const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? '';
      return { url: current, status: response.status, title, html };
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  private cookieHeader(url: URL): string {
    return [...this.cookies]
      .filter(
        ([, c]) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([key, c]) => `${key.slice(key.indexOf(' ') + 1)}=${c.value}`)
      .join('; ');
  }

  private store(response: Response, url: URL): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = attributeValue;
        if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const key = `${path} ${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { path, value });
    }
  }
}

function attributes(tag: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const match of tag.matchAll(/([\w.:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    result.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return result;
}

function parseForms(html: string, baseUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(match[1]!);
    const fields = new Map<string, string>();
    for (const input of match[2]!.matchAll(/<input\b([^>]*)>/gi)) {
      const inputAttrs = attributes(input[1]!);
      const name = inputAttrs.get('name');
      if (name) fields.set(name, inputAttrs.get('value') ?? '');
    }
    forms.push({
      id: attrs.get('id'),
      action: new URL(attrs.get('action') ?? baseUrl, baseUrl).href,
      method: (attrs.get('method') ?? 'get').toLowerCase(),
      fields,
    });
  }
  return forms;
}

function parseButtons(html: string): { form?: string; name?: string; value?: string }[] {
  return [...html.matchAll(/<button\b([^>]*)>/gi)].map((match) => {
    const attrs = attributes(match[1]!);
    return { form: attrs.get('form'), name: attrs.get('name'), value: attrs.get('value') };
  });
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? '';
  });
}
