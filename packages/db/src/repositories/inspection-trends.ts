import type { Db } from '../client';
import { BadInputError } from '../errors';
import { inspectionCountsSql } from './inspection-counts';

export type TrendBucket = 'hour' | 'day' | 'week';

export interface TrendPoint {
  /** Start of the bucket (UTC). */
  bucketStart: Date;
  total: number;
  pass: number;
  fail: number;
  /** Inspections that could not be scored (status FAILED). */
  errored: number;
}

/**
 * Inspection counts per time bucket (UTC) for the defect-trend charts. A reviewer's verdict
 * overrides the model's. Buckets without inspections are left out. Read from the hourly rollup,
 * so a month costs a few hundred rows, not every inspection (inspection-counts.ts).
 */
export async function inspectionTrend(
  db: Db,
  factoryId: string,
  query: { from: Date; to: Date; bucket: TrendBucket; productId?: string; lotId?: string; line?: string },
): Promise<TrendPoint[]> {
  if (!(['hour', 'day', 'week'] as const).includes(query.bucket)) throw new BadInputError('bucket must be hour, day or week');
  if (!(query.from < query.to)) throw new BadInputError('from must be before to');
  // Day rows serve day and week buckets (UTC days nest in both); hour buckets need hour rows.
  const counts = inspectionCountsSql(factoryId, query, query.bucket === 'hour' ? 'hour' : 'day');
  const rows = await db.$queryRaw<{ bucket: Date; total: number; pass: number; fail: number; errored: number }[]>`
    SELECT date_trunc(${query.bucket}, c."hour", 'UTC') AS bucket,
           sum(c."total")::int AS total,
           sum(c."pass")::int AS pass,
           sum(c."fail")::int AS fail,
           COALESCE(sum(c."total") FILTER (WHERE c."status" = 'FAILED'), 0)::int AS errored
    FROM ${counts} c
    GROUP BY 1
    ORDER BY 1`;
  return rows.map((r) => ({ bucketStart: new Date(r.bucket), total: r.total, pass: r.pass, fail: r.fail, errored: r.errored }));
}
