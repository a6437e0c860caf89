import { describe, expect, it } from 'vitest';
import {
  isStoredRegistration,
  isStoredSession,
  memoryStorage,
  type StoredSession,
  type WebStorageLike,
  webStorage,
} from '../storage.ts';

const scope = { key: 'aws:us-east-1:https://d-1.awsapps.com/start:sso:account:access' };
const session: StoredSession = { accessToken: 'at', tokenType: 'Bearer', expiresAt: 1_700_000_000_000 };

/** A Map-backed Web Storage: Node has no localStorage, and this is the part of the API webStorage uses. */
function mapStorage(): WebStorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('memoryStorage', () => {
  it('stores copies per scope key', async () => {
    const storage = memoryStorage();
    const reg = { clientId: 'c', clientSecret: 's', scopes: ['a'] };
    await storage.setRegistration(scope, reg);
    reg.scopes.push('mutated');
    expect(await storage.getRegistration(scope)).toEqual({ clientId: 'c', clientSecret: 's', scopes: ['a'] });
    expect(await storage.getRegistration({ key: 'other' })).toBeUndefined();
    await storage.removeRegistration(scope);
    expect(await storage.getRegistration(scope)).toBeUndefined();
  });
});

describe('webStorage', () => {
  it('writes JSON under prefixed keys and reads it back', () => {
    const backing = mapStorage();
    const storage = webStorage(backing, { key: 'app' });
    storage.setSession(scope, session);
    expect([...backing.items.keys()]).toEqual([`app:${scope.key}:session`]);
    expect(storage.getSession(scope)).toEqual(session);
    storage.removeSession(scope);
    expect(backing.items.size).toBe(0);
  });

  it('drops corrupt or mis-shaped records instead of trusting them', () => {
    const backing = mapStorage();
    const storage = webStorage(backing);
    backing.setItem(storage.itemKey(scope, 'session'), '{not json');
    expect(storage.getSession(scope)).toBeUndefined();
    expect(backing.items.size).toBe(0);
    backing.setItem(storage.itemKey(scope, 'registration'), JSON.stringify({ clientId: 42 }));
    expect(storage.getRegistration(scope)).toBeUndefined();
    expect(backing.items.size).toBe(0);
  });

  it('keeps when the sign-in happened, and drops a record whose signedInAt is not a number', () => {
    const backing = mapStorage();
    const storage = webStorage(backing);
    storage.setSession(scope, { ...session, signedInAt: 1_699_999_000_000 });
    expect(storage.getSession(scope)).toEqual({ ...session, signedInAt: 1_699_999_000_000 });
    backing.setItem(
      storage.itemKey(scope, 'session'),
      JSON.stringify({ ...session, signedInAt: 'yesterday' }),
    );
    expect(storage.getSession(scope)).toBeUndefined();
  });

  it('resolves a lazy storage only when used', () => {
    let resolved = 0;
    const backing = mapStorage();
    const storage = webStorage(() => {
      resolved++;
      return backing;
    });
    expect(resolved).toBe(0);
    storage.getSession(scope);
    expect(resolved).toBe(1);
  });
});

describe('the client authentication method in stored records', () => {
  const registration = { clientId: 'dyn', clientSecret: 's' };

  it('survives a JSON round trip in the registration and the session', () => {
    const backing = mapStorage();
    const storage = webStorage(backing);
    const assigned = { tokenEndpointAuthMethod: 'client_secret_post' } as const;
    storage.setRegistration(scope, { ...registration, ...assigned });
    storage.setSession(scope, { ...session, clientId: 'dyn', clientSecret: 's', ...assigned });
    expect(webStorage(backing).getRegistration(scope)).toEqual({ ...registration, ...assigned });
    expect(webStorage(backing).getSession(scope)).toMatchObject(assigned);
  });

  it('accepts records of older versions, without the method', () => {
    expect(isStoredRegistration(registration)).toBe(true);
    expect(isStoredSession({ ...session, clientId: 'dyn' })).toBe(true);
  });

  it.each(['none', 'client_secret_basic', 'client_secret_post'])(
    'accepts a registration for %s',
    (method) => {
      expect(isStoredRegistration({ ...registration, tokenEndpointAuthMethod: method })).toBe(true);
    },
  );

  it.each([42, null, 'CLIENT_SECRET_POST', 'private_key_jwt', 'client_secret_jwt', ''])(
    'drops a registration whose method is %j (the kit cannot authenticate with it)',
    (method) => {
      const backing = mapStorage();
      const storage = webStorage(backing);
      backing.setItem(
        storage.itemKey(scope, 'registration'),
        JSON.stringify({ ...registration, tokenEndpointAuthMethod: method }),
      );
      expect(storage.getRegistration(scope)).toBeUndefined();
      expect(backing.items.size).toBe(0);
    },
  );

  it('drops a session whose method is not a string, and keeps one with a method it cannot perform', () => {
    for (const method of [42, null, { name: 'client_secret_post' }]) {
      expect(isStoredSession({ ...session, clientId: 'dyn', tokenEndpointAuthMethod: method })).toBe(false);
    }
    // The access token is still good; a refresh with this client ends the session (invalid_client).
    expect(isStoredSession({ ...session, clientId: 'dyn', tokenEndpointAuthMethod: 'private_key_jwt' })).toBe(
      true,
    );
  });
});
