import type { DeviceLogin, DeviceLoginStatus } from '@oidc-device-login/core';
import { useOidcDeviceLogin } from '@oidc-device-login/react';
import { useEffect, useRef, useState } from 'react';

const SIGNING_IN_KEY = 'oidc-device-login-demo:signing-in';
const RUNNING: readonly DeviceLoginStatus[] = ['registering', 'authorizing', 'awaitingUser'];

const selectStatus = (view: { status: DeviceLoginStatus; isRestoring: boolean }) => ({
  status: view.status,
  isRestoring: view.isRestoring,
});

/**
 * A device code is never stored (it is single-use and secret), so a reload during sign-in loses it. This tab
 * remembers (sessionStorage) that it was signing in, and after a reload starts again at once: the person sees a
 * new code and a note saying why, instead of an unexplained "Sign in" button. Returns whether that happened.
 */
export function useResumeAfterReload(login: DeviceLogin): boolean {
  const { status, isRestoring } = useOidcDeviceLogin({ select: selectStatus });
  const decided = useRef(false);
  const [resumed, setResumed] = useState(false);
  useEffect(() => {
    if (isRestoring) return;
    if (!decided.current) {
      decided.current = true;
      if (status === 'idle' && read()) {
        setResumed(true);
        login.start();
        return;
      }
    }
    write(RUNNING.includes(status));
    if (!RUNNING.includes(status)) setResumed(false);
  }, [status, isRestoring, login]);
  return resumed && RUNNING.includes(status);
}

function read(): boolean {
  try {
    return sessionStorage.getItem(SIGNING_IN_KEY) === '1';
  } catch {
    return false;
  }
}

function write(signingIn: boolean): void {
  try {
    if (signingIn) sessionStorage.setItem(SIGNING_IN_KEY, '1');
    else sessionStorage.removeItem(SIGNING_IN_KEY);
  } catch {
    // Storage refused (private mode): a reload then simply shows "Sign in".
  }
}
