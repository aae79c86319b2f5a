import type { Config } from '@gansight/config';
import type { OpenedDatabase } from '@gansight/db';
import { selectBackend } from '@gansight/ml';
import type { BlobStore } from '@gansight/storage';
import { startWorker, type RunningWorker } from '@gansight/worker';
import { VERSION } from './version';

/** A queue worker on the configured ML backend, for `start` (in-process) and `worker`. */
export async function launchWorker(
  config: Config,
  database: OpenedDatabase,
  blobs: BlobStore,
  log: (line: string) => void,
): Promise<RunningWorker> {
  const backend = await selectBackend(config.ml.backend, log);
  return startWorker({
    databaseUrl: database.url,
    db: database.db,
    blobs,
    concurrency: config.worker.concurrency,
    heartbeatMs: config.worker.heartbeatMs,
    staleAfterMs: config.worker.staleAfterMs,
    pollIntervalMs: config.worker.pollIntervalMs,
    timing: { progressIntervalMs: config.worker.progressIntervalMs, cancelPollMs: config.worker.cancelPollMs },
    backend: backend.kind,
    version: VERSION,
    log,
  });
}
