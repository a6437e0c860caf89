import { CLIENT_NAME, EMULATOR_ENDPOINT, type FetchLike } from './kit.ts';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface PlainLogin {
  /** Resolves with the user code once the device authorization has started. */
  userCode: Promise<string>;
  /** Resolves with `performance.now()` when the token arrives. */
  done: Promise<number>;
  cancel(): void;
}

async function post(
  fetch: FetchLike,
  path: string,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${EMULATOR_ENDPOINT}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function field(json: unknown, name: string): unknown {
  return json && typeof json === 'object' ? (json as Record<string, unknown>)[name] : undefined;
}

/**
 * The floor the kit is compared with: the same SSO OIDC requests written as a bare fetch loop (register, start,
 * poll CreateToken every `interval` s, +5 s on slow_down), with no state machine, storage, retries or views.
 */
export function startPlainLogin(fetch: FetchLike, startUrl: string): PlainLogin {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: () => void = () => {};
  let cancelled = false;
  let resolveCode: (code: string) => void = () => {};
  let rejectCode: (error: unknown) => void = () => {};
  const userCode = new Promise<string>((resolve, reject) => {
    resolveCode = resolve;
    rejectCode = reject;
  });
  const done = (async () => {
    const reg = await post(fetch, '/client/register', { clientName: CLIENT_NAME, clientType: 'public' });
    const clientId = field(reg.json, 'clientId');
    const clientSecret = field(reg.json, 'clientSecret');
    if (reg.status !== 200) throw new Error(`RegisterClient answered ${reg.status}`);
    const start = await post(fetch, '/device_authorization', { clientId, clientSecret, startUrl });
    if (start.status !== 200) throw new Error(`StartDeviceAuthorization answered ${start.status}`);
    const deviceCode = field(start.json, 'deviceCode');
    let interval = Number(field(start.json, 'interval') ?? 5);
    resolveCode(String(field(start.json, 'userCode')));
    for (;;) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, interval * 1000);
      });
      if (cancelled) throw new Error('cancelled');
      const token = await post(fetch, '/token', {
        clientId,
        clientSecret,
        grantType: DEVICE_CODE_GRANT,
        deviceCode,
      });
      if (token.status === 200) return performance.now();
      const error = field(token.json, 'error');
      if (error === 'slow_down') interval += 5;
      else if (error !== 'authorization_pending') throw new Error(`CreateToken failed: ${String(error)}`);
    }
  })();
  // Whoever awaits `done` or `userCode` sees a failure; these handlers only keep it from being "unhandled".
  done.catch(rejectCode);
  userCode.catch(() => {});
  return {
    userCode,
    done,
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      wake();
    },
  };
}
