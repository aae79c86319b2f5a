import type { Db } from '../client';
import { Prisma, type Inspection } from '../generated/prisma/client';

/**
 * Judged inspections nobody has reviewed yet, closest to the threshold first (normalised score
 * nearest 0.5): the verdicts a person is most likely to overturn. Newest first among equals.
 */
export async function listReviewQueue(db: Db, factoryId: string, o: { productId?: string; limit: number }): Promise<Inspection[]> {
  const product = o.productId ? Prisma.sql`AND "productId" = ${o.productId}` : Prisma.empty;
  return db.$queryRaw<Inspection[]>`
    SELECT * FROM "Inspection"
    WHERE "factoryId" = ${factoryId} AND "status" = 'DONE' AND "reviewVerdict" IS NULL AND "normalizedScore" IS NOT NULL ${product}
    ORDER BY abs("normalizedScore" - 0.5), "createdAt" DESC, "id" DESC
    LIMIT ${o.limit}`;
}
