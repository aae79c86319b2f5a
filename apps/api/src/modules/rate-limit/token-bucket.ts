/** Limits for one bucket: up to `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/**
 * In-process token buckets keyed by caller (API key id, client address of anonymous requests):
 * the first gate of SharedRequestLimiter, which refuses a flood without a database write and
 * decides alone while the database does not answer (ADR 0059).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may proceed (0: now), without spending anything. */
  wait(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = Math.min(this.limit.capacity, bucket.tokens + ((this.now() - bucket.at) / 1000) * this.limit.refillPerSecond);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.limit.refillPerSecond);
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.evictFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.limit.refillPerSecond);
  }

  // Full buckets carry no information, so forgetting them bounds memory without loosening limits.
  private evictFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.refillPerSecond >= this.limit.capacity) this.buckets.delete(key);
    }
  }
}
