// getInspection reads through $queryRaw for speed (docs/adr/0008): it must hand back exactly
// the row Prisma's model API gives, with the same types (dates, JSON, floats, enums, nulls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';
import * as api from '../index';

let t: TestDatabase;
let a: SeededFactory;
let b: SeededFactory;
beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedFactory(t.db);
  b = await seedFactory(t.db);
});
afterAll(async () => {
  await t.drop();
});

describe('getInspection', () => {
  it('returns the same row as the model query, for a queued and a finished, reviewed inspection', async () => {
    const model = (id: string) => t.db.inspection.findUniqueOrThrow({ where: { id } });
    const queued = await api.getInspection(t.db, a.factoryId, a.inspectionId);
    expect(queued).toEqual(await model(a.inspectionId));
    expect(queued.defectTypeId).toBe(a.defectTypeId); // the seeded image is labelled

    await api.recordInspectionResult(t.db, a.factoryId, a.inspectionId, {
      status: 'DONE', verdict: 'FAIL', anomalyScore: 2.5, normalizedScore: 1.25, threshold: 2, reconstructionLoss: 0.125,
      reconstructionKey: `factories/${a.factoryId}/r.png`, residualKey: `factories/${a.factoryId}/d.png`,
      timings: { inversionMs: 812.5, steps: [1, 2] }, startedAt: new Date('2026-11-20T10:00:00.123Z'), completedAt: new Date('2026-11-20T10:00:01Z'),
    });
    await api.reviewInspection(t.db, a.factoryId, a.inspectionId, { verdict: 'PASS', reviewedById: a.adminUserId, note: 'dust' });
    const done = await api.getInspection(t.db, a.factoryId, a.inspectionId);
    expect(done).toEqual(await model(a.inspectionId));
    expect(done).toMatchObject({ status: 'DONE', verdict: 'FAIL', reviewVerdict: 'PASS', normalizedScore: 1.25, timings: { inversionMs: 812.5, steps: [1, 2] } });
    expect(done.completedAt).toEqual(new Date('2026-11-20T10:00:01Z'));
  });

  it("is NOT_FOUND for another factory's inspection and for an unknown id", async () => {
    await expect(api.getInspection(t.db, a.factoryId, b.inspectionId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.getInspection(t.db, a.factoryId, 'no-such-inspection')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
