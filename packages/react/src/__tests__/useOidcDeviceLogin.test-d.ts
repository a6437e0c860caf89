import {
  awsSsoOidc,
  createDeviceLogin,
  type DeviceLoginError,
  type DeviceLoginStatus,
  type SessionView,
  type StartOptions,
} from '@oidc-device-login/core';
import { describe, expectTypeOf, it } from 'vitest';
import { useAccessToken } from '../useAccessToken.ts';
import { useOidcDeviceLogin } from '../useOidcDeviceLogin.ts';

const startUrl = 'https://d-1234567890.awsapps.com/start';

describe('useOidcDeviceLogin types', () => {
  it('returns the view fields and the actions', () => {
    const result = useOidcDeviceLogin();
    expectTypeOf(result.status).toEqualTypeOf<DeviceLoginStatus>();
    expectTypeOf(result.userCode).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.verificationUri).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.verificationUriComplete).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.expiresAt).toEqualTypeOf<number | undefined>();
    expectTypeOf(result.isSlowedDown).toEqualTypeOf<boolean>();
    expectTypeOf(result.session).toEqualTypeOf<SessionView | undefined>();
    expectTypeOf(result.error).toEqualTypeOf<DeviceLoginError | undefined>();
    expectTypeOf(result.start).toEqualTypeOf<(options?: StartOptions) => void>();
    expectTypeOf(result.cancel).toEqualTypeOf<() => void>();
    expectTypeOf(result.retry).toEqualTypeOf<() => void>();
    expectTypeOf(result.logout).toEqualTypeOf<() => Promise<void>>();
  });

  it('narrows to the selection plus the actions', () => {
    const result = useOidcDeviceLogin({ select: (view) => ({ status: view.status, code: view.userCode }) });
    expectTypeOf(result.status).toEqualTypeOf<DeviceLoginStatus>();
    expectTypeOf(result.code).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.start).toBeFunction();
    expectTypeOf(result).not.toHaveProperty('userCode');
  });

  it('types isEqual by the selection', () => {
    useOidcDeviceLogin({
      select: (view) => ({ status: view.status }),
      isEqual: (a, b) => {
        expectTypeOf(a).toEqualTypeOf<{ status: DeviceLoginStatus }>();
        return a.status === b.status;
      },
    });
  });

  it('refuses a selection that is not an object', () => {
    // @ts-expect-error The selection is spread next to the actions, so it must be an object.
    useOidcDeviceLogin({ select: (view) => view.status });
  });

  it('takes { login }, or the options of createDeviceLogin, not both', () => {
    const login = createDeviceLogin({
      provider: awsSsoOidc({ region: 'us-east-1', startUrl, clientName: 'x' }),
    });
    useOidcDeviceLogin({ login });
    useOidcDeviceLogin({
      provider: awsSsoOidc({ region: 'us-east-1', startUrl, clientName: 'x' }),
      crossTab: false,
    });
    // @ts-expect-error A login is given or created, not both.
    useOidcDeviceLogin({ login, provider: awsSsoOidc({ region: 'us-east-1', startUrl, clientName: 'x' }) });
  });

  it('types useAccessToken', () => {
    const token = useAccessToken();
    expectTypeOf(token.status).toEqualTypeOf<'none' | 'valid' | 'refreshing'>();
    expectTypeOf(token.expiresAt).toEqualTypeOf<number | undefined>();
    expectTypeOf(token.getAccessToken).returns.toEqualTypeOf<Promise<string>>();
  });
});
