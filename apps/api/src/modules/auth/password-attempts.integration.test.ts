// Issue 13 item 1: the sign-in throttle must hold against parallel requests and across API
// processes. Everything here is real HTTP against running API servers on one real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type Db } from '@gansight/db';
import { errorCode, PASSWORD, startTestApi, type GqlResponse, type TestApi, type TestFactory } from '../../testing/test-api';
import { startApiServer, type RunningApiServer } from '../../server';

const LIMIT = { capacity: 5, refillPerSecond: 0.001 };
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';

let t: TestApi;
let acme: TestFactory;

beforeAll(async () => {
  // Every request here comes from one address; the per-address limit is guards/anonymous-limits'.
  t = await startTestApi({ loginRateLimit: LIMIT, anonymousRateLimit: { capacity: 1000, refillPerSecond: 100 } });
  acme = await t.createFactory('Acme Tiles');
});
afterAll(() => t.stop());

const login = (email: string, password: string) => t.gql(LOGIN, { e: email, p: password });

function expectRateLimited(res: GqlResponse) {
  expect(errorCode(res)).toBe('RATE_LIMITED');
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(res.json.errors![0]!.extensions!.retryAfterSeconds).toBe(retryAfter);
}

describe('password attempts', () => {
  it('lets only the limit of a parallel burst of wrong passwords be tried, then refuses even the right one', async () => {
    const victim = await t.createFactory('Victim Works');
    const burst = await Promise.all(Array.from({ length: 40 }, () => login(victim.adminEmail, 'wrong guess')));
    const codes = burst.map(errorCode);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(LIMIT.capacity);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(40 - LIMIT.capacity);
    for (const res of burst.filter((r) => errorCode(r) === 'RATE_LIMITED')) expectRateLimited(res);

    // The right password hidden in a later parallel burst gets no session either.
    const mixed = await Promise.all(Array.from({ length: 20 }, (_, i) => login(victim.adminEmail, i === 13 ? PASSWORD : 'wrong again')));
    expect(mixed.filter((r) => r.json.data?.login)).toEqual([]);
    for (const res of mixed) expectRateLimited(res);
    // Other accounts are not affected.
    expect(await t.login(acme.adminEmail)).toMatch(/^gss_/);
  });

  it('costs nothing for a user who signs in with the right password', async () => {
    const regular = await t.createFactory('Regular Sign Ins');
    for (let i = 0; i < LIMIT.capacity * 2; i++) expect(await t.login(regular.adminEmail)).toMatch(/^gss_/);
    // Wrong passwords in between still count.
    expect(errorCode(await login(regular.adminEmail, 'typo'))).toBe('UNAUTHENTICATED');
  });

  it('limits wrong current passwords given to changePassword, in parallel too', async () => {
    const owner = await t.createFactory('Owner Plant');
    const session = await t.login(owner.adminEmail);
    const burst = await Promise.all(
      Array.from({ length: 15 }, () => t.gql(CHANGE, { c: 'not my password', n: 'a brand new long password' }, { token: session })),
    );
    const codes = burst.map(errorCode);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(LIMIT.capacity);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(15 - LIMIT.capacity);
    for (const res of burst.filter((r) => errorCode(r) === 'RATE_LIMITED')) expectRateLimited(res);
    const right = await t.gql(CHANGE, { c: PASSWORD, n: 'a brand new long password' }, { token: session });
    expectRateLimited(right);
    // The password did not change.
    expect(await t.login(owner.adminEmail)).toMatch(/^gss_/);
  });

  it('shares the limit between two API servers on one database', async () => {
    const shared = await t.createFactory('Shared Limit');
    // A second server with its own connection pool, as a second replica would have.
    const db: Db = createDbClient(t.database.url, { maxConnections: 5 });
    let second: RunningApiServer | undefined;
    try {
      second = await startApiServer({
        host: '127.0.0.1',
        port: 0,
        introspection: false,
        loginRateLimit: LIMIT,
        anonymousRateLimit: { capacity: 1000, refillPerSecond: 100 },
        services: { version: 'test', startedAt: Date.now(), db, healthChecks: {} },
      });
      const url = second.url;
      const viaSecond = async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LOGIN, variables: { e: shared.adminEmail, p: 'wrong guess' } }),
        });
        return { status: res.status, json: (await res.json()) as GqlResponse['json'], headers: res.headers };
      };
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 2 * LIMIT.capacity; i++) codes.push(errorCode(i % 2 ? await viaSecond() : await login(shared.adminEmail, 'wrong guess')));
      expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(LIMIT.capacity);
      expectRateLimited(await viaSecond());
      expectRateLimited(await login(shared.adminEmail, PASSWORD));
    } finally {
      await second?.stop();
      await db.$disconnect();
    }
  });
});
