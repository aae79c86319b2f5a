import type { Db } from '@gansight/db';
import { SharedRateLimit } from './shared-rate-limit';
import { TokenBuckets, type RateLimit } from './token-bucket';

/** Requests charged per caller key before anything executes: 0 when allowed, else the seconds to wait. */
export interface RequestLimiter {
  take(key: string): number | Promise<number>;
}

// A database that does not answer is logged at most this often, not once per request.
const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * Requests per caller (API key, client address) limited across every API process (ADR 0059):
 * the in-process bucket first, so that a flood is refused without a database write and each
 * process still guards its own CPU, then the shared bucket in PostgreSQL (RateLimitBucket), so
 * that N replicas do not give a caller N times the limit. While the database does not answer,
 * the in-process bucket alone decides (the request would need the database anyway; `health`
 * must still be able to say so).
 */
export class SharedRequestLimiter implements RequestLimiter {
  private readonly local: TokenBuckets;
  private readonly shared: SharedRateLimit;
  private lastFailureLog = 0;

  constructor(
    db: Db,
    namespace: string,
    limit: RateLimit,
    private readonly log: (message: string) => void,
  ) {
    this.local = new TokenBuckets(limit);
    this.shared = new SharedRateLimit(db, namespace, limit, log);
  }

  async take(key: string): Promise<number> {
    const wait = this.local.take(key);
    if (wait > 0) return wait;
    try {
      return await this.shared.take(key);
    } catch (err) {
      if (Date.now() - this.lastFailureLog > FAILURE_LOG_EVERY_MS) {
        this.lastFailureLog = Date.now();
        this.log(`shared rate limit unavailable, limiting per process meanwhile: ${(err as Error).message}`);
      }
      return 0;
    }
  }
}
