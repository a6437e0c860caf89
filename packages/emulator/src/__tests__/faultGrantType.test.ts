/**
 * `fault({ operation: 'CreateToken', grantType })`: CreateToken serves both device code polls and refreshes, so a
 * fault can target one grant and let the other through, whatever order the client sends them in.
 */

import { describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator.ts';
import { EmulatorControlError } from '../emulatorControlError.ts';
import { DEVICE_GRANT, expectOidcError, manualClock, startFlow } from './support.ts';

/** An in-process emulator on a hand-driven clock, and a signed-in session's refresh. */
async function signedIn() {
  const clock = manualClock();
  const emulator = createEmulator({ now: clock.now, interval: 1 });
  const flow = await startFlow('http://emulator.local', emulator.fetch);
  const refresh = (refreshToken: string) =>
    flow.json('/token', { ...flow.registration, grantType: 'refresh_token', refreshToken });
  return { clock, emulator, flow, refresh };
}

const createTokenRecords = (emulator: ReturnType<typeof createEmulator>) =>
  emulator
    .requests()
    .filter((request) => request.operation === 'CreateToken')
    .map((request) => ({
      grantType: (request.body as { grantType?: string }).grantType,
      status: request.status,
      errorType: request.errorType,
      fault: request.fault,
    }));

describe('a refresh-only fault', () => {
  it('lets device code polls through, then answers the refresh; the faulted refresh changes nothing', async () => {
    const { clock, emulator, flow, refresh } = await signedIn();
    // Injected before the login even polls: the polls must not consume it.
    emulator.fault({
      operation: 'CreateToken',
      grantType: 'refresh_token',
      error: 'InternalServerException',
    });
    await expectOidcError(await flow.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    clock.tick(1000);
    await expectOidcError(await flow.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    emulator.approve({ userCode: flow.start.userCode });
    clock.tick(1000);
    const signIn = await flow.poll();
    expect(signIn.status).toBe(200);
    const { refreshToken } = (await signIn.json()) as { refreshToken: string };

    await expectOidcError(await refresh(refreshToken), 'InternalServerException', 500, 'server_error');
    // The faulted refresh did not rotate the token: the same one still works, and the fault is used up.
    const refreshed = await refresh(refreshToken);
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { refreshToken: string }).refreshToken).not.toBe(refreshToken);

    expect(createTokenRecords(emulator)).toEqual([
      { grantType: DEVICE_GRANT, status: 400, errorType: 'AuthorizationPendingException', fault: undefined },
      { grantType: DEVICE_GRANT, status: 400, errorType: 'AuthorizationPendingException', fault: undefined },
      { grantType: DEVICE_GRANT, status: 200, errorType: undefined, fault: undefined },
      { grantType: 'refresh_token', status: 500, errorType: 'InternalServerException', fault: 'error' },
      { grantType: 'refresh_token', status: 200, errorType: undefined, fault: undefined },
    ]);
  });

  it('with count and drop, spans several refreshes while polls of a second sign-in pass', async () => {
    const { clock, emulator, flow, refresh } = await signedIn();
    emulator.approve({ userCode: flow.start.userCode });
    const { refreshToken } = (await (await flow.poll()).json()) as { refreshToken: string };
    const second = await startFlow('http://emulator.local', emulator.fetch);
    emulator.fault({ operation: 'CreateToken', grantType: 'refresh_token', drop: true, count: 2 });
    await expect(refresh(refreshToken)).rejects.toBeInstanceOf(TypeError);
    await expectOidcError(await second.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    await expect(refresh(refreshToken)).rejects.toBeInstanceOf(TypeError);
    clock.tick(1000);
    await expectOidcError(await second.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    expect((await refresh(refreshToken)).status).toBe(200);
    expect(createTokenRecords(emulator).map((record) => record.fault)).toEqual([
      undefined,
      'drop',
      undefined,
      'drop',
      undefined,
      undefined,
    ]);
  });
});

describe('a device-code-only fault', () => {
  it('lets refreshes through, then answers the next poll; the faulted poll does not count as a poll', async () => {
    const { emulator, flow, refresh } = await signedIn();
    emulator.approve({ userCode: flow.start.userCode });
    const { refreshToken } = (await (await flow.poll()).json()) as { refreshToken: string };
    // A second sign-in is pending when the fault goes in; the first session's refresh must not consume it.
    const second = await startFlow('http://emulator.local', emulator.fetch);
    emulator.fault({ operation: 'CreateToken', grantType: DEVICE_GRANT, error: 'SlowDownException' });
    const refreshed = await refresh(refreshToken);
    expect(refreshed.status).toBe(200);
    const rotated = ((await refreshed.json()) as { refreshToken: string }).refreshToken;
    expect((await refresh(rotated)).status).toBe(200);

    await expectOidcError(await second.poll(), 'SlowDownException', 400, 'slow_down');
    // Had the faulted poll counted, this immediate poll would be "too fast" and the interval would have grown.
    await expectOidcError(await second.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    expect(emulator.pendingAuthorizations()[0]?.interval).toBe(1);

    expect(createTokenRecords(emulator).map((record) => [record.grantType, record.fault])).toEqual([
      [DEVICE_GRANT, undefined],
      ['refresh_token', undefined],
      ['refresh_token', undefined],
      [DEVICE_GRANT, 'error'],
      [DEVICE_GRANT, undefined],
    ]);
  });

  it('leaves an untargeted fault in order: the first pending fault that matches the request answers it', async () => {
    const { emulator, flow, refresh } = await signedIn();
    emulator.approve({ userCode: flow.start.userCode });
    const { refreshToken } = (await (await flow.poll()).json()) as { refreshToken: string };
    const second = await startFlow('http://emulator.local', emulator.fetch);
    emulator.fault({ operation: 'CreateToken', grantType: DEVICE_GRANT, error: 'SlowDownException' });
    emulator.fault({ operation: 'CreateToken', error: 'InternalServerException' });
    // The refresh skips the device-code fault and takes the untargeted one behind it.
    await expectOidcError(await refresh(refreshToken), 'InternalServerException', 500, 'server_error');
    await expectOidcError(await second.poll(), 'SlowDownException', 400, 'slow_down');
    await expectOidcError(await second.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
    expect((await refresh(refreshToken)).status).toBe(200);
  });
});

describe('validation', () => {
  it('a bad grantType throws EmulatorControlError saying what is accepted', () => {
    const emulator = createEmulator();
    const bad = (spec: unknown) => {
      try {
        emulator.fault(spec as Parameters<typeof emulator.fault>[0]);
      } catch (error) {
        expect(error).toBeInstanceOf(EmulatorControlError);
        return (error as Error).message;
      }
      throw new Error('expected fault() to throw');
    };
    for (const grantType of [
      'device_code',
      'authorization_code',
      'REFRESH_TOKEN',
      '',
      7,
      null,
      ['refresh_token'],
    ]) {
      expect(bad({ operation: 'CreateToken', grantType, drop: true })).toBe(
        "fault.grantType must be 'refresh_token' or 'urn:ietf:params:oauth:grant-type:device_code', as " +
          "CreateToken's grantType (leave it out to match every grant)",
      );
    }
    for (const operation of ['RegisterClient', 'StartDeviceAuthorization', 'ListAccounts', 'Logout']) {
      expect(bad({ operation, grantType: 'refresh_token', drop: true })).toMatch(
        /^fault\.grantType applies to CreateToken only/,
      );
    }
    // The other members are still checked alongside it.
    expect(bad({ operation: 'CreateToken', grantType: 'refresh_token' })).toMatch(/needs one of error, drop/);
  });

  it('a rejected spec leaves no fault behind', async () => {
    const { emulator, flow } = await signedIn();
    expect(() =>
      emulator.fault({ operation: 'CreateToken', grantType: 'device_code' as never, drop: true }),
    ).toThrow(EmulatorControlError);
    await expectOidcError(await flow.poll(), 'AuthorizationPendingException', 400, 'authorization_pending');
  });
});
