import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';

// Trends and breakdowns read counts from two rollups that triggers keep equal to a GROUP BY
// over "Inspection" (docs/adr/0008-trends-rollup-by-trigger.md): "InspectionDailyStat" for the
// whole UTC days of a range, "InspectionHourlyStat" for the whole hours around them, and
// "Inspection" itself for the partial hours at either end (at most two hours of rows, through
// the (factoryId, productId, createdAt) index). A month is ~30 day rows per key, not 720 hours.

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

const anyOf = (column: Prisma.Sql, ranges: Range[]) =>
  Prisma.sql`(${Prisma.join(ranges.map((r) => Prisma.sql`(${column} >= ${r.from} AND ${column} < ${r.to})`), ' OR ')})`;

/**
 * A subquery whose rows (hour, status, productId, lotId, line, station, defectTypeId, total,
 * pass, fail) add up to exactly the counts of the factory's inspections created in [from, to)
 * that match the filters; several rows may share a key, so callers sum them. With
 * `grain: 'day'` a row's `hour` may be the start of a whole day (for day and week buckets and
 * for totals); with `grain: 'hour'` it is always the start of an hour.
 */
export function inspectionCountsSql(factoryId: string, q: CountsQuery, grain: 'hour' | 'day'): Prisma.Sql {
  if (!(q.from < q.to)) throw new BadInputError('from must be before to');
  const { wholeDays, wholeHours, partialHours } = splitRange(q.from, q.to, { days: grain === 'day' });
  const parts: Prisma.Sql[] = [];
  if (wholeDays) {
    parts.push(Prisma.sql`
      SELECT "day" AS "hour", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionDailyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"day"`, [wholeDays])], ' AND ')}`);
  }
  if (wholeHours.length > 0) {
    parts.push(Prisma.sql`
      SELECT "hour", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionHourlyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"hour"`, wholeHours)], ' AND ')}`);
  }
  if (partialHours.length > 0) {
    parts.push(Prisma.sql`
      SELECT date_trunc('hour', "createdAt", 'UTC') AS "hour", "status", "productId", "lotId", "line", "station", "defectTypeId",
             1 AS "total",
             CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN 1 ELSE 0 END AS "pass",
             CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN 1 ELSE 0 END AS "fail"
      FROM "Inspection"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"createdAt"`, partialHours)], ' AND ')}`);
  }
  return Prisma.sql`(${Prisma.join(parts, ' UNION ALL ')})`;
}
