import type { Db } from '../client';
import type { Lot, LotStatus } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';
import { requireProduct } from './products';
import { translateWriteError } from './prisma-errors';

export async function createLot(
  db: Db,
  factoryId: string,
  input: { productId: string; name: string; externalId?: string | null },
): Promise<Lot> {
  await requireProduct(db, factoryId, input.productId);
  try {
    return await db.lot.create({
      data: { factoryId, productId: input.productId, name: input.name, externalId: input.externalId ?? null },
    });
  } catch (err) {
    translateWriteError(err, {
      entity: 'Lot',
      conflict: `A lot with external id ${input.externalId} already exists for this product`,
      reference: { entity: 'Product', id: input.productId },
    });
  }
}

export async function getLot(db: Db, factoryId: string, lotId: string): Promise<Lot> {
  const lot = await db.lot.findFirst({ where: { id: lotId, factoryId } });
  if (!lot) throw new NotFoundError('Lot', lotId);
  return lot;
}

export async function listLots(
  db: Db,
  factoryId: string,
  filter: { productId?: string; status?: LotStatus; createdAfter?: Date; createdBefore?: Date } = {},
  page: PageRequest = {},
): Promise<Page<Lot>> {
  const limit = pageLimit(page);
  if (filter.createdAfter && filter.createdBefore && !(filter.createdAfter < filter.createdBefore)) {
    throw new BadInputError('createdAfter must be before createdBefore');
  }
  // [createdAfter, createdBefore): a drift chart over a period pages through its lots.
  const createdAt = filter.createdAfter || filter.createdBefore ? { gte: filter.createdAfter, lt: filter.createdBefore } : undefined;
  const rows = await db.lot.findMany({
    where: { AND: [{ factoryId, productId: filter.productId, status: filter.status, createdAt }, afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

export async function updateLot(
  db: Db,
  factoryId: string,
  lotId: string,
  patch: {
    name?: string;
    status?: LotStatus;
    modelId?: string | null;
    frechetDistance?: number | null;
    imageCount?: number;
    passCount?: number;
    failCount?: number;
    closedAt?: Date | null;
  },
): Promise<Lot> {
  try {
    return await db.lot.update({ where: { id: lotId, factoryId }, data: patch });
  } catch (err) {
    translateWriteError(err, { entity: 'Lot', id: lotId, reference: { entity: 'Model', id: patch.modelId ?? '' } });
  }
}

/** Recounts the lot's images and verdicts from its inspections. */
export async function refreshLotCounts(db: Db, factoryId: string, lotId: string): Promise<Lot> {
  await getLot(db, factoryId, lotId);
  const groups = await db.inspection.groupBy({ by: ['verdict'], where: { factoryId, lotId }, _count: { _all: true } });
  const count = (v: 'PASS' | 'FAIL' | null) => groups.find((g) => g.verdict === v)?._count._all ?? 0;
  const total = groups.reduce((sum, g) => sum + g._count._all, 0);
  return updateLot(db, factoryId, lotId, { imageCount: total, passCount: count('PASS'), failCount: count('FAIL') });
}
