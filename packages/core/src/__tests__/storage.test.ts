import { describe, expect, it } from 'vitest';
import { memoryStorage, type StoredSession, type WebStorageLike, webStorage } from '../storage.ts';

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
