import { describe, expect, it } from 'vitest';
import { ApiKeyCache, type CachedApiKey } from './api-key-cache';

const key = (id: string): CachedApiKey => ({ id, factoryId: 'f1', name: id, scopes: [], secretHash: 'h', expiresAt: null });

describe('ApiKeyCache', () => {
  it('forgets a key after the TTL', () => {
    let now = 0;
    const cache = new ApiKeyCache({ ttlMs: 10_000, now: () => now });
    cache.set('p1', key('k1'));
    now = 9_999;
    expect(cache.get('p1')?.id).toBe('k1');
    now = 10_000;
    expect(cache.get('p1')).toBeUndefined();
  });

  it('stays within its bound, dropping the least recently used', () => {
    const cache = new ApiKeyCache({ maxEntries: 2 });
    cache.set('p1', key('k1'));
    cache.set('p2', key('k2'));
    cache.get('p1');
    cache.set('p3', key('k3'));
    expect(cache.size).toBe(2);
    expect([cache.get('p1')?.id, cache.get('p2')?.id, cache.get('p3')?.id]).toEqual(['k1', undefined, 'k3']);
  });

  it('drops a revoked key at once', () => {
    const cache = new ApiKeyCache();
    cache.set('p1', key('k1'));
    cache.invalidate('k1');
    expect(cache.get('p1')).toBeUndefined();
  });

  it('allows a lastUsedAt write at most once a minute per key', () => {
    let now = 1_000_000;
    const cache = new ApiKeyCache({ now: () => now });
    expect(cache.shouldTouch('k1', new Date(now - 30_000))).toBe(false); // another replica wrote it recently
    expect(cache.shouldTouch('k1', new Date(now - 61_000))).toBe(true);
    now += 59_000;
    expect(cache.shouldTouch('k1')).toBe(false);
    expect(cache.shouldTouch('k2')).toBe(true);
    now += 1_000;
    expect(cache.shouldTouch('k1')).toBe(true);
  });

  it('shares one database read among concurrent first requests of a key', async () => {
    const cache = new ApiKeyCache();
    let reads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = async () => {
      reads++;
      await gate;
      return { key: key('k1'), lastUsedAt: null };
    };
    const all = Promise.all(Array.from({ length: 50 }, () => cache.load('p1', read)));
    release();
    expect((await all).map((l) => l?.key.id)).toEqual(Array(50).fill('k1'));
    expect(reads).toBe(1);
    expect(cache.get('p1')?.id).toBe('k1');
    // Once cached, no read at all; a miss after that reads again.
    await cache.load('p2', async () => null);
    expect(cache.get('p2')).toBeUndefined();
  });

  it('does not cache a read that was in flight when a key was revoked', async () => {
    const cache = new ApiKeyCache();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const loading = cache.load('p1', async () => {
      await gate;
      return { key: key('k1'), lastUsedAt: null };
    });
    cache.invalidate('k1');
    release();
    await loading;
    expect(cache.get('p1')).toBeUndefined();
  });
});
