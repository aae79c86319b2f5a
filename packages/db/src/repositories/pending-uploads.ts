// Upload URLs handed out by the API, from requestImageUpload to registerImage (or the sweep).
// Claiming and settling are keyed by the blob key alone: the blob handler that calls them sees
// only a signed URL, whose key already names the factory (and the signature proves it).
import type { Db } from '../client';
import type { PendingUpload } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError } from './prisma-errors';
import { requireProduct } from './products';

export interface PendingUploadInput {
  blobKey: string;
  productId: string;
  contentType: string;
  maxBytes: number;
  expiresAt: Date;
}

export async function createPendingUpload(db: Db, factoryId: string, input: PendingUploadInput): Promise<PendingUpload> {
  await requireProduct(db, factoryId, input.productId);
  try {
    return await db.pendingUpload.create({ data: { ...input, factoryId } });
  } catch (err) {
    translateWriteError(err, { entity: 'PendingUpload', reference: { entity: 'Product', id: input.productId } });
  }
}

/** The upload of this factory under `blobKey`; NOT_FOUND once registered, swept, or another factory's. */
export async function getPendingUpload(db: Db, factoryId: string, blobKey: string): Promise<PendingUpload> {
  const found = await db.pendingUpload.findFirst({ where: { blobKey, factoryId } });
  if (!found) throw new NotFoundError('PendingUpload', blobKey);
  return found;
}

/**
 * Starts receiving a PUT: true only for an upload that is PENDING and unexpired, which it marks
 * RECEIVING in the same statement, so of two PUTs racing on one URL exactly one gets true.
 */
export async function claimPendingUpload(db: Db, blobKey: string, now = new Date()): Promise<boolean> {
  const { count } = await db.pendingUpload.updateMany({
    where: { blobKey, status: 'PENDING', expiresAt: { gt: now } },
    data: { status: 'RECEIVING' },
  });
  return count === 1;
}

/** Ends a claimed PUT: UPLOADED when stored, else PENDING again (the same URL may retry). */
export async function releasePendingUpload(db: Db, blobKey: string, stored: boolean): Promise<void> {
  await db.pendingUpload.updateMany({
    where: { blobKey, status: 'RECEIVING' },
    data: { status: stored ? 'UPLOADED' : 'PENDING' },
  });
}

/** Forgets the upload: its URL is refused from now on (no row, nothing to claim). */
export async function deletePendingUpload(db: Db, factoryId: string, blobKey: string): Promise<void> {
  await db.pendingUpload.deleteMany({ where: { blobKey, factoryId } });
}

/**
 * Sweep, across factories: removes up to `limit` uploads whose URL expired before `before`
 * and returns their keys, for the caller to delete the blobs. Each row is returned to exactly
 * one caller, so API replicas sweeping at once never both act on one upload.
 */
export async function takeExpiredPendingUploads(db: Db, before: Date, limit = 500): Promise<string[]> {
  const rows = await db.$queryRaw<{ blobKey: string }[]>`
    DELETE FROM "PendingUpload" WHERE "blobKey" IN (
      SELECT "blobKey" FROM "PendingUpload" WHERE "expiresAt" < ${before}
      ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) RETURNING "blobKey"`;
  return rows.map((r) => r.blobKey);
}

/** Which of these keys still have an upload row (the rest are blobs nobody will register). */
export async function pendingUploadKeys(db: Db, factoryId: string, blobKeys: string[]): Promise<Set<string>> {
  if (blobKeys.length === 0) return new Set();
  const rows = await db.pendingUpload.findMany({ where: { factoryId, blobKey: { in: blobKeys } }, select: { blobKey: true } });
  return new Set(rows.map((r) => r.blobKey));
}

/** Every factory id, for sweeps that visit each factory's storage (not tenant-scoped). */
export async function listFactoryIds(db: Db): Promise<string[]> {
  return (await db.factory.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((f) => f.id);
}
