import type { AddressInfo } from 'node:net';
import { preview } from 'vite';
import { type DemoServerOptions, EMULATOR_PREFIX } from '../../server/demoServer.ts';
import { demoViteConfig } from '../../server/demoViteConfig.ts';

export interface RunningDemo {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the built demo with `vite preview` on a free port, in the given mode, as `pnpm preview` would. */
export async function startDemo(server: DemoServerOptions = { mode: 'emulator' }): Promise<RunningDemo> {
  const previewServer = await preview({
    ...demoViteConfig(server),
    configFile: false,
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const { port } = previewServer.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => previewServer.close(),
  };
}

/** A recorded request of the emulator (`GET <prefix>/__emulator/requests`), the fields the tests read. */
export interface EmulatorRequest {
  operation: string;
  status: number;
  body?: Record<string, unknown> | null;
  errorType?: string;
}

/** The emulator's control API over HTTP, as a person would script it. */
export function emulatorControl(baseUrl: string, prefix = EMULATOR_PREFIX) {
  const control = `${baseUrl}${prefix}/__emulator`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${control}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    async requests(): Promise<EmulatorRequest[]> {
      const response = await fetch(`${control}/requests`);
      if (!response.ok) throw new Error(`GET requests → ${response.status}`);
      return (await response.json()) as EmulatorRequest[];
    },
    /** How many requests of `operation` the emulator received (optionally only those matching `where`). */
    async count(operation: string, where?: (request: EmulatorRequest) => boolean): Promise<number> {
      return (await this.requests()).filter((r) => r.operation === operation && (where?.(r) ?? true)).length;
    },
    expire: (userCode: string) => post('expire', { userCode }),
    deny: (userCode: string) => post('deny', { userCode }),
    fault: (spec: Record<string, unknown>) => post('fault', spec),
  };
}

/** A CreateToken request that refreshed (not a device-code poll). */
export const isRefresh = (request: EmulatorRequest) => request.body?.grantType === 'refresh_token';
