import type { Db } from '../client';
import type { Factory } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { getFactory } from './factories';

// Retention of production inspection data (ADR 0058). Rows go first, in one transaction that
// also records their blobs in PendingBlobDeletion; the blobs go after, and their records last.
// So no row ever names a missing blob, and no blob is ever without a row that names it.

/** The bounds of Factory.inspectionRetentionDays (the migration holds the same CHECK). */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** Sets how many days a factory keeps its inspections; null keeps them forever. */
export async function setInspectionRetention(db: Db, factoryId: string, days: number | null): Promise<Factory> {
  if (days !== null && !(Number.isInteger(days) && days >= RETENTION_DAYS.min && days <= RETENTION_DAYS.max)) {
    throw new BadInputError(`Retention must be a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}, or null to keep inspections forever.`);
  }
  const found = await db.factory.updateMany({ where: { id: factoryId }, data: { inspectionRetentionDays: days } });
  if (found.count === 0) throw new NotFoundError('Factory', factoryId);
  return getFactory(db, factoryId);
}

/**
 * Every factory that has a retention setting, and every factory with blobs still waiting to be
 * deleted (a run that stopped half-way, or a setting removed since). Not tenant-scoped: the
 * worker's retention job serves every factory.
 */
export async function factoriesForRetention(db: Db): Promise<{ factoryId: string; retentionDays: number | null }[]> {
  const rows = await db.factory.findMany({
    where: { OR: [{ inspectionRetentionDays: { not: null } }, { blobDeletions: { some: {} } }] },
    select: { id: true, inspectionRetentionDays: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({ factoryId: r.id, retentionDays: r.inspectionRetentionDays }));
}

export interface ExpireOptions {
  /** Inspections created before this instant expire. */
  before: Date;
  /** At most this many inspections in one transaction. */
  limit: number;
  /** The folder (ending in "/") that holds an inspection's pictures, latent and previews. */
  inspectionFolder(inspectionId: string): string;
}

export interface ExpiredBatch {
  inspections: number;
  images: number;
}

/**
 * Deletes up to `limit` expired inspections of one factory, and the line images only they used,
 * recording every blob they named for deletion, all in one transaction. Kept: inspections not
 * answered yet (QUEUED, RUNNING) and those of open lots; images in the dataset (a split or a
 * label, e.g. put there in review) or not from the line, and images another inspection uses.
 */
export async function expireInspectionBatch(db: Db, factoryId: string, o: ExpireOptions): Promise<ExpiredBatch> {
  return db.$transaction(async (tx) => {
    // Oldest first; rows another run holds are skipped, not waited for.
    const inspections = await tx.$queryRaw<{ id: string; imageId: string; reconstructionKey: string | null; residualKey: string | null }[]>`
      SELECT i."id", i."imageId", i."reconstructionKey", i."residualKey"
        FROM "Inspection" i
        LEFT JOIN "Lot" l ON l."id" = i."lotId" AND l."factoryId" = i."factoryId"
       WHERE i."factoryId" = ${factoryId} AND i."createdAt" < ${o.before}
         AND i."status" IN ('DONE', 'FAILED')
         AND (i."lotId" IS NULL OR l."status" = 'CLOSED')
       ORDER BY i."createdAt", i."id"
       LIMIT ${o.limit}
         FOR UPDATE OF i SKIP LOCKED`;
    if (inspections.length === 0) return { inspections: 0, images: 0 };
    const ids = inspections.map((i) => i.id);
    const candidates = [...new Set(inspections.map((i) => i.imageId))];
    // Locked before the checks below: a relabel, a new split or a new inspection of the image
    // (its foreign-key check) waits for this transaction, so it is either seen here or finds
    // the image gone; an image is never deleted under a decision made on stale facts.
    const lineImages = await tx.$queryRaw<{ id: string; blobKey: string }[]>`
      SELECT "id", "blobKey" FROM "Image"
       WHERE "factoryId" = ${factoryId} AND "id" = ANY(${candidates})
         AND "source" = 'LINE' AND "split" = 'NONE' AND "label" = 'UNLABELED'
         FOR UPDATE`;
    const stillUsed = lineImages.length
      ? await tx.$queryRaw<{ imageId: string }[]>`
          SELECT DISTINCT "imageId" FROM "Inspection"
           WHERE "factoryId" = ${factoryId} AND "imageId" = ANY(${lineImages.map((i) => i.id)}) AND NOT ("id" = ANY(${ids}))`
      : [];
    const used = new Set(stillUsed.map((r) => r.imageId));
    const images = lineImages.filter((i) => !used.has(i.id));

    const keys = new Set<string>();
    for (const i of inspections) {
      const folder = o.inspectionFolder(i.id);
      keys.add(folder);
      // Pictures stored somewhere else than the inspection's folder (none today) go too.
      for (const key of [i.reconstructionKey, i.residualKey]) if (key && !key.startsWith(folder)) keys.add(key);
    }
    for (const image of images) keys.add(image.blobKey);
    await tx.pendingBlobDeletion.createMany({ data: [...keys].map((blobKey) => ({ factoryId, blobKey })) });
    await tx.inspection.deleteMany({ where: { factoryId, id: { in: ids } } });
    if (images.length) await tx.image.deleteMany({ where: { factoryId, id: { in: images.map((i) => i.id) } } });
    return { inspections: ids.length, images: images.length };
  });
}

/** Blobs of one factory waiting to be deleted, oldest first. */
export async function listPendingBlobDeletions(db: Db, factoryId: string, limit: number): Promise<{ id: bigint; blobKey: string }[]> {
  return db.pendingBlobDeletion.findMany({ where: { factoryId }, orderBy: { id: 'asc' }, take: limit, select: { id: true, blobKey: true } });
}

/** Forgets a pending deletion once its blobs are gone. */
export async function finishPendingBlobDeletion(db: Db, factoryId: string, id: bigint): Promise<void> {
  await db.pendingBlobDeletion.deleteMany({ where: { id, factoryId } });
}

/**
 * Whether an image row names this blob key now: the same bytes uploaded again for the same
 * product get the same key, and such a new image must keep its blob.
 */
export async function imageUsesBlobKey(db: Db, factoryId: string, blobKey: string): Promise<boolean> {
  return (await db.image.count({ where: { factoryId, blobKey } })) > 0;
}
