import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';

// Trends and breakdowns read counts per hour from "InspectionHourlyStat", which triggers keep
// equal to a GROUP BY over "Inspection" (docs/adr/0008-trends-rollup-by-trigger.md). A range
// need not start or end on a whole hour, so the partial hours at its ends are counted from
// "Inspection" itself (at most two hours of rows, through the (factoryId, productId, createdAt)
// index); the whole hours in between come from the rollup.

export interface CountsQuery {
  from: Date;
  to: Date;
  productId?: string;
  lotId?: string;
  line?: string;
}

const HOUR_MS = 3_600_000;

export interface HourSplit {
  /** Whole UTC hours [from, to) answered by the rollup; null when the range holds none. */
  wholeHours: { from: Date; to: Date } | null;
  /** Parts of the range outside whole hours, answered from Inspection. */
  partialHours: { from: Date; to: Date }[];
}

/** Splits [from, to) into whole UTC hours and the partial hours at its ends. */
export function splitIntoHours(from: Date, to: Date): HourSplit {
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.floor(to.getTime() / HOUR_MS) * HOUR_MS;
  if (start >= end) return { wholeHours: null, partialHours: [{ from, to }] };
  const partialHours = [
    { from, to: new Date(start) },
    { from: new Date(end), to },
  ].filter((r) => r.from < r.to);
  return { wholeHours: { from: new Date(start), to: new Date(end) }, partialHours };
}

function filters(factoryId: string, q: CountsQuery): Prisma.Sql[] {
  const out = [Prisma.sql`"factoryId" = ${factoryId}`];
  if (q.productId) out.push(Prisma.sql`"productId" = ${q.productId}`);
  if (q.lotId) out.push(Prisma.sql`"lotId" = ${q.lotId}`);
  if (q.line) out.push(Prisma.sql`"line" = ${q.line}`);
  return out;
}

/**
 * A subquery whose rows (hour, status, productId, lotId, line, station, defectTypeId, total,
 * pass, fail) add up to exactly the counts of the factory's inspections created in
 * [from, to) that match the filters; several rows may share a key, so callers sum them.
 */
export function inspectionCountsSql(factoryId: string, q: CountsQuery): Prisma.Sql {
  if (!(q.from < q.to)) throw new BadInputError('from must be before to');
  const { wholeHours, partialHours } = splitIntoHours(q.from, q.to);
  const parts: Prisma.Sql[] = [];
  if (wholeHours) {
    const where = [...filters(factoryId, q), Prisma.sql`"hour" >= ${wholeHours.from}`, Prisma.sql`"hour" < ${wholeHours.to}`];
    parts.push(Prisma.sql`
      SELECT "hour", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionHourlyStat"
      WHERE ${Prisma.join(where, ' AND ')}`);
  }
  if (partialHours.length === 0) return Prisma.sql`(${parts[0]!})`;
  const ranges = partialHours.map((r) => Prisma.sql`("createdAt" >= ${r.from} AND "createdAt" < ${r.to})`);
  const where = [...filters(factoryId, q), Prisma.sql`(${Prisma.join(ranges, ' OR ')})`];
  parts.push(Prisma.sql`
    SELECT date_trunc('hour', "createdAt", 'UTC') AS "hour", "status", "productId", "lotId", "line", "station", "defectTypeId",
           1 AS "total",
           CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN 1 ELSE 0 END AS "pass",
           CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN 1 ELSE 0 END AS "fail"
    FROM "Inspection"
    WHERE ${Prisma.join(where, ' AND ')}`);
  return Prisma.sql`(${Prisma.join(parts, ' UNION ALL ')})`;
}
