import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';

// Trends and breakdowns read counts from two rollups that triggers keep equal to a GROUP BY
// over "Inspection" (docs/adr/0008-trends-rollup-by-trigger.md): "InspectionDailyStat" for the
// whole UTC days of a range, "InspectionHourlyStat" for the whole hours around them, and
// "Inspection" itself for the partial hours at either end (at most two hours of rows, through
// the (factoryId, productId, createdAt) index). A month is ~30 day rows per key, not 720 hours.
// Buckets of a local time zone (docs/adr/0012) cannot use UTC days: they read hours, and the
// few hours that a local bucket boundary cuts in two (a half-hour zone's midnight) from
// Inspection, so every count lands in the bucket its own instant belongs to.

export interface CountsQuery {
  from: Date;
  to: Date;
  productId?: string;
  lotId?: string;
  line?: string;
}

interface Range {
  from: Date;
  to: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface RangeSplit {
  /** Whole UTC days, answered by the daily rollup; null when none (or days were not allowed). */
  wholeDays: Range | null;
  /** Whole UTC hours outside those days, answered by the hourly rollup. */
  wholeHours: Range[];
  /** The rest of the range, answered from Inspection. */
  partialHours: Range[];
}

const nonEmpty = (ranges: Range[]) => ranges.filter((r) => r.from < r.to);
const floorTo = (t: Date, unit: number) => new Date(Math.floor(t.getTime() / unit) * unit);
const ceilTo = (t: Date, unit: number) => new Date(Math.ceil(t.getTime() / unit) * unit);

/**
 * Splits [from, to) into whole UTC days (only with `days`), whole UTC hours and partial hours,
 * which together cover it exactly once.
 */
export function splitRange(from: Date, to: Date, options: { days: boolean }): RangeSplit {
  const hourStart = ceilTo(from, HOUR_MS);
  const hourEnd = floorTo(to, HOUR_MS);
  if (hourStart >= hourEnd) return { wholeDays: null, wholeHours: [], partialHours: [{ from, to }] };
  const partialHours = nonEmpty([{ from, to: hourStart }, { from: hourEnd, to }]);
  const dayStart = ceilTo(from, DAY_MS);
  const dayEnd = floorTo(to, DAY_MS);
  if (!options.days || dayStart >= dayEnd) return { wholeDays: null, wholeHours: [{ from: hourStart, to: hourEnd }], partialHours };
  return {
    wholeDays: { from: dayStart, to: dayEnd },
    wholeHours: nonEmpty([{ from: hourStart, to: dayStart }, { from: dayEnd, to: hourEnd }]),
    partialHours,
  };
}

function filters(factoryId: string, q: CountsQuery): Prisma.Sql[] {
  const out = [Prisma.sql`"factoryId" = ${factoryId}`];
  if (q.productId) out.push(Prisma.sql`"productId" = ${q.productId}`);
  if (q.lotId) out.push(Prisma.sql`"lotId" = ${q.lotId}`);
  if (q.line) out.push(Prisma.sql`"line" = ${q.line}`);
  return out;
}

// One inspection's contribution, as a rollup row would count it (reviews override verdicts).
const rowCounts = Prisma.sql`1 AS "total",
  CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN 1 ELSE 0 END AS "pass",
  CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN 1 ELSE 0 END AS "fail"`;

const anyOf = (column: Prisma.Sql, ranges: Range[]) =>
  Prisma.sql`(${Prisma.join(ranges.map((r) => Prisma.sql`(${column} >= ${r.from} AND ${column} < ${r.to})`), ' OR ')})`;

/** Local buckets (date_trunc(bucket, t, timeZone)) that the counts will be grouped into. */
export interface ZonedBuckets {
  bucket: 'hour' | 'day' | 'week';
  /** An IANA name PostgreSQL knows (checked by the caller). */
  timeZone: string;
}

// The UTC hours of a run (column "h") that a local bucket boundary cuts: those where the bucket
// holding the hour's last microsecond starts after the hour does. None in whole-hour zones.
const cutHours = (run: Range, z: ZonedBuckets) => Prisma.sql`
  SELECT cut."h" FROM generate_series(${run.from}::timestamptz, ${run.to}::timestamptz - interval '1 hour', interval '1 hour') AS cut("h")
  WHERE date_trunc(${z.bucket}, cut."h" + interval '1 hour' - interval '1 microsecond', ${z.timeZone}) > cut."h"`;

/**
 * A subquery whose rows (at, status, productId, lotId, line, station, defectTypeId, total,
 * pass, fail) add up to exactly the counts of the factory's inspections created in [from, to)
 * that match the filters; several rows may share a key, so callers sum them. A row's `at` is
 * the start of the UTC day or hour a rollup row counts, or an inspection's own `createdAt`.
 * `grain: 'day'` allows day rows (UTC day and week buckets, totals); `grain: 'hour'` never
 * gives them. With `zoned`, no row's span crosses a boundary of those local buckets.
 */
export function inspectionCountsSql(factoryId: string, q: CountsQuery, grain: 'hour' | 'day', zoned?: ZonedBuckets): Prisma.Sql {
  if (!(q.from < q.to)) throw new BadInputError('from must be before to');
  const { wholeDays, wholeHours, partialHours } = splitRange(q.from, q.to, { days: grain === 'day' && !zoned });
  const parts: Prisma.Sql[] = [];
  if (wholeDays) {
    parts.push(Prisma.sql`
      SELECT "day" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionDailyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"day"`, [wholeDays])], ' AND ')}`);
  }
  if (wholeHours.length > 0) {
    // The zone's few cut hours, computed once (a hashed NOT IN), not per rollup row.
    const uncut = zoned ? wholeHours.map((run) => Prisma.sql`"hour" NOT IN (${cutHours(run, zoned)})`) : [];
    parts.push(Prisma.sql`
      SELECT "hour" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionHourlyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"hour"`, wholeHours), ...uncut], ' AND ')}`);
  }
  if (zoned) {
    // Without days there is at most one run of whole hours; the hours of it that a local
    // boundary cuts are read row by row, one index range per hour (a day bucket: one per day).
    for (const run of wholeHours) {
      parts.push(Prisma.sql`
        SELECT "createdAt" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", ${rowCounts}
        FROM (${cutHours(run, zoned)}) AS cut
        JOIN "Inspection" ON "createdAt" >= cut."h" AND "createdAt" < cut."h" + interval '1 hour'
        WHERE ${Prisma.join(filters(factoryId, q), ' AND ')}`);
    }
  }
  if (partialHours.length > 0) {
    parts.push(Prisma.sql`
      SELECT "createdAt" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", ${rowCounts}
      FROM "Inspection"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"createdAt"`, partialHours)], ' AND ')}`);
  }
  return Prisma.sql`(${Prisma.join(parts, ' UNION ALL ')})`;
}
