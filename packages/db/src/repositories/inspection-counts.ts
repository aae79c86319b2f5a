import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';

// Trends and breakdowns read counts from two rollups that triggers keep equal to a GROUP BY
// over "Inspection" (docs/adr/0008-trends-rollup-by-trigger.md): "InspectionDailyStat" for the
// whole UTC days of a range, "InspectionHourlyStat" for the whole hours around them, and
// "Inspection" itself for the partial hours at either end (at most two hours of rows, through
// the (factoryId, productId, createdAt) index). A month is ~30 day rows per key, not 720 hours.
// Buckets of a local time zone (docs/adr/0012) cannot use UTC days: they read hours, and the
// few hours that a local bucket boundary cuts in two (a half-hour zone's midnight) from
// Inspection, so every count lands in the bucket its own instant belongs to. Every range is a
// constant in the SQL, so the planner estimates each from its statistics.

export interface CountsQuery {
  from: Date;
  to: Date;
  productId?: string;
  lotId?: string;
  line?: string;
  station?: string;
  /** The defect type a person labelled the inspected image with (copied onto the inspection). */
  defectTypeId?: string;
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
  // Both rollups key on station and defectTypeId too, so these filters never need Inspection.
  if (q.station) out.push(Prisma.sql`"station" = ${q.station}`);
  if (q.defectTypeId) out.push(Prisma.sql`"defectTypeId" = ${q.defectTypeId}`);
  return out;
}

// One inspection's contribution, as a rollup row would count it (reviews override verdicts).
const rowCounts = Prisma.sql`1 AS "total",
  CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN 1 ELSE 0 END AS "pass",
  CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN 1 ELSE 0 END AS "fail"`;

const anyOf = (column: Prisma.Sql, ranges: Range[]) =>
  Prisma.sql`(${Prisma.join(ranges.map((r) => Prisma.sql`(${column} >= ${r.from} AND ${column} < ${r.to})`), ' OR ')})`;

/**
 * A subquery whose rows (at, status, productId, lotId, line, station, defectTypeId, total,
 * pass, fail) add up to exactly the counts of the factory's inspections created in [from, to)
 * that match the filters; several rows may share a key, so callers sum them. A row's `at` is
 * the start of the UTC day or hour a rollup row counts, or an inspection's own `createdAt`.
 * `grain: 'day'` allows day rows (UTC day and week buckets, totals); `grain: 'hour'` never
 * gives them. The whole UTC hours starting at `exactHours` (those a local bucket boundary cuts
 * in two, see time-zone.ts) are read from Inspection instead of the hourly rollup.
 */
export function inspectionCountsSql(
  factoryId: string,
  q: CountsQuery,
  grain: 'hour' | 'day',
  options: { exactHours?: Date[] } = {},
): Prisma.Sql {
  if (!(q.from < q.to)) throw new BadInputError('from must be before to');
  const exactHours = options.exactHours ?? [];
  const split = splitRange(q.from, q.to, { days: grain === 'day' && exactHours.length === 0 });
  const { wholeDays } = split;
  const wholeHours = exactHours.length > 0 ? cutOut(split.wholeHours, exactHours) : split.wholeHours;
  const rowRanges = [...split.partialHours, ...mergeHours(exactHours)];
  const parts: Prisma.Sql[] = [];
  if (wholeDays) {
    parts.push(Prisma.sql`
      SELECT "day" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionDailyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"day"`, [wholeDays])], ' AND ')}`);
  }
  if (wholeHours.length > 0) {
    parts.push(Prisma.sql`
      SELECT "hour" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", "total", "pass", "fail"
      FROM "InspectionHourlyStat"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"hour"`, wholeHours)], ' AND ')}`);
  }
  if (rowRanges.length > 0) {
    parts.push(Prisma.sql`
      SELECT "createdAt" AS "at", "status", "productId", "lotId", "line", "station", "defectTypeId", ${rowCounts}
      FROM "Inspection"
      WHERE ${Prisma.join([...filters(factoryId, q), anyOf(Prisma.sql`"createdAt"`, rowRanges)], ' AND ')}`);
  }
  return Prisma.sql`(${Prisma.join(parts, ' UNION ALL ')})`;
}

// Consecutive exact hours become one range: a half-hour zone's HOUR buckets cut every hour,
// and one index range over Inspection is then the cheapest exact read.
function mergeHours(hours: Date[]): Range[] {
  const sorted = [...hours].sort((a, b) => a.getTime() - b.getTime());
  const out: Range[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    const end = new Date(h.getTime() + HOUR_MS);
    if (last && last.to.getTime() === h.getTime()) last.to = end;
    else out.push({ from: h, to: end });
  }
  return out;
}

/** The whole-hour runs without the given hours (each inside one of the runs). */
function cutOut(runs: Range[], hours: Date[]): Range[] {
  const cuts = mergeHours(hours);
  return runs.flatMap((run) => {
    const pieces: Range[] = [];
    let from = run.from;
    for (const cut of cuts) {
      if (cut.to <= run.from || cut.from >= run.to) continue;
      pieces.push({ from, to: cut.from });
      from = cut.to;
    }
    pieces.push({ from, to: run.to });
    return nonEmpty(pieces);
  });
}
