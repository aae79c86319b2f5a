// Trend buckets in a factory's own time zone (docs/adr/0012) must hold exactly what a direct
// GROUP BY over Inspection gives for local hours, days and weeks: across a DST change, in
// half-hour and quarter-hour zones (whose midnights cut UTC hours in two) and for ranges on
// and off whole hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';
import type { Db } from '../client';
import * as api from '../index';

let t: TestDatabase;
let db: Db;
let f: SeededFactory;
let other: SeededFactory;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  f = await seedFactory(db);
  other = await seedFactory(db);
  // ~40 days from 1 March 2026, one inspection every 863 s (so every minute of the hour gets
  // some): Chicago moves to CDT on 8 March, Berlin to CEST on 29 March, Adelaide back to
  // +09:30 on 5 April.
  for (const [factory, n] of [[f, 4000], [other, 600]] as const) {
    await db.$executeRaw`
      INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "reviewVerdict", "line", "station", "createdAt")
      SELECT ${factory.factoryId} || '-z' || g, ${factory.factoryId}, ${factory.productId}, ${factory.modelId}, ${factory.imageIds[0]},
             (CASE WHEN g % 17 = 0 THEN 'FAILED' ELSE 'DONE' END)::"InspectionStatus",
             (CASE WHEN g % 17 = 0 THEN NULL WHEN g % 7 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
             (CASE WHEN g % 11 = 0 THEN 'FAIL' END)::"Verdict",
             CASE WHEN g % 3 = 0 THEN 'L2' ELSE 'L1' END, 'S' || (g % 4),
             '2026-03-01T00:00:00Z'::timestamptz + g * interval '863 seconds'
      FROM generate_series(1, ${n}::int) g`;
  }
});
afterAll(async () => {
  await t.drop();
});

/** The reference: bucket every inspection by its own instant in the zone. */
const directTrend = (factoryId: string, q: { from: Date; to: Date; bucket: string; timeZone: string; line?: string }) =>
  db.$queryRaw<object[]>`
    SELECT date_trunc(${q.bucket}, "createdAt", ${q.timeZone}) AS "bucketStart", count(*)::int AS total,
           count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'PASS')::int AS pass,
           count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'FAIL')::int AS fail,
           count(*) FILTER (WHERE status = 'FAILED')::int AS errored
    FROM "Inspection"
    WHERE "factoryId" = ${factoryId} AND "createdAt" >= ${q.from} AND "createdAt" < ${q.to}
      AND (${q.line ?? null}::text IS NULL OR "line" = ${q.line ?? null})
    GROUP BY 1 ORDER BY 1`;

const utc = (iso: string) => new Date(`${iso}Z`);

describe('trends in a local time zone', () => {
  it('equal a direct aggregate per local hour, day and week, across DST changes and in half-hour zones', async () => {
    const zones = ['UTC', 'America/Chicago', 'Asia/Kolkata', 'Australia/Adelaide'];
    const ranges = [
      { from: utc('2026-03-01T00:00:00'), to: utc('2026-04-10T00:00:00'), buckets: ['day', 'week'] }, // whole UTC days
      { from: utc('2026-03-30T05:17:00'), to: utc('2026-04-07T13:42:00'), buckets: ['hour', 'day', 'week'] }, // partial hours at both ends, Adelaide's change
      { from: utc('2026-03-07T18:10:00'), to: utc('2026-03-08T19:50:00'), buckets: ['hour', 'day'] }, // a day or so around Chicago's change
    ] as const;
    for (const timeZone of zones) {
      for (const { buckets, ...range } of ranges) {
        for (const bucket of buckets) {
          const q = { ...range, bucket, timeZone };
          expect(await api.inspectionTrend(db, f.factoryId, q), `${timeZone} ${bucket}`).toEqual(await directTrend(f.factoryId, q));
        }
      }
      const q = { ...ranges[1], bucket: 'day' as const, timeZone, line: 'L2' };
      expect(await api.inspectionTrend(db, f.factoryId, { ...q, productId: f.productId })).toEqual(await directTrend(f.factoryId, q));
    }
  });

  it('start days at local midnight: 23-hour DST days in Chicago, half-hour midnights in Kolkata', async () => {
    const month = { from: utc('2026-03-01T00:00:00'), to: utc('2026-04-10T00:00:00') };
    const chicago = await api.inspectionTrend(db, f.factoryId, { ...month, bucket: 'day', timeZone: 'America/Chicago' });
    const starts = chicago.map((p) => p.bucketStart.toISOString());
    // CST (-06:00) midnights, then CDT (-05:00) ones from 9 March; 8 March lasts 23 hours.
    expect(starts).toContain('2026-03-07T06:00:00.000Z');
    expect(starts).toContain('2026-03-08T06:00:00.000Z');
    expect(starts).toContain('2026-03-09T05:00:00.000Z');
    const count = (from: string, to: string) => db.inspection.count({ where: { factoryId: f.factoryId, createdAt: { gte: utc(from), lt: utc(to) } } });
    expect(chicago.find((p) => p.bucketStart.toISOString() === '2026-03-08T06:00:00.000Z')!.total).toBe(await count('2026-03-08T06:00:00', '2026-03-09T05:00:00'));
    const kolkata = await api.inspectionTrend(db, f.factoryId, { ...month, bucket: 'day', timeZone: 'Asia/Kolkata' });
    expect(kolkata.every((p) => p.bucketStart.toISOString().endsWith('T18:30:00.000Z'))).toBe(true);
    expect(kolkata.find((p) => p.bucketStart.toISOString() === '2026-03-10T18:30:00.000Z')!.total).toBe(await count('2026-03-10T18:30:00', '2026-03-11T18:30:00'));
    // Weeks start on local Monday midnight: Monday 9 March 2026, 00:00 in Shanghai (+08:00).
    const shanghai = await api.inspectionTrend(db, f.factoryId, { ...month, bucket: 'week', timeZone: 'Asia/Shanghai' });
    expect(shanghai.map((p) => p.bucketStart.toISOString())).toContain('2026-03-08T16:00:00.000Z');
    // Every inspection counted once, and only the factory's own.
    expect(kolkata.reduce((n, p) => n + p.total, 0)).toBe(4000);
    const theirs = await api.inspectionTrend(db, other.factoryId, { ...month, bucket: 'day', timeZone: 'Asia/Kolkata' });
    expect(theirs.reduce((n, p) => n + p.total, 0)).toBe(600);
  });

  it('refuses names that are not IANA time zones', async () => {
    const month = { from: utc('2026-03-01T00:00:00'), to: utc('2026-04-10T00:00:00'), bucket: 'day' as const };
    for (const timeZone of ['Mars/Olympus_Mons', '+05:30', 'UTC+3', '', "UTC'; DROP TABLE x; --"]) {
      await expect(api.inspectionTrend(db, f.factoryId, { ...month, timeZone }), timeZone).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
  });
});
