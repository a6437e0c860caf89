import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import type { DeviceCodeState, DeviceLoginDeps, DeviceLoginEvent } from '../deviceLoginContext.ts';
import { deviceLoginMachine } from '../deviceLoginMachine.ts';
import { Secret } from '../secret.ts';
import { memoryStorage, type StoredRegistration, type StoredSession } from '../storage.ts';
import { scriptedProvider } from './helpers/scriptedProvider.ts';

const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('deviceLoginMachine (used directly)', () => {
  it('runs with createActor and events, keeping the device code redacted in its snapshot', async () => {
    const script = scriptedProvider({ interval: 2 });
    const actor = createActor(deviceLoginMachine, { input: { provider: script.provider } }).start();
    actor.send({ type: 'START' });
    await vi.advanceTimersByTimeAsync(0);
    expect(actor.getSnapshot().matches({ signingIn: 'awaitingUser' })).toBe(true);
    const { device } = actor.getSnapshot().context;
    expect(device?.deviceCode).toBeInstanceOf(Secret);
    expect(JSON.stringify(actor.getSnapshot())).not.toContain('device-code-1');
    expect(inspect(actor.getSnapshot().context, { depth: 10 })).not.toContain('device-code-1');
    expect(`${device?.deviceCode}`).toBe('[redacted]');
    script.polls.push('approve');
    await vi.advanceTimersByTimeAsync(2000);
    expect(actor.getSnapshot().matches({ authenticated: 'active' })).toBe(true);
    expect(actor.getSnapshot().context.device).toBeUndefined();
    actor.stop();
  });

  it('lets composers replace an actor with machine.provide', async () => {
    const script = scriptedProvider({ interval: 1 });
    const seen: string[] = [];
    const machine = deviceLoginMachine.provide({
      actors: {
        // A polling actor of one's own: it tells the machine what happened through the POLL.* events.
        pollForToken: fromCallback<
          DeviceLoginEvent,
          { deps: DeviceLoginDeps; registration: StoredRegistration; device: DeviceCodeState }
        >(({ input, sendBack }) => {
          seen.push(input.device.deviceCode.reveal());
          const session: StoredSession = {
            accessToken: 'custom',
            tokenType: 'Bearer',
            expiresAt: Date.now() + 60_000,
          };
          const timer = setTimeout(
            () => sendBack({ type: 'POLL.TOKEN', output: { value: session, storageError: undefined } }),
            1000,
          );
          return () => clearTimeout(timer);
        }),
      },
    });
    const storage = memoryStorage();
    const actor = createActor(machine, { input: { provider: script.provider, storage } }).start();
    actor.send({ type: 'START' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual(['device-code-1']);
    expect(actor.getSnapshot().context.session?.accessToken).toBe('custom');
    actor.stop();
  });

  it.each([
    'javascript:alert(1)',
    'https://sso.example.com@evil.example/',
    'https://sso.example.com\r.evil.example/',
  ])('checks what a provider returns: verification URI %j is refused', async (verificationUri) => {
    const script = scriptedProvider();
    const provider = {
      ...script.provider,
      startDeviceAuthorization: async () => ({
        deviceCode: 'dc',
        userCode: 'U',
        verificationUri,
        expiresIn: 600,
      }),
    };
    const actor = createActor(deviceLoginMachine, { input: { provider } }).start();
    actor.send({ type: 'START' });
    await vi.advanceTimersByTimeAsync(0);
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.error?.code).toBe('unsafe_url');
    actor.stop();
  });

  it('refuses a token response without an access token, as invalid_response', async () => {
    const script = scriptedProvider({ interval: 1 });
    const provider = {
      ...script.provider,
      pollToken: async () => ({ tokenType: 'Bearer', expiresIn: 60 }) as never,
    };
    const actor = createActor(deviceLoginMachine, { input: { provider } }).start();
    actor.send({ type: 'START' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(actor.getSnapshot().context.error?.code).toBe('invalid_response');
    // Names the member and where the contract is written, so a provider author knows what to fix.
    expect(actor.getSnapshot().context.error?.message).toBe(
      'The provider returned a token set without a valid accessToken (see DeviceFlowProvider).',
    );
    expect(actor.getSnapshot().context.session).toBeUndefined();
    actor.stop();
  });

  it('a provider that throws a foreign error gets a coded error without its message', async () => {
    const script = scriptedProvider({ interval: 1 });
    const provider = {
      ...script.provider,
      pollToken: async () => {
        throw new Error('boom with secret device-code-1');
      },
    };
    const actor = createActor(deviceLoginMachine, { input: { provider } }).start();
    actor.send({ type: 'START' });
    await vi.advanceTimersByTimeAsync(1000);
    const { error } = actor.getSnapshot().context;
    expect(error?.code).toBe('unknown_error');
    expect(error?.message).not.toContain('device-code-1');
    actor.stop();
  });
});
