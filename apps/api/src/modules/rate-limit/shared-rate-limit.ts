import { createHash } from 'node:crypto';
import { refundRateLimitToken, sweepFullRateLimitBuckets, takeRateLimitToken, type Db } from '@gansight/db';
import type { RateLimit } from './token-bucket';

/** Attempts (sign-ins, password checks) limited per subject, counted before the attempt is judged. */
export interface AttemptLimiter {
  /** Charges one attempt; 0 when allowed, else the seconds until the next one is. */
  take(subject: string): Promise<number>;
  /** Gives back an attempt that turned out legitimate (the right password). */
  refund(subject: string): Promise<void>;
}

// Full buckets are dropped now and then; a missing bucket is a full one, so this loosens nothing.
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Token buckets in PostgreSQL (table RateLimitBucket), so every API process connected to the
 * database shares one limit and a take is atomic however many requests race (ADR 0022).
 * Subjects (emails, user ids) are stored only as sha256 under the limiter's namespace.
 */
export class SharedRateLimit implements AttemptLimiter {
  private lastSweep = Date.now();

  constructor(
    private readonly db: Db,
    private readonly namespace: string,
    private readonly limit: RateLimit,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  async take(subject: string): Promise<number> {
    this.sweepNowAndThen();
    return takeRateLimitToken(this.db, this.key(subject), this.limit);
  }

  async refund(subject: string): Promise<void> {
    await refundRateLimitToken(this.db, this.key(subject), this.limit);
  }

  private key(subject: string): string {
    return `${this.namespace}:${createHash('sha256').update(subject).digest('hex')}`;
  }

  private sweepNowAndThen(): void {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    sweepFullRateLimitBuckets(this.db, `${this.namespace}:`, this.limit).catch((err: unknown) =>
      this.log(`rate-limit sweep failed: ${(err as Error).message}`),
    );
  }
}
