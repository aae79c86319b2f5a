/** What authentication needs of a verified API key row. */
export interface CachedApiKey {
  id: string;
  factoryId: string;
  name: string;
  scopes: string[];
  secretHash: string;
  expiresAt: Date | null;
}

interface Entry {
  key: CachedApiKey;
  cachedAt: number;
}

/** A key as read from the database, with its stored last-used time. */
export interface LoadedApiKey {
  key: CachedApiKey;
  lastUsedAt: Date | null;
}

export interface ApiKeyCacheOptions {
  /** How long a verified key is trusted without reading it again (default 10 s). */
  ttlMs?: number;
  /** Most keys kept; the least recently used go first (default 10 000). */
  maxEntries?: number;
  /** Least time between two `lastUsedAt` writes of one key (default 60 s). */
  touchEveryMs?: number;
  now?: () => number;
}

/**
 * Recently verified API keys of this process, by prefix, so that a busy line station does not
 * cost a key lookup and a factory lookup per request. The secret is still checked against the
 * cached hash on every request (the prefix is not secret). A key revoked through this process is
 * dropped at once; one revoked through another API replica keeps working here for up to `ttlMs`
 * (docs/adr/0046). Only unrevoked keys of live factories are stored; the secret is checked
 * against the stored hash on every request, cached or not.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly touchedAt = new Map<string, number>();
  private readonly loading = new Map<string, Promise<LoadedApiKey | null>>();
  /** Bumped by every invalidation, so a read that started before a revoke is not cached after it. */
  private generation = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;

  constructor(o: ApiKeyCacheOptions = {}) {
    this.ttlMs = o.ttlMs ?? 10_000;
    this.maxEntries = o.maxEntries ?? 10_000;
    this.touchEveryMs = o.touchEveryMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(prefix: string): CachedApiKey | undefined {
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    if (this.now() - entry.cachedAt >= this.ttlMs) {
      this.entries.delete(prefix);
      return undefined;
    }
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(prefix);
    this.entries.set(prefix, entry);
    return entry.key;
  }

  set(prefix: string, key: CachedApiKey): void {
    this.entries.delete(prefix);
    this.entries.set(prefix, { key, cachedAt: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * Reads a key that is not cached, once per prefix at a time: when a line's 200 stations start
   * together, their first requests share one database read instead of queueing 200 of them
   * behind the connection pool. `read` returns only verified, unrevoked keys (or null).
   */
  async load(prefix: string, read: () => Promise<LoadedApiKey | null>): Promise<LoadedApiKey | null> {
    const pending = this.loading.get(prefix);
    if (pending) return pending;
    const generation = this.generation;
    const promise = read().then(
      (loaded) => {
        if (loaded && generation === this.generation) this.set(prefix, loaded.key);
        return loaded;
      },
    ).finally(() => this.loading.delete(prefix));
    this.loading.set(prefix, promise);
    return promise;
  }

  /** Forgets a key (revoked or changed here): the next request reads it from the database. */
  invalidate(apiKeyId: string): void {
    this.generation++;
    this.loading.clear();
    for (const [prefix, entry] of this.entries) if (entry.key.id === apiKeyId) this.entries.delete(prefix);
  }

  /**
   * True when the key's `lastUsedAt` should be written now: at most once per `touchEveryMs` per
   * key and process. `storedLastUsedAt` (from the row, when it was just read) avoids a write when
   * another replica wrote recently.
   */
  shouldTouch(apiKeyId: string, storedLastUsedAt?: Date | null): boolean {
    const now = this.now();
    const last = Math.max(this.touchedAt.get(apiKeyId) ?? 0, storedLastUsedAt?.getTime() ?? 0);
    if (now - last < this.touchEveryMs) return false;
    this.touchedAt.delete(apiKeyId);
    this.touchedAt.set(apiKeyId, now);
    while (this.touchedAt.size > this.maxEntries) this.touchedAt.delete(this.touchedAt.keys().next().value!);
    return true;
  }
}
