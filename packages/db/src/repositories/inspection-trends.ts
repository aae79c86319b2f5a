import type { Db } from '../client';
import { BadInputError } from '../errors';
import { inspectionCountsSql } from './inspection-counts';
import { checkTimeZone, hoursCutByLocalBuckets, isUnknownTimeZoneError } from './time-zone';

export type TrendBucket = 'hour' | 'day' | 'week';

export interface TrendPoint {
  /** Start of the bucket: local midnight (day, week from Monday) or hour in the query's zone, as an instant. */
  bucketStart: Date;
  total: number;
  pass: number;
  fail: number;
  /** Inspections that could not be scored (status FAILED). */
  errored: number;
}

export interface TrendQuery {
  from: Date;
  to: Date;
  bucket: TrendBucket;
  /** IANA name whose local hours, days and weeks (Monday) the buckets follow; UTC by default. */
  timeZone?: string;
  productId?: string;
  lotId?: string;
  line?: string;
  station?: string;
  /** Inspections of images labelled with this defect type. */
  defectTypeId?: string;
}

/**
 * Inspection counts per time bucket for the defect-trend charts. A reviewer's verdict overrides
 * the model's. Buckets without inspections are left out. Read from the rollups, so a month
 * costs a few hundred rows, not every inspection (inspection-counts.ts); in a zone other than
 * UTC from hours, plus the rows of any hour that a local boundary cuts (docs/adr/0012): one
 * more small query for such zones.
 */
export async function inspectionTrend(db: Db, factoryId: string, query: TrendQuery): Promise<TrendPoint[]> {
  if (!(['hour', 'day', 'week'] as const).includes(query.bucket)) throw new BadInputError('bucket must be hour, day or week');
  if (!(query.from < query.to)) throw new BadInputError('from must be before to');
  const timeZone = query.timeZone ?? 'UTC';
  const { isUtc } = checkTimeZone(timeZone);
  try {
    // UTC day rows serve UTC day and week buckets (they nest in both); hour buckets and local
    // zones need hour rows, and the hours a local boundary cuts in two need the inspections.
    const counts = isUtc
      ? inspectionCountsSql(factoryId, query, query.bucket === 'hour' ? 'hour' : 'day')
      : inspectionCountsSql(factoryId, query, 'hour', { exactHours: await hoursCutByLocalBuckets(db, query, query.bucket, timeZone) });
    const zone = isUtc ? 'UTC' : timeZone;
    const rows = await db.$queryRaw<{ bucket: Date; total: number; pass: number; fail: number; errored: number }[]>`
      SELECT date_trunc(${query.bucket}, c."at", ${zone}) AS bucket,
             sum(c."total")::int AS total,
             sum(c."pass")::int AS pass,
             sum(c."fail")::int AS fail,
             COALESCE(sum(c."total") FILTER (WHERE c."status" = 'FAILED'), 0)::int AS errored
      FROM ${counts} c
      GROUP BY 1
      ORDER BY 1`;
    return rows.map((r) => ({ bucketStart: new Date(r.bucket), total: r.total, pass: r.pass, fail: r.fail, errored: r.errored }));
  } catch (err) {
    if (isUnknownTimeZoneError(err)) throw new BadInputError(`timeZone "${timeZone}" is not known to the database; use its canonical IANA name`);
    throw err;
  }
}
