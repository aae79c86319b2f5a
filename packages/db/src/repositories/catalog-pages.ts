import type { Db } from '../client';
import type { DefectType, Product } from '../generated/prisma/client';
import { requireProduct } from './products';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';

/** The factory's products, newest first, `limit` at a time (archived ones only when asked). */
export async function listProductsPage(
  db: Db,
  factoryId: string,
  options: { includeArchived?: boolean } = {},
  page: PageRequest = {},
): Promise<Page<Product>> {
  const limit = pageLimit(page);
  const rows = await db.product.findMany({
    where: { AND: [{ factoryId, ...(options.includeArchived ? {} : { archivedAt: null }) }, afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

/** One product's defect types, newest first; NOT_FOUND unless the product is this factory's. */
export async function listDefectTypesPage(db: Db, factoryId: string, productId: string, page: PageRequest = {}): Promise<Page<DefectType>> {
  await requireProduct(db, factoryId, productId);
  const limit = pageLimit(page);
  const rows = await db.defectType.findMany({
    where: { AND: [{ factoryId, productId }, afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}
