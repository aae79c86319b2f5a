import type { Db } from '../client';
import type { Image, ImageLabel, ImageSource, ImageSplit, Prisma } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { requireProduct } from './products';
import { QuotaExceededError, countStoredImages, withinQuota } from './quotas';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';
import { isUniqueViolation, translateWriteError, type JsonInput } from './prisma-errors';

export interface ImageInput {
  productId: string;
  blobKey: string;
  sha256: string;
  width: number;
  height: number;
  contentType: string;
  byteSize: number;
  label?: ImageLabel;
  defectTypeId?: string | null;
  split?: ImageSplit;
  source?: ImageSource;
  capturedAt?: Date | null;
  line?: string | null;
  station?: string | null;
  metadata?: JsonInput;
}

/** Checks that a defect type belongs to the image's product (the database only knows the factory). */
async function checkDefectType(db: Db, factoryId: string, productId: string, defectTypeId: string | null | undefined) {
  if (!defectTypeId) return;
  const defect = await db.defectType.findFirst({ where: { id: defectTypeId, factoryId }, select: { productId: true } });
  if (!defect) throw new NotFoundError('DefectType', defectTypeId);
  if (defect.productId !== productId) throw new BadInputError('The defect type belongs to another product');
}

/**
 * Stores an image's metadata. The same bytes (sha256) uploaded again for the same product
 * return the existing image with `created: false` instead of a duplicate. With
 * `maxStoredImages` (> 0) a new image that would take the factory past it is refused with
 * QuotaExceededError, counted and inserted under the factory's quota lock (a duplicate is not).
 */
export async function createImage(
  db: Db,
  factoryId: string,
  input: ImageInput,
  quota: { maxStoredImages?: number } = {},
): Promise<{ image: Image; created: boolean }> {
  await requireProduct(db, factoryId, input.productId);
  await checkDefectType(db, factoryId, input.productId, input.defectTypeId);
  const existing = () =>
    db.image.findFirst({ where: { factoryId, productId: input.productId, sha256: input.sha256 } });
  const before = await existing();
  if (before) return { image: before, created: false };
  try {
    const image = await withinQuota(
      db,
      factoryId,
      'storedImages',
      quota.maxStoredImages ?? 0,
      (tx) => countStoredImages(tx, factoryId),
      (tx) => tx.image.create({ data: { ...input, factoryId, defectTypeId: input.defectTypeId ?? null, metadata: input.metadata ?? {} } }),
    );
    return { image, created: true };
  } catch (err) {
    // The same bytes stored meanwhile by a concurrent upload (which may have filled the quota) are
    // that image, not a new one.
    if (isUniqueViolation(err) || err instanceof QuotaExceededError) {
      const raced = await existing();
      if (raced) return { image: raced, created: false };
    }
    translateWriteError(err, { entity: 'Image', reference: { entity: 'Product', id: input.productId } });
  }
}

export async function getImage(db: Db, factoryId: string, imageId: string): Promise<Image> {
  const image = await db.image.findFirst({ where: { id: imageId, factoryId } });
  if (!image) throw new NotFoundError('Image', imageId);
  return image;
}

export interface ImageFilter {
  productId?: string;
  label?: ImageLabel | ImageLabel[];
  split?: ImageSplit | ImageSplit[];
  defectTypeId?: string;
  source?: ImageSource;
  line?: string;
  station?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

function imageWhere(factoryId: string, filter: ImageFilter): Prisma.ImageWhereInput {
  const oneOrMany = <T>(v: T | T[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? { in: v } : v);
  return {
    factoryId,
    productId: filter.productId,
    label: oneOrMany(filter.label),
    split: oneOrMany(filter.split),
    defectTypeId: filter.defectTypeId,
    source: filter.source,
    line: filter.line,
    station: filter.station,
    createdAt: { gte: filter.createdAfter, lt: filter.createdBefore },
  };
}

/** Newest first, `limit` at a time. */
export async function listImages(db: Db, factoryId: string, filter: ImageFilter = {}, page: PageRequest = {}): Promise<Page<Image>> {
  const limit = pageLimit(page);
  const rows = await db.image.findMany({
    where: { AND: [imageWhere(factoryId, filter), afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

export async function countImages(db: Db, factoryId: string, filter: ImageFilter = {}): Promise<number> {
  return db.image.count({ where: imageWhere(factoryId, filter) });
}

/** Changes an image's label, defect type or split (e.g. an engineer's annotation). */
export async function updateImage(
  db: Db,
  factoryId: string,
  imageId: string,
  patch: { label?: ImageLabel; defectTypeId?: string | null; split?: ImageSplit; metadata?: JsonInput },
): Promise<Image> {
  const image = await getImage(db, factoryId, imageId);
  await checkDefectType(db, factoryId, image.productId, patch.defectTypeId);
  try {
    return await db.image.update({ where: { id: imageId, factoryId }, data: patch });
  } catch (err) {
    translateWriteError(err, { entity: 'Image', id: imageId });
  }
}

/** Assigns many images of one product to a split at once; returns how many changed. */
export async function assignSplit(db: Db, factoryId: string, imageIds: string[], split: ImageSplit): Promise<number> {
  const { count } = await db.image.updateMany({ where: { factoryId, id: { in: imageIds } }, data: { split } });
  return count;
}

/** Deletes the image row (its inspections go with it); the caller deletes the blob. */
export async function deleteImage(db: Db, factoryId: string, imageId: string): Promise<Image> {
  try {
    return await db.image.delete({ where: { id: imageId, factoryId } });
  } catch (err) {
    translateWriteError(err, { entity: 'Image', id: imageId });
  }
}

/**
 * Removes an image that no inspection uses, or nothing (null): for undoing an image a refused
 * request had just stored. The row is locked first, so an inspection inserted concurrently
 * (its foreign key check waits for the lock) either is seen here or fails; it is never
 * deleted with the image (Inspection.image cascades).
 */
export async function discardUnusedImage(db: Db, factoryId: string, imageId: string): Promise<Image | null> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Image" WHERE "id" = ${imageId} AND "factoryId" = ${factoryId} FOR UPDATE`;
    if (locked.length === 0) return null;
    if ((await tx.inspection.count({ where: { imageId, factoryId } })) > 0) return null;
    return tx.image.delete({ where: { id: imageId, factoryId } });
  });
}
