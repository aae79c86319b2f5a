// `gansight factory quotas` as the operator runs it: a child process on the deployment's database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapFactory, effectiveQuotas } from '@gansight/db';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { spawnGansight } from '../testing/stack-process';

let t: TestDatabase;
let factoryId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  ({ factoryId } = await bootstrapFactory(t.db, { name: 'Quota Plant', slug: 'quota-plant', admin: { email: 'ops@quota-plant.example', passwordHash: 'x' }, apiKey: { name: 'k', prefix: 'gsk_quota', secretHash: 'x', scopes: [] } }));
});
afterAll(() => t.drop());

async function quotas(...args: string[]) {
  const p = spawnGansight({ DATABASE_URL: t.url, QUOTA_MAX_STORED_IMAGES: '500' }, { args: ['factory', 'quotas', ...args] });
  const { code } = await p.exited;
  return { code, output: p.output() };
}

describe('gansight factory quotas', () => {
  it('sets overrides by slug and clears one back to the default by id', async () => {
    const set = await quotas('quota-plant', '--max-stored-images', '20', '--max-inspections-per-minute', '0');
    expect(set.code, set.output).toBe(0);
    expect(JSON.parse(set.output)).toMatchObject({
      factoryId,
      overrides: { maxStoredImages: 20, maxConcurrentTrainingRuns: null, maxInspectionsPerMinute: 0 },
      quotas: { maxStoredImages: 20, maxConcurrentTrainingRuns: 4, maxInspectionsPerMinute: 0 },
    });
    expect(await effectiveQuotas(t.db, factoryId, { maxStoredImages: 500, maxConcurrentTrainingRuns: 4, maxInspectionsPerMinute: 6000 })).toEqual({
      maxStoredImages: 20,
      maxConcurrentTrainingRuns: 4,
      maxInspectionsPerMinute: 0,
    });

    const cleared = await quotas(factoryId, '--max-stored-images', 'default');
    expect(JSON.parse(cleared.output).quotas).toEqual({ maxStoredImages: 500, maxConcurrentTrainingRuns: 4, maxInspectionsPerMinute: 0 });

  });
});
