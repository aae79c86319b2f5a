import type { Db } from '../client';
import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';
import { inspectionCountsSql } from './inspection-counts';

export type BreakdownGroup = 'product' | 'line' | 'station' | 'defectType';

export interface BreakdownRow {
  /** Product id, line, station or defect type id; null when the inspection has none. */
  key: string | null;
  total: number;
  pass: number;
  fail: number;
}

// Whitelisted columns: identifiers cannot be bound as parameters.
const GROUP_COLUMN: Record<BreakdownGroup, Prisma.Sql> = {
  product: Prisma.sql`c."productId"`,
  line: Prisma.sql`c."line"`,
  station: Prisma.sql`c."station"`,
  // The defect type a person labelled the inspected image with (copied onto the inspection).
  defectType: Prisma.sql`c."defectTypeId"`,
};

function rangeFilters(factoryId: string, q: { from: Date; to: Date; productId?: string }): Prisma.Sql {
  if (!(q.from < q.to)) throw new BadInputError('from must be before to');
  const filters = [
    Prisma.sql`ins."factoryId" = ${factoryId}`,
    Prisma.sql`ins."createdAt" >= ${q.from}`,
    Prisma.sql`ins."createdAt" < ${q.to}`,
  ];
  if (q.productId) filters.push(Prisma.sql`ins."productId" = ${q.productId}`);
  return Prisma.join(filters, ' AND ');
}

/** Judged inspections per product, line, station or defect type (reviews override verdicts). */
export async function inspectionBreakdown(
  db: Db,
  factoryId: string,
  q: { from: Date; to: Date; groupBy: BreakdownGroup; productId?: string },
): Promise<BreakdownRow[]> {
  const column = GROUP_COLUMN[q.groupBy];
  if (!column) throw new BadInputError('groupBy must be product, line, station or defectType');
  const counts = inspectionCountsSql(factoryId, q, 'day');
  // Read from the rollups (inspection-counts.ts).
  const rows = await db.$queryRaw<{ key: string | null; total: number; pass: number; fail: number }[]>`
    SELECT ${column} AS key,
           sum(c."total")::int AS total,
           sum(c."pass")::int AS pass,
           sum(c."fail")::int AS fail
    FROM ${counts} c
    WHERE c."status" = 'DONE'
    GROUP BY 1
    ORDER BY total DESC, key`;
  return rows;
}

export interface ScoreBin {
  lower: number;
  upper: number;
  pass: number;
  fail: number;
}

/**
 * Histogram of normalised scores ([0, 1], the threshold at 0.5) over [0, maxScore) in `bins` equal bins;
 * scores at or above maxScore land in the last bin. Empty bins are included. Scans Inspection:
 * bins are chosen per call (any count, any maxScore), which pre-binned counts cannot answer exactly.
 */
export async function scoreDistribution(
  db: Db,
  factoryId: string,
  q: { from: Date; to: Date; productId?: string; bins: number; maxScore: number },
): Promise<ScoreBin[]> {
  if (!Number.isInteger(q.bins) || q.bins < 1 || q.bins > 200) throw new BadInputError('bins must be between 1 and 200');
  if (!(q.maxScore > 0)) throw new BadInputError('maxScore must be positive');
  const rows = await db.$queryRaw<{ bin: number; pass: number; fail: number }[]>`
    SELECT LEAST(width_bucket(ins."normalizedScore", 0, ${q.maxScore}::float8, ${q.bins}::int), ${q.bins}::int) AS bin,
           count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'PASS')::int AS pass,
           count(*) FILTER (WHERE COALESCE(ins."reviewVerdict", ins."verdict") = 'FAIL')::int AS fail
    FROM "Inspection" ins
    WHERE ${rangeFilters(factoryId, q)} AND ins."normalizedScore" IS NOT NULL
    GROUP BY 1`;
  const width = q.maxScore / q.bins;
  const bins = Array.from({ length: q.bins }, (_, i) => ({ lower: i * width, upper: (i + 1) * width, pass: 0, fail: 0 }));
  // width_bucket puts scores below 0 in bucket 0; they join the first bin.
  for (const row of rows) {
    const bin = bins[Math.max(row.bin, 1) - 1]!;
    bin.pass += row.pass;
    bin.fail += row.fail;
  }
  return bins;
}
