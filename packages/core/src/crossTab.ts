/**
 * Cross-tab coordination: the tabs of one origin that share a storage key share one session. One tab at a time runs
 * a device flow or a refresh (Web Locks); the others learn the result (BroadcastChannel) and read it from the shared
 * storage. Messages never carry tokens or the device code: a tab that hears "session updated" reads the storage.
 *
 * Without `navigator.locks` or `BroadcastChannel` (old browsers, Node, workers that lack them) each part degrades
 * to per-tab behaviour: no lock means run now, no channel means nobody hears.
 */

import { webPageUrlProblem } from './webPageUrlProblem.ts';

/** The part of the Web Locks API used here (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => T | Promise<T>,
  ): Promise<T>;
}

/** The part of `BroadcastChannel` used here. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface CrossTabOptions {
  /** The lock manager. `null` disables locking. Defaults to `navigator.locks` when it exists. */
  locks?: LockManagerLike | null | undefined;
  /**
   * The channel to other tabs. `null` disables messages. Defaults to `new BroadcastChannel(name)` when
   * `BroadcastChannel` exists, created on first use and closed by `close()`. A channel passed in is not closed.
   */
  channel?: BroadcastChannelLike | null | undefined;
  /** Prefix of lock names and the default channel's name. Defaults to `oidc-device-login`. */
  name?: string | undefined;
}

/** What a waiting tab shows while another tab runs the device flow. No secret: the user code is displayed anyway. */
export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string | undefined;
  /** Epoch ms when the device code expires. */
  expiresAt: number;
  /** Seconds between polls. */
  interval: number;
}

/**
 * Messages between tabs. `key` is the storage scope key; tabs ignore other keys. `session-updated` carries the
 * `issuedAt` of the session that was written (a timestamp, not a secret): browsers propagate localStorage to other
 * tabs asynchronously, and the message can arrive first, so a tab that reads an older session (or none) reads again.
 */
export type CrossTabMessage =
  | { type: 'session-updated'; key: string; issuedAt?: number | undefined }
  | { type: 'session-removed'; key: string; reason: 'logout' | 'expired' }
  | { type: 'prompt'; key: string; prompt: DevicePrompt }
  | { type: 'prompt-request'; key: string }
  | { type: 'flow-ended'; key: string };

/** What the machine needs from cross-tab coordination. {@link crossTab} and {@link localCoordinator} make one. */
export interface CrossTabCoordinator {
  /**
   * Waits for the exclusive lock `name` and resolves with its release function. Rejects when `signal` aborts first.
   * Resolves at once when there is no lock manager.
   */
  hold(name: string, signal: AbortSignal): Promise<() => void>;
  /** Runs `fn` while holding the lock `name`. */
  exclusive<T>(name: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T>;
  /** Sends a message to the other tabs. Never throws. */
  publish(message: CrossTabMessage): void;
  /** Calls `listener` for each valid message from another tab. Returns the unsubscribe function. */
  subscribe(listener: (message: CrossTabMessage) => void): () => void;
  /** Closes the channel this coordinator created. */
  close(): void;
}

const noop = () => {};

/** A coordinator for one tab alone: locks are granted at once, messages go nowhere. */
export function localCoordinator(): CrossTabCoordinator {
  // A new object each time (callers may replace a method), over functions shared by all of them.
  return {
    hold: holdLocally,
    exclusive: exclusiveWith(holdLocally),
    publish: noop,
    subscribe: hearNothing,
    close: noop,
  };
}

/** `exclusive` over a `hold`: runs `fn` while holding the lock, and releases it however `fn` ends. */
function exclusiveWith(hold: CrossTabCoordinator['hold']): CrossTabCoordinator['exclusive'] {
  return async (name, signal, fn) => {
    const release = await hold(name, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

const hearNothing = () => noop;

function holdLocally(_name: string, signal: AbortSignal): Promise<() => void> {
  return signal.aborted ? Promise.reject(abortReason(signal)) : Promise.resolve(noop);
}

/**
 * Coordinates the tabs of an origin through Web Locks and a BroadcastChannel. Nothing is touched until first use,
 * so it can be created during server rendering.
 */
export function crossTab(options: CrossTabOptions = {}): CrossTabCoordinator {
  const name = options.name ?? 'oidc-device-login';
  const listeners = new Set<(message: CrossTabMessage) => void>();
  // `undefined` until first use; `null` when there is none, or after `close()`.
  let channel: BroadcastChannelLike | null | undefined;
  let ownsChannel = false;

  const onMessage = ({ data }: { data: unknown }) => {
    if (isCrossTabMessage(data)) for (const listener of [...listeners]) listener(data);
  };

  const getChannel = () => {
    if (channel === undefined) {
      channel = options.channel;
      if (channel === undefined) {
        channel = null;
        if (typeof BroadcastChannel === 'function') {
          channel = new BroadcastChannel(name);
          ownsChannel = true;
          // Node keeps the process alive while a channel is open; a login must not.
          (channel as { unref?: () => void }).unref?.();
        }
      }
      channel?.addEventListener('message', onMessage);
    }
    return channel;
  };

  const hold = (lockName: string, signal: AbortSignal): Promise<() => void> => {
    const manager =
      options.locks !== undefined
        ? options.locks
        : (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
    if (signal.aborted || !manager) return holdLocally(lockName, signal);
    // Settling this promise twice is harmless: after the lock is granted, a late rejection changes nothing.
    return new Promise((resolve, reject) => {
      try {
        manager
          .request(`${name}:${lockName}`, { signal }, () =>
            // The lock is held until the promise returned here settles: the release function settles it.
            signal.aborted ? undefined : new Promise<void>((release) => resolve(release)),
          )
          .catch(() => {
            if (signal.aborted) reject(abortReason(signal));
            // The lock manager refused (e.g. a sandboxed frame): degrade to running without a lock.
            else resolve(noop);
          });
      } catch {
        resolve(noop);
      }
    });
  };

  return {
    hold,
    exclusive: exclusiveWith(hold),
    publish(message) {
      try {
        getChannel()?.postMessage({ ...message, v: 1 });
      } catch {
        // A closed or failing channel only costs the other tabs a notification; they still read storage.
      }
    },
    subscribe(listener) {
      getChannel();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      channel?.removeEventListener('message', onMessage);
      if (ownsChannel) channel?.close();
      channel = null;
    },
  };
}

const isHttpUrl = (value: unknown) => webPageUrlProblem(value) === undefined;

/** Messages come from any script of the origin: check the shape before acting on one. */
function isCrossTabMessage(value: unknown): value is CrossTabMessage {
  const message = Object(value) as Record<string, unknown>;
  if (message.v !== 1 || typeof message.key !== 'string') return false;
  switch (message.type) {
    case 'session-updated':
      return message.issuedAt === undefined || typeof message.issuedAt === 'number';
    case 'prompt-request':
    case 'flow-ended':
      return true;
    case 'session-removed':
      return message.reason === 'logout' || message.reason === 'expired';
    case 'prompt': {
      const prompt = Object(message.prompt) as Record<string, unknown>;
      return (
        typeof prompt.userCode === 'string' &&
        isHttpUrl(prompt.verificationUri) &&
        (prompt.verificationUriComplete === undefined || isHttpUrl(prompt.verificationUriComplete)) &&
        typeof prompt.expiresAt === 'number' &&
        typeof prompt.interval === 'number'
      );
    }
    default:
      return false;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
