import type { Db } from '../client';
import { Prisma } from '../generated/prisma/client';
import { BadInputError } from '../errors';

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
 * Inspection counts per time bucket for the defect-trend charts. A reviewer's verdict
 * overrides the model's. Buckets without inspections are left out.
 */
export async function inspectionTrend(
  db: Db,
  factoryId: string,
  query: { from: Date; to: Date; bucket: TrendBucket; productId?: string; lotId?: string; line?: string },
): Promise<TrendPoint[]> {
  if (!(['hour', 'day', 'week'] as const).includes(query.bucket)) throw new BadInputError('bucket must be hour, day or week');
  if (!(query.from < query.to)) throw new BadInputError('from must be before to');
  const filters = [
    Prisma.sql`"factoryId" = ${factoryId}`,
    Prisma.sql`"createdAt" >= ${query.from}`,
    Prisma.sql`"createdAt" < ${query.to}`,
  ];
  if (query.productId) filters.push(Prisma.sql`"productId" = ${query.productId}`);
  if (query.lotId) filters.push(Prisma.sql`"lotId" = ${query.lotId}`);
  if (query.line) filters.push(Prisma.sql`"line" = ${query.line}`);
  const rows = await db.$queryRaw<{ bucket: Date; total: number; pass: number; fail: number; errored: number }[]>`
    SELECT date_trunc(${query.bucket}, "createdAt", 'UTC') AS bucket,
           count(*)::int AS total,
           count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'PASS')::int AS pass,
           count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'FAIL')::int AS fail,
           count(*) FILTER (WHERE status = 'FAILED')::int AS errored
    FROM "Inspection"
    WHERE ${Prisma.join(filters, ' AND ')}
    GROUP BY 1
    ORDER BY 1`;
  return rows.map((r) => ({ bucketStart: new Date(r.bucket), total: r.total, pass: r.pass, fail: r.fail, errored: r.errored }));
}
