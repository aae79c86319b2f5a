import type { Db } from '../client';
import type { ImageLabel, ImageSplit } from '../generated/prisma/client';
import { NotFoundError } from '../errors';

export interface ImageCount {
  label: ImageLabel;
  split: ImageSplit;
  count: number;
}

/** How many images a product has per label and split, in one grouped query (the dataset page's counts). */
export async function countImagesByLabelAndSplit(db: Db, factoryId: string, productId: string): Promise<ImageCount[]> {
  const product = await db.product.findFirst({ where: { id: productId, factoryId }, select: { id: true } });
  if (!product) throw new NotFoundError('Product', productId);
  const rows = await db.image.groupBy({ by: ['label', 'split'], where: { factoryId, productId }, _count: { _all: true } });
  return rows.map((r) => ({ label: r.label, split: r.split, count: r._count._all })).sort((a, b) => `${a.label}${a.split}`.localeCompare(`${b.label}${b.split}`));
}
