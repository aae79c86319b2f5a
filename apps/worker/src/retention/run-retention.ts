// Deletes each factory's expired inspection data (ADR 0058): bounded batches of rows, each
// deleted in one transaction that records their blobs as pending deletions, then the blobs,
// then those records. A run that stops half-way (storage down, worker killed) leaves the
// records, and the next run deletes their blobs first.
import {
  expireInspectionBatch,
  factoriesForRetention,
  finishPendingBlobDeletion,
  imageUsesBlobKey,
  listPendingBlobDeletions,
  recordAudit,
  type Db,
} from '@gansight/db';
import { blobKey, type BlobStore } from '@gansight/storage';

const DAY_MS = 24 * 3600 * 1000;

export interface RetentionDeps {
  db: Db;
  blobs: BlobStore;
  log: (line: string) => void;
  /** Stops between batches once aborted (the worker drains); the rest waits for the next run. */
  signal?: AbortSignal;
}

export interface RetentionOptions {
  /** Inspections per transaction. */
  batchSize?: number;
  /** A run stops starting batches after this long; the next run goes on. */
  budgetMs?: number;
  now?: Date;
}

export interface RetentionTotals {
  inspections: number;
  images: number;
  blobs: number;
  /** Factories whose clean-up failed this run (their error is logged; the next run retries). */
  failed: string[];
}

const PENDING_PAGE = 100;

/** The folder of an inspection's pictures, latent and previews (see inspection-job.ts). */
export const inspectionFolder = (factoryId: string) => (inspectionId: string) => `${blobKey(factoryId, 'inspections', inspectionId)}/`;

/** Deletes the blobs of one factory's pending deletions, then the records; returns how many blobs went. */
async function deletePendingBlobs(deps: RetentionDeps, factoryId: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const pending = await listPendingBlobDeletions(deps.db, factoryId, PENDING_PAGE);
    for (const p of pending) {
      if (p.blobKey.endsWith('/')) {
        const keys: string[] = [];
        for await (const entry of deps.blobs.list(p.blobKey)) keys.push(entry.key);
        for (const key of keys) await deps.blobs.delete(key);
        deleted += keys.length;
      } else if (!(await imageUsesBlobKey(deps.db, factoryId, p.blobKey))) {
        // A missing blob is fine (deleted by an earlier run that stopped before its record went).
        await deps.blobs.delete(p.blobKey);
        deleted += 1;
      }
      await finishPendingBlobDeletion(deps.db, factoryId, p.id);
    }
    if (pending.length < PENDING_PAGE) return deleted;
  }
}

/** One pass over every factory with a retention setting or blobs left to delete. */
export async function runRetention(deps: RetentionDeps, o: RetentionOptions = {}): Promise<RetentionTotals> {
  const now = o.now ?? new Date();
  const batchSize = o.batchSize ?? 200;
  const stopAt = Date.now() + (o.budgetMs ?? 10 * 60_000);
  const totals: RetentionTotals = { inspections: 0, images: 0, blobs: 0, failed: [] };
  const more = () => !deps.signal?.aborted && Date.now() < stopAt;
  for (const { factoryId, retentionDays } of await factoriesForRetention(deps.db)) {
    if (!more()) break;
    const done = { inspections: 0, images: 0, blobs: 0 };
    try {
      // What an earlier run left first: those rows are gone already.
      done.blobs += await deletePendingBlobs(deps, factoryId);
      if (retentionDays !== null) {
        const before = new Date(now.getTime() - retentionDays * DAY_MS);
        while (more()) {
          const batch = await expireInspectionBatch(deps.db, factoryId, { before, limit: batchSize, inspectionFolder: inspectionFolder(factoryId) });
          done.inspections += batch.inspections;
          done.images += batch.images;
          done.blobs += await deletePendingBlobs(deps, factoryId);
          if (batch.inspections < batchSize) break;
        }
      }
    } catch (err) {
      totals.failed.push(factoryId);
      deps.log(`[retention] factory ${factoryId}: stopped, the next run goes on: ${(err as Error).message}`);
    }
    totals.inspections += done.inspections;
    totals.images += done.images;
    totals.blobs += done.blobs;
    if (done.inspections || done.blobs) {
      deps.log(`[retention] factory ${factoryId}: deleted ${done.inspections} inspections, ${done.images} line images and ${done.blobs} blobs (retention ${retentionDays ?? 'off'} days)`);
      // What the factory's admins see of it, in their audit log.
      await recordAudit(deps.db, factoryId, {
        actor: { type: 'SYSTEM' }, action: 'retention', targetType: 'Factory', targetId: factoryId,
        details: { retentionDays, ...done },
      }).catch((err: Error) => deps.log(`[retention] factory ${factoryId}: audit entry not written: ${err.message}`));
    }
  }
  return totals;
}
