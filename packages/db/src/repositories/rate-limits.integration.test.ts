import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type Db } from '../client';
import { createTestDatabase, type TestDatabase } from '../testing';
import { refundRateLimitToken, sweepFullRateLimitBuckets, takeRateLimitToken } from './rate-limits';

let t: TestDatabase;
let second: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  // A second connection pool, as a second API process would have.
  second = createDbClient(t.url, { maxConnections: 5 });
});
afterAll(async () => {
  await second.$disconnect();
  await t.drop();
});

describe('shared rate-limit buckets', () => {
  it('lets exactly `capacity` of many parallel takes through, from two connection pools', async () => {
    const limit = { capacity: 7, refillPerSecond: 0.001 };
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => takeRateLimitToken(i % 2 ? second : t.db, 'parallel', limit)));
    expect(waits.filter((w) => w === 0)).toHaveLength(7);
    // Refused takes say how long until the next token: one token at 0.001/s is 1000 s away.
    expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(900);
  });

  it('refills with time and takes a refunded token back', async () => {
    const limit = { capacity: 2, refillPerSecond: 20 };
    expect([await takeRateLimitToken(t.db, 'refill', limit), await takeRateLimitToken(t.db, 'refill', limit)]).toEqual([0, 0]);
    expect(await takeRateLimitToken(t.db, 'refill', { capacity: 2, refillPerSecond: 0.01 })).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(await takeRateLimitToken(t.db, 'refill', limit)).toBe(0);

    const slow = { capacity: 1, refillPerSecond: 0.001 };
    expect(await takeRateLimitToken(t.db, 'refund', slow)).toBe(0);
    expect(await takeRateLimitToken(t.db, 'refund', slow)).toBeGreaterThan(0);
    await refundRateLimitToken(t.db, 'refund', slow);
    expect(await takeRateLimitToken(t.db, 'refund', slow)).toBe(0);
  });

  it('sweeps only full buckets under the prefix', async () => {
    // Full 0.2 s after the last take.
    const limit = { capacity: 1, refillPerSecond: 5 };
    await takeRateLimitToken(t.db, 'sweep:a', limit);
    await takeRateLimitToken(t.db, 'other:a', limit);
    await new Promise((r) => setTimeout(r, 300));
    await takeRateLimitToken(t.db, 'sweep:b', { capacity: 1, refillPerSecond: 0.001 });
    expect(await sweepFullRateLimitBuckets(t.db, 'sweep:', limit)).toBe(1);
    const keys = (await t.db.rateLimitBucket.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys).toContain('other:a');
    expect(keys).toContain('sweep:b');
    expect(keys).not.toContain('sweep:a');
  });
});
