// Per-API-key and anonymous request limits hold across API processes: two API servers, each on
// its own connection pool, on one database (ADR 0059).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type Db } from '@gansight/db';
import { startApiServer, type RunningApiServer } from '../../server';
import { startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { SharedRequestLimiter } from './shared-request-limiter';

// Four at once, then one token every 100 s: nothing refills while the test runs.
const LIMIT = { capacity: 4, refillPerSecond: 0.01 };
let t: TestApi;
let secondDb: Db;
let second: RunningApiServer;
let acme: TestFactory;

beforeAll(async () => {
  t = await startTestApi({ apiKeyRateLimit: LIMIT, anonymousRateLimit: LIMIT });
  secondDb = createDbClient(t.database.url, { maxConnections: 5 });
  second = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    apiKeyRateLimit: LIMIT,
    anonymousRateLimit: LIMIT,
    services: { version: 'test', startedAt: Date.now(), db: secondDb, healthChecks: {} },
  });
  acme = await t.createFactory('Acme Tiles');
});
afterAll(async () => {
  await second.stop();
  await secondDb.$disconnect();
  await t.stop();
});

async function statuses(token: string | undefined, count: number): Promise<number[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(i % 2 ? second.url : t.api.url, { method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }) }),
    ),
  );
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  return responses.map((r) => r.status).sort();
}

describe('request limits shared by API processes', () => {
  it('lets an API key make its limit of requests in all, not per server', async () => {
    expect(await statuses(acme.keyToken, 10)).toEqual([200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
    // Another key has a bucket of its own.
    const other = await t.createFactory('Borealis Solar');
    expect((await statuses(other.keyToken, 1))[0]).toBe(200);
  });

  it('lets one address make its limit of requests without credentials in all, not per server', async () => {
    expect(await statuses(undefined, 10)).toEqual([200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
  });

  it('limits per process while the database does not answer', async () => {
    const unreachable = createDbClient('postgresql://nobody@127.0.0.1:1/none', { maxConnections: 1 });
    const logged: string[] = [];
    const limiter = new SharedRequestLimiter(unreachable, 'test', { capacity: 2, refillPerSecond: 0.01 }, (m) => logged.push(m));
    try {
      expect(await limiter.take('k')).toBe(0);
      expect(await limiter.take('k')).toBe(0);
      expect(await limiter.take('k')).toBeGreaterThan(0);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^shared rate limit unavailable, limiting per process meanwhile/);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
