// The dashboard's inspections page lists a factory's inspections across products, newest first.
// Without an index that serves that order, PostgreSQL sorts every inspection of the factory for
// each page (1.6 s a page at a million inspections: docs/PERFORMANCE.md, "Dashboard").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';

let t: TestDatabase;
let a: SeededFactory;
beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedFactory(t.db);
  // Enough rows over a year that the planner prefers an index to a sort, as on a real line.
  await t.db.$executeRawUnsafe(`
    INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "createdAt")
    SELECT 'plan' || g, i."factoryId", i."productId", i."modelId", i."imageId", 'DONE', now() - g * interval '5 minutes'
    FROM generate_series(1, 20000) g, "Inspection" i WHERE i."id" = $1`, a.inspectionId);
  await t.db.$executeRawUnsafe('ANALYZE "Inspection"');
});
afterAll(async () => {
  await t.drop();
});

const plan = async (sql: string, ...args: unknown[]) =>
  (await t.db.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${sql}`, ...args)).map((r) => r['QUERY PLAN']).join('\n');

describe('the inspection list across products', () => {
  it('reads its first page and a later one from an index, without sorting the factory', async () => {
    const first = await plan(`SELECT * FROM "Inspection" WHERE "factoryId" = $1 ORDER BY "createdAt" DESC, "id" DESC LIMIT 101`, a.factoryId);
    expect(first).toMatch(/Index Scan Backward using "Inspection_factoryId_createdAt_id_idx"/);
    expect(first).not.toMatch(/Sort/);
    const later = await plan(
      `SELECT * FROM "Inspection" WHERE "factoryId" = $1 AND ("createdAt" < $2 OR ("createdAt" = $2 AND "id" < $3)) ORDER BY "createdAt" DESC, "id" DESC LIMIT 101`,
      a.factoryId, new Date(Date.now() - 30 * 86_400_000), 'plan5000',
    );
    expect(later).not.toMatch(/Sort/);
  });
});
