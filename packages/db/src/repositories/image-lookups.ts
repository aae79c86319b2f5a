import type { Db } from '../client';
import type { Image } from '../generated/prisma/client';

/** Images by id in one query (for batched loading); ids of other factories are simply absent. */
export async function getImagesByIds(db: Db, factoryId: string, ids: readonly string[]): Promise<Image[]> {
  if (ids.length === 0) return [];
  return db.image.findMany({ where: { factoryId, id: { in: [...ids] } } });
}
