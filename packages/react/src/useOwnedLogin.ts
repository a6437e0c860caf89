import { type CreateDeviceLoginOptions, createDeviceLogin, type DeviceLogin } from '@oidc-device-login/core';
import { useEffect, useRef, useState } from 'react';

/**
 * @internal A login created from `options` on first render and disposed when the component unmounts; `undefined`
 * without options. Later changes to `options` are ignored: the login is created once.
 *
 * StrictMode mounts, unmounts and mounts again: the dispose is deferred to a microtask and cancelled by the second
 * mount, so the login (and a sign-in it started) survives. Creating it does nothing observable (core starts
 * on first use), so the extra initialiser call StrictMode makes costs nothing either.
 */
export function useOwnedLogin(options: CreateDeviceLoginOptions | undefined): DeviceLogin | undefined {
  const [owned] = useState(() => (options ? createDeviceLogin(options) : undefined));
  const pendingDispose = useRef<object | undefined>(undefined);
  useEffect(() => {
    if (!owned) return;
    pendingDispose.current = undefined;
    return () => {
      const token = {};
      pendingDispose.current = token;
      queueMicrotask(() => {
        if (pendingDispose.current === token) owned.dispose();
      });
    };
  }, [owned]);
  return owned;
}
