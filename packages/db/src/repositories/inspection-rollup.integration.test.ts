// The hourly and daily rollups (kept by triggers: docs/adr/0008) must equal a direct
// aggregate of Inspection after every kind of write, for every factory, and the trend and
// breakdown functions that read it must give what a direct scan gives.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';
import type { Db } from '../client';
import * as api from '../index';

let t: TestDatabase;
let db: Db;
let a: SeededFactory;
let b: SeededFactory;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  a = await seedFactory(db);
  b = await seedFactory(db);
});
afterAll(async () => {
  await t.drop();
});

const KEY = '"factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status"';

/** The rollup as stored. */
const rollup = () =>
  db.$queryRawUnsafe<object[]>(`
    SELECT ${KEY}, "total", "pass", "fail", "reviewed", "overridden"
    FROM "InspectionHourlyStat" ORDER BY ${KEY}`);

/** What it must be: a GROUP BY over Inspection, the label read from Image itself. */
const DIRECT_HOURLY = `
      SELECT ins."factoryId", date_trunc('hour', ins."createdAt", 'UTC') AS "hour", ins."productId", ins."lotId", ins."line",
             ins."station", img."defectTypeId", ins."status",
             count(*)::int AS "total",
             count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'PASS')::int AS "pass",
             count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'FAIL')::int AS "fail",
             count(*) FILTER (WHERE ins."reviewVerdict" IS NOT NULL)::int AS "reviewed",
             count(*) FILTER (WHERE ins."reviewVerdict" <> ins."verdict")::int AS "overridden"
      FROM "Inspection" ins JOIN "Image" img ON img."id" = ins."imageId" AND img."factoryId" = ins."factoryId"
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
const direct = Object.assign(() => db.$queryRawUnsafe<object[]>(`SELECT * FROM (${DIRECT_HOURLY}) d ORDER BY ${KEY}`), { sql: DIRECT_HOURLY });

/** The daily rollup as stored, and what it must be: the same GROUP BY per UTC day. */
const dailyRollup = () =>
  db.$queryRawUnsafe<object[]>(`
    SELECT ${KEY.replace('"hour"', '"day"')}, "total", "pass", "fail", "reviewed", "overridden"
    FROM "InspectionDailyStat" ORDER BY ${KEY.replace('"hour"', '"day"')}`);
const directDaily = () =>
  db.$queryRawUnsafe<object[]>(`
    SELECT "factoryId", date_trunc('day', "hour", 'UTC') AS "day", "productId", "lotId", "line", "station", "defectTypeId", "status",
           sum("total")::int AS "total", sum("pass")::int AS "pass", sum("fail")::int AS "fail",
           sum("reviewed")::int AS "reviewed", sum("overridden")::int AS "overridden"
    FROM (${direct.sql}) h
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ORDER BY ${KEY.replace('"hour"', '"day"')}`);

async function expectConsistent() {
  const [stored, expected, storedDaily, expectedDaily] = await Promise.all([rollup(), direct(), dailyRollup(), directDaily()]);
  expect(stored).toEqual(expected);
  expect(storedDaily).toEqual(expectedDaily);
  return stored;
}

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute));

/** An inspection of `imageId` as the worker leaves it, created at `createdAt`. */
async function inspected(f: SeededFactory, imageId: string, createdAt: Date, verdict: 'PASS' | 'FAIL' | null, extra: { station?: string; line?: string; lotId?: string } = {}) {
  const { inspection } = await api.createInspection(db, f.factoryId, { imageId, ...extra });
  if (verdict) await api.recordInspectionResult(db, f.factoryId, inspection.id, { status: 'DONE', verdict, normalizedScore: verdict === 'FAIL' ? 1.5 : 0.4 });
  await db.inspection.update({ where: { id: inspection.id }, data: { createdAt } });
  return inspection.id;
}

async function newImage(f: SeededFactory, n: string, defectTypeId: string | null) {
  const { image } = await api.createImage(db, f.factoryId, {
    productId: f.productId, blobKey: `factories/${f.factoryId}/images/rollup-${n}.png`, sha256: createHash('sha256').update(`${f.factoryId}${n}`).digest('hex'),
    width: 64, height: 64, contentType: 'image/png', byteSize: 10, label: defectTypeId ? 'DEFECTIVE' : 'QUALIFIED', defectTypeId,
  });
  return image.id;
}

describe('InspectionHourlyStat', () => {
  it('equals a direct aggregate of Inspection after inserts, results, reviews, relabels and deletes, per factory', async () => {
    // seedFactory already queued one inspection per factory, through the repository.
    const seeded = await expectConsistent();
    expect(seeded).toHaveLength(2);
    expect(seeded.map((r) => (r as { factoryId: string }).factoryId).sort()).toEqual([a.factoryId, b.factoryId].sort());

    const [good, bad] = a.imageIds;
    const ids = [
      await inspected(a, good, at(3, 8, 5), 'PASS', { station: 'S1', line: 'L1' }),
      await inspected(a, good, at(3, 8, 59), 'PASS', { station: 'S1', line: 'L1' }),
      await inspected(a, bad, at(3, 8, 30), 'FAIL', { station: 'S2', lotId: a.lotId }),
      await inspected(a, bad, at(3, 9, 0), 'FAIL', { station: 'S2' }),
      await inspected(a, good, at(4, 0, 1), null, { station: 'S1' }),
      await inspected(b, b.imageIds[0], at(3, 8, 10), 'PASS', { station: 'S1', line: 'L1' }),
    ];
    await expectConsistent();

    // The worker's failure path and a reviewer overriding verdicts both ways.
    await api.recordInspectionResult(db, a.factoryId, ids[4]!, { status: 'FAILED', errorCode: 'BAD_IMAGE', errorMessage: 'truncated' });
    await api.reviewInspection(db, a.factoryId, ids[2]!, { verdict: 'PASS', reviewedById: a.adminUserId });
    await api.reviewInspection(db, a.factoryId, ids[0]!, { verdict: 'PASS', reviewedById: a.adminUserId });
    await api.reviewInspection(db, a.factoryId, ids[1]!, { verdict: 'FAIL', reviewedById: a.adminUserId });
    const afterReviews = await expectConsistent();
    expect(afterReviews).toContainEqual(expect.objectContaining({ factoryId: a.factoryId, hour: at(3, 8), station: 'S2', lotId: a.lotId, total: 1, pass: 1, fail: 0, reviewed: 1, overridden: 1 }));

    // Relabelling the image moves its inspections to the other defect type; so does clearing it.
    await api.updateImage(db, a.factoryId, good, { label: 'DEFECTIVE', defectTypeId: a.defectTypeId });
    await expectConsistent();
    await api.updateImage(db, a.factoryId, bad, { label: 'QUALIFIED', defectTypeId: null });
    await expectConsistent();

    // Bulk writes by hand (a script, psql): one statement, many rows, several keys.
    await db.$executeRaw`
      INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "station", "createdAt")
      SELECT 'bulk' || g, ${a.factoryId}, ${a.productId}, ${a.modelId}, ${good}, 'DONE',
             (CASE WHEN g % 3 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", 'S' || (g % 4), ${at(5, 0)}::timestamptz + g * interval '7 minutes'
      FROM generate_series(1, 500) g`;
    await expectConsistent();
    await db.$executeRaw`UPDATE "Inspection" SET "reviewVerdict" = 'FAIL', "station" = 'S9' WHERE "id" LIKE 'bulk%' AND "id" LIKE '%7'`;
    await db.$executeRaw`UPDATE "Inspection" SET "createdAt" = "createdAt" + interval '2 days' WHERE "id" LIKE 'bulk1%'`;
    await expectConsistent();
    await db.$executeRaw`DELETE FROM "Inspection" WHERE "id" LIKE 'bulk%' AND "id" LIKE '%2'`;
    await expectConsistent();
    // Deleting an image deletes its inspections by cascade: the rollup follows.
    await api.deleteImage(db, a.factoryId, bad);
    expect(await db.inspection.count({ where: { imageId: bad } })).toBe(0);
    await expectConsistent();

    // Factory B saw none of it: its rollup is still its own two inspections.
    const bRows = (await rollup()).filter((r) => (r as { factoryId: string }).factoryId === b.factoryId);
    expect(bRows.reduce((n, r) => n + (r as { total: number }).total, 0)).toBe(2);

    // Deleting every inspection of A empties A's rollup; B's is untouched. No zero rows are left.
    await db.$executeRaw`DELETE FROM "Inspection" WHERE "factoryId" = ${a.factoryId}`;
    const end = await expectConsistent();
    expect(end.every((r) => (r as { factoryId: string }).factoryId === b.factoryId)).toBe(true);
    expect(end.every((r) => (r as { total: number }).total > 0)).toBe(true);
  });
});

describe('InspectionHourlyStat under concurrent writers', () => {
  it('stays exact when many transactions insert, finish and review inspections of the same keys at once', async () => {
    const f = await seedFactory(db);
    const [good, bad] = f.imageIds;
    // Worker-like flows racing on the same hour/product/station keys, through the pool.
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const { inspection } = await api.createInspection(db, f.factoryId, { imageId: i % 2 ? good : bad, station: `S${i % 3}` });
        await api.recordInspectionResult(db, f.factoryId, inspection.id, { status: 'RUNNING' });
        await api.recordInspectionResult(db, f.factoryId, inspection.id, { status: 'DONE', verdict: i % 4 ? 'PASS' : 'FAIL' });
        if (i % 5 === 0) await api.reviewInspection(db, f.factoryId, inspection.id, { verdict: 'FAIL', reviewedById: f.adminUserId });
      }),
    );
    const mine = (await expectConsistent()).filter((r) => (r as { factoryId: string }).factoryId === f.factoryId);
    expect(mine.reduce((n, r) => n + (r as { total: number }).total, 0)).toBe(41); // and the one seedFactory queued
  });
});

describe('trends and breakdowns read from the rollup', () => {
  // The queries as they were before the rollup: a scan of Inspection (the reference).
  const directTrend = (factoryId: string, q: { from: Date; to: Date; bucket: string; line?: string; lotId?: string; station?: string; defectTypeId?: string }) =>
    db.$queryRaw<object[]>`
      SELECT date_trunc(${q.bucket}, "createdAt", 'UTC') AS "bucketStart", count(*)::int AS total,
             count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'PASS')::int AS pass,
             count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'FAIL')::int AS fail,
             count(*) FILTER (WHERE status = 'FAILED')::int AS errored
      FROM "Inspection"
      WHERE "factoryId" = ${factoryId} AND "createdAt" >= ${q.from} AND "createdAt" < ${q.to} AND (${q.line ?? null}::text IS NULL OR "line" = ${q.line ?? null})
        AND (${q.lotId ?? null}::text IS NULL OR "lotId" = ${q.lotId ?? null})
        AND (${q.station ?? null}::text IS NULL OR "station" = ${q.station ?? null})
        AND (${q.defectTypeId ?? null}::text IS NULL OR "imageId" IN (SELECT "id" FROM "Image" WHERE "defectTypeId" = ${q.defectTypeId ?? null}))
      GROUP BY 1 ORDER BY 1`;
  const directBreakdown = (factoryId: string, q: { from: Date; to: Date; column: string }) =>
    db.$queryRawUnsafe<object[]>(
      `SELECT ${q.column} AS key, count(*)::int AS total,
              count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'PASS')::int AS pass,
              count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'FAIL')::int AS fail
       FROM "Inspection" ins LEFT JOIN "Image" img ON img."id" = ins."imageId" AND img."factoryId" = ins."factoryId"
       WHERE ins."factoryId" = $1 AND ins."createdAt" >= $2 AND ins."createdAt" < $3 AND ins."status" = 'DONE'
       GROUP BY 1 ORDER BY total DESC, key`,
      factoryId, q.from, q.to,
    );

  it('give the same numbers as a scan of Inspection, for ranges on and off whole hours', async () => {
    const f = await seedFactory(db);
    const other = await seedFactory(db);
    const labelled = await newImage(f, 'trend-labelled', f.defectTypeId);
    for (const [factory, imageId, n] of [[f, labelled, 3000], [other, other.imageIds[0], 500]] as const) {
      await db.$executeRaw`
        INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "lotId", "status", "verdict", "reviewVerdict", "line", "station", "createdAt")
        SELECT ${factory.factoryId} || '-t' || g, ${factory.factoryId}, ${factory.productId}, ${factory.modelId},
               CASE WHEN g % 5 = 0 THEN ${imageId} ELSE ${factory.imageIds[0]} END,
               CASE WHEN g % 9 = 0 THEN ${factory.lotId} END,
               (CASE WHEN g % 17 = 0 THEN 'FAILED' WHEN g % 29 = 0 THEN 'QUEUED' ELSE 'DONE' END)::"InspectionStatus",
               (CASE WHEN g % 17 = 0 OR g % 29 = 0 THEN NULL WHEN g % 7 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
               (CASE WHEN g % 11 = 0 THEN 'PASS' WHEN g % 13 = 0 THEN 'FAIL' END)::"Verdict",
               CASE WHEN g % 3 = 0 THEN 'L2' ELSE 'L1' END, 'S' || (g % 4),
               ${at(1, 0)}::timestamptz + g * interval '863 seconds'
        FROM generate_series(1, ${n}::int) g`;
    }
    const ranges = [
      { from: at(1, 0), to: at(31, 0) }, // whole hours only
      { from: at(2, 5, 17), to: at(20, 13, 42) }, // partial hours at both ends
      { from: at(3, 4, 10), to: at(3, 4, 50) }, // inside one hour
      { from: at(3, 4, 10), to: at(3, 5, 50) }, // across one hour boundary, no whole hour
      { from: at(3, 4, 0), to: at(3, 6, 30) }, // whole hours, then a partial one
      { from: at(2, 0), to: at(9, 0) }, // whole days only
      { from: at(2, 22, 30), to: at(4, 1, 15) }, // partial, whole hours, one whole day, whole hour, partial
    ];
    for (const range of ranges) {
      for (const bucket of ['hour', 'day', 'week'] as const) {
        const trend = await api.inspectionTrend(db, f.factoryId, { ...range, bucket });
        expect(trend).toEqual(await directTrend(f.factoryId, { ...range, bucket }));
        expect(await api.inspectionTrend(db, f.factoryId, { ...range, bucket, line: 'L2', productId: f.productId })).toEqual(
          await directTrend(f.factoryId, { ...range, bucket, line: 'L2' }),
        );
        expect(await api.inspectionTrend(db, f.factoryId, { ...range, bucket, lotId: f.lotId })).toEqual(
          await directTrend(f.factoryId, { ...range, bucket, lotId: f.lotId }),
        );
        // Station and labelled defect type are rollup columns too (the truth reads the label from Image).
        expect(await api.inspectionTrend(db, f.factoryId, { ...range, bucket, station: 'S2' })).toEqual(await directTrend(f.factoryId, { ...range, bucket, station: 'S2' }));
        expect(await api.inspectionTrend(db, f.factoryId, { ...range, bucket, station: 'S1', defectTypeId: f.defectTypeId })).toEqual(
          await directTrend(f.factoryId, { ...range, bucket, station: 'S1', defectTypeId: f.defectTypeId }),
        );
      }
      for (const [groupBy, column] of [['product', 'ins."productId"'], ['line', 'ins."line"'], ['station', 'ins."station"'], ['defectType', 'img."defectTypeId"']] as const) {
        expect(await api.inspectionBreakdown(db, f.factoryId, { ...range, groupBy })).toEqual(await directBreakdown(f.factoryId, { ...range, column }));
      }
    }
    const lotMonth = await api.inspectionTrend(db, f.factoryId, { ...ranges[0]!, bucket: 'day', lotId: f.lotId });
    expect(lotMonth.reduce((n, p) => n + p.total, 0)).toBe(await db.inspection.count({ where: { factoryId: f.factoryId, lotId: f.lotId, createdAt: { gte: ranges[0]!.from, lt: ranges[0]!.to } } }));
    expect(lotMonth.length).toBeGreaterThan(20); // the lot filter was exercised on real rows
    const crackedS1 = await api.inspectionTrend(db, f.factoryId, { ...ranges[0]!, bucket: 'week', station: 'S1', defectTypeId: f.defectTypeId });
    expect(crackedS1.reduce((n, p) => n + p.total, 0)).toBeGreaterThan(50); // and so were station and defect type
    // Every inspection of the range counted once, and only the factory's own.
    const inRange = (factoryId: string) => db.inspection.count({ where: { factoryId, createdAt: { gte: ranges[0]!.from, lt: ranges[0]!.to } } });
    const month = await api.inspectionTrend(db, f.factoryId, { ...ranges[0]!, bucket: 'week' });
    expect(month.reduce((n, p) => n + p.total, 0)).toBe(await inRange(f.factoryId));
    expect(await inRange(f.factoryId)).toBeGreaterThanOrEqual(3000);
    const theirs = await api.inspectionTrend(db, other.factoryId, { ...ranges[0]!, bucket: 'week' });
    expect(theirs.reduce((n, p) => n + p.total, 0)).toBe(await inRange(other.factoryId));
    expect(await inRange(other.factoryId)).toBeLessThan(3000);
    expect(await api.inspectionTrend(db, other.factoryId, { ...ranges[0]!, bucket: 'week', productId: f.productId })).toEqual([]);
  });
});
