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
});
