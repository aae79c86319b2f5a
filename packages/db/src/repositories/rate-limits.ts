import type { Db } from '../client';

/** A token bucket: up to `capacity` at once, refilled at `refillPerSecond`. */
export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Takes one token from the shared bucket `key` in a single statement: the row lock of
 * INSERT ... ON CONFLICT DO UPDATE orders concurrent takers, whichever API process they are in,
 * so N parallel attempts against a bucket of `capacity` let exactly `capacity` through.
 * Returns 0 when a token was taken, else the whole seconds until one is available.
 * Keys are stored as given: callers pass hashes, not emails.
 */
export async function takeRateLimitToken(db: Db, key: string, limit: BucketLimit): Promise<number> {
  const capacity = limit.capacity;
  const refill = limit.refillPerSecond;
  // The database's clock, so that every process refills by the same time; GREATEST guards against
  // a statement that started before the row's last update.
  const taken = await db.$queryRaw<{ tokens: number }[]>`
    INSERT INTO "RateLimitBucket" AS b ("key", "tokens", "updatedAt")
    VALUES (${key}, ${capacity}::float8 - 1, clock_timestamp())
    ON CONFLICT ("key") DO UPDATE SET
      "tokens" = LEAST(${capacity}::float8, b."tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b."updatedAt")::float8) * ${refill}::float8) - 1,
      "updatedAt" = clock_timestamp()
    WHERE LEAST(${capacity}::float8, b."tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b."updatedAt")::float8) * ${refill}::float8) >= 1
    RETURNING "tokens"`;
  if (taken.length > 0) return 0;
  const [bucket] = await db.$queryRaw<{ available: number }[]>`
    SELECT LEAST(${capacity}::float8, "tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - "updatedAt")::float8) * ${refill}::float8) AS "available"
    FROM "RateLimitBucket" WHERE "key" = ${key}`;
  const available = bucket?.available ?? 0;
  return Math.max(1, Math.ceil((1 - available) / refill));
}

/** Tokens `key` holds now (capacity when it has no bucket), without taking any. */
export async function peekRateLimitTokens(db: Db, key: string, limit: BucketLimit): Promise<number> {
  const [bucket] = await db.$queryRaw<{ available: number }[]>`
    SELECT LEAST(${limit.capacity}::float8, "tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - "updatedAt")::float8) * ${limit.refillPerSecond}::float8) AS "available"
    FROM "RateLimitBucket" WHERE "key" = ${key}`;
  return bucket?.available ?? limit.capacity;
}

/** Gives one token back to `key` (an attempt that turned out legitimate); never above capacity. */
export async function refundRateLimitToken(db: Db, key: string, limit: BucketLimit): Promise<void> {
  await db.$executeRaw`
    UPDATE "RateLimitBucket" SET
      "tokens" = LEAST(${limit.capacity}::float8, "tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - "updatedAt")::float8) * ${limit.refillPerSecond}::float8 + 1),
      "updatedAt" = clock_timestamp()
    WHERE "key" = ${key}`;
}

/**
 * Deletes the buckets under `keyPrefix` that have refilled completely (untouched for
 * capacity / refill seconds): a full bucket and a missing one mean the same.
 */
export async function sweepFullRateLimitBuckets(db: Db, keyPrefix: string, limit: BucketLimit): Promise<number> {
  const fullAfterSeconds = limit.capacity / limit.refillPerSecond;
  return db.$executeRaw`
    DELETE FROM "RateLimitBucket"
    WHERE "updatedAt" < clock_timestamp() - make_interval(secs => ${fullAfterSeconds}::float8)
      AND starts_with("key", ${keyPrefix})`;
}
