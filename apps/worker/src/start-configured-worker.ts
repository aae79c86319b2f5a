// Starts a queue worker from validated configuration: the one place that maps packages/config's
// worker settings onto startWorker and picks the ML backend. Used by every way a worker starts:
// its own process (runWorkerProcess: main.ts and `gansight worker`) and `gansight start`, which
// runs one inside the stack's process.
import type { Config } from '@gansight/config';
import type { Db } from '@gansight/db';
import { selectBackend } from '@gansight/ml';
import type { BlobStore } from '@gansight/storage';
import type { Registry } from '@gansight/telemetry';
import { startWorker, type RunningWorker } from './start-worker';

export interface ConfiguredWorkerOptions {
  databaseUrl: string;
  db: Db;
  blobs: BlobStore;
  /** Reported in the worker registry. */
  version: string;
  log: (line: string) => void;
  /** Where the worker's metrics go (the process's /metrics). */
  metrics?: Registry;
}

/** A running queue worker on the configured backend, with the configured concurrency and timings. */
export async function startConfiguredWorker(config: Config, o: ConfiguredWorkerOptions): Promise<RunningWorker> {
  const backend = await selectBackend(config.ml.backend, o.log);
  const pin = config.ml.trainingBackends;
  // Not an error: such a worker runs everything else; the operator should know why it never trains.
  if (pin.length > 0 && !pin.includes(backend.kind)) {
    o.log(`[worker] new training runs are pinned to ${pin.join(', ')} (TRAINING_BACKENDS); this worker on ${backend.kind} takes none of them`);
  }
  const w = config.worker;
  return startWorker({
    databaseUrl: o.databaseUrl,
    db: o.db,
    blobs: o.blobs,
    concurrency: w.concurrency,
    batchWindowMs: w.batchWindowMs,
    previewEvery: w.previewEvery,
    heartbeatMs: w.heartbeatMs,
    staleAfterMs: w.staleAfterMs,
    pollIntervalMs: w.pollIntervalMs,
    timing: { progressIntervalMs: w.progressIntervalMs, cancelPollMs: w.cancelPollMs },
    backend: backend.kind,
    version: o.version,
    log: o.log,
    metrics: o.metrics,
  });
}
