import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../testing/test-api';

let t: TestApi;
let acme: TestFactory;

beforeAll(async () => {
  t = await startTestApi({ apiKeyRateLimit: { capacity: 3, refillPerSecond: 0.05 }, queryLimits: { maxCost: 1000 } });
  acme = await t.createFactory('Acme Tiles');
});
afterAll(() => t.stop());

describe('guard rails', () => {
  it('rate-limits each API key with RATE_LIMITED and Retry-After, without touching other callers', async () => {
    const other = await t.createFactory('Borealis Solar');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await t.gql('{ me { kind } }', {}, { token: acme.keyToken });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(errorCode(last!)).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last!.json.errors![0]!.extensions!.retryAfterSeconds).toBe(Number(last!.headers.get('retry-after')));
    expect((await t.gql('{ me { kind } }', {}, { token: other.keyToken })).status).toBe(200);
    const session = await t.login(acme.adminEmail);
    expect((await t.gql('{ me { kind } }', {}, { token: session })).status).toBe(200);
  });

  it('refuses queries over the cost limit before running them', async () => {
    const session = await t.login(acme.adminEmail);
    const aliased = Array.from({ length: 5 }, (_, i) => `i${i}: inspections(first: 100) { edges { node { id image { id url } } } }`).join(' ');
    const res = await t.gql(`{ ${aliased} }`, {}, { token: session });
    expect(res.status).toBe(400);
    expect(res.json.errors![0]!.message).toMatch(/could resolve about \d+ fields; the limit is 1000/);
    expect(res.json.data).toBeUndefined();
    expect((await t.gql('{ inspections(first: 100) { edges { node { id } } } }', {}, { token: session })).status).toBe(200);
  });
});
