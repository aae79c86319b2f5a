// Uploads nobody registered: requestImageUpload hands out a URL and a PendingUpload row; the
// sweep removes the row and the uploaded blob once the URL has expired and a grace period for
// a late registerImage has passed. It also removes upload blobs that have no row at all (left
// by a sweep that stopped half-way, or written before uploads had rows) once they are older
// than any upload could still be registered.
import { listFactoryIds, pendingUploadKeys, takeExpiredPendingUploads, type Db } from '@gansight/db';
import type { BlobStore } from '@gansight/storage';
import { UPLOAD_URL_SECONDS } from './images.resolvers';

export const DEFAULT_UPLOAD_SWEEP = { intervalMs: 10 * 60_000, graceMs: 60 * 60_000 };

export interface UploadSweepResult {
  /** Expired uploads removed (row and blob). */
  expired: number;
  /** Upload blobs without a row removed. */
  orphans: number;
}

/** One sweep over every factory; safe to run from several API processes at once. */
export async function sweepUploads(
  db: Db,
  blobs: BlobStore,
  o: { graceMs?: number; now?: Date; log?: (line: string) => void } = {},
): Promise<UploadSweepResult> {
  const now = (o.now ?? new Date()).getTime();
  const graceMs = o.graceMs ?? DEFAULT_UPLOAD_SWEEP.graceMs;
  const log = o.log ?? (() => undefined);
  const result: UploadSweepResult = { expired: 0, orphans: 0 };
  const remove = async (key: string) => {
    try {
      await blobs.delete(key);
      return true;
    } catch (err) {
      // The blob stays, now without a row: the orphan pass of a later sweep removes it.
      log(`upload sweep: could not delete ${key}: ${(err as Error).message}`);
      return false;
    }
  };

  const expiredBefore = new Date(now - graceMs);
  for (;;) {
    const keys = await takeExpiredPendingUploads(db, expiredBefore, 500);
    for (const key of keys) if (await remove(key)) result.expired++;
    if (keys.length < 500) break;
  }

  const orphanBefore = now - graceMs - UPLOAD_URL_SECONDS * 1000;
  for (const factoryId of await listFactoryIds(db)) {
    const old: string[] = [];
    for await (const entry of blobs.list(`factories/${factoryId}/uploads/`)) {
      if (entry.lastModified.getTime() < orphanBefore) old.push(entry.key);
    }
    for (let i = 0; i < old.length; i += 500) {
      const batch = old.slice(i, i + 500);
      const kept = await pendingUploadKeys(db, factoryId, batch);
      for (const key of batch) if (!kept.has(key) && (await remove(key))) result.orphans++;
    }
  }
  return result;
}

export interface UploadSweeper {
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/** Sweeps every `intervalMs` (the first one after `intervalMs`), logging what it removed. */
export function startUploadSweeper(
  db: Db,
  blobs: BlobStore,
  o: { intervalMs?: number; graceMs?: number; log?: (line: string) => void } = {},
): UploadSweeper {
  const intervalMs = o.intervalMs ?? DEFAULT_UPLOAD_SWEEP.intervalMs;
  const log = o.log ?? (() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepUploads(db, blobs, { graceMs: o.graceMs, log })
        .then((r) => {
          if (r.expired + r.orphans > 0) log(`upload sweep: removed ${r.expired} expired uploads and ${r.orphans} orphaned upload blobs`);
        })
        .catch((err: Error) => log(`upload sweep failed (next try in ${intervalMs} ms): ${err.message}`))
        .finally(schedule);
    }, intervalMs);
    // Never the reason a process stays alive.
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
