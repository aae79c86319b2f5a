// A worker as a whole process: storage, database, the configured worker, and the drain on
// SIGTERM/SIGINT (no new jobs; training checkpoints the step it is on and goes back to the
// queue; other jobs finish), then exit 0. main.ts and `gansight worker` differ only in how they
// reach the database, so that is the one thing they pass in.
import type { Config } from '@gansight/config';
import type { Db } from '@gansight/db';
import { createBlobStore } from '@gansight/storage';
import { createLogger, createMetricsRegistry, lineLog, startOpsServer, type ReadinessCheck, type RunningOpsServer } from '@gansight/telemetry';
import { startConfiguredWorker } from './start-configured-worker';
import type { RunningWorker } from './start-worker';

export interface WorkerDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export interface WorkerProcessOptions {
  config: Config;
  /** Reported in the worker registry. */
  version: string;
  /** Opens (or joins) the database whose queue this worker takes jobs from. */
  openDatabase(log: (line: string) => void): Promise<WorkerDatabase>;
  log?: (line: string) => void;
}

/** What a worker started with an IPC channel (by `gansight start`) sends once it takes jobs. */
export interface WorkerReadyMessage {
  type: 'ready';
  workerId: string;
}

/** Runs a worker until SIGTERM or SIGINT, then drains it and exits the process. */
export async function runWorkerProcess(o: WorkerProcessOptions): Promise<RunningWorker> {
  // JSON lines (LOG_FORMAT) with the job, task and factory of the job that wrote them.
  const log = o.log ?? lineLog(createLogger({ level: o.config.logLevel, format: o.config.logFormat, role: 'worker' }));
  const metrics = createMetricsRegistry();
  // Installed before the slow part of startup (database, backend, imports), so that a SIGTERM
  // during it still shuts down cleanly instead of killing the process mid-registration.
  let stopping = false;
  let started: Promise<RunningWorker> | undefined;
  let database: WorkerDatabase | undefined;
  let worker: RunningWorker | undefined;
  let ops: RunningOpsServer | undefined;
  const blobs = createBlobStore(o.config.storage);
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[worker] ${signal}: draining (no new jobs; training checkpoints and goes back to the queue)`);
    if (!started) {
      log('[worker] stopped before it took any job');
      void Promise.allSettled([database?.close(), blobs.close()]).then(() => process.exit(0));
      return;
    }
    started
      .then((worker) => worker.stop())
      .then(() => Promise.all([database?.close(), blobs.close(), ops?.stop()]))
      .then(() => {
        log('[worker] drained, exiting');
        process.exit(0);
      })
      .catch((err: Error) => {
        log(`[worker] shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by `gansight start` (an IPC channel to it): when that process dies, even by SIGKILL,
  // the channel closes and this worker drains instead of living on as an orphan.
  if (process.channel) process.once('disconnect', () => shutdown('parent process gone'));

  // Up before the slow part, so that probes see a live process that is not ready yet.
  const http = o.config.worker.http;
  if (http.port !== undefined) {
    const starting: ReadinessCheck[] = [{ name: 'queue', ok: false, reason: 'the worker is starting' }];
    ops = await startOpsServer({ host: http.host, port: http.port, metrics, log, readiness: async () => (worker ? worker.readiness() : starting) });
    log(`[worker] health and metrics on ${ops.url} (/healthz, /readyz, /metrics)`);
  }
  await blobs.ensureReady();
  database = await o.openDatabase(log);
  if (stopping) return new Promise<never>(() => undefined); // the shutdown above exits
  started = startConfiguredWorker(o.config, { databaseUrl: database.url, db: database.db, blobs, version: o.version, log, metrics });
  worker = await started;
  log(`[worker] pid ${process.pid} started`);
  process.send?.({ type: 'ready', workerId: worker.workerId } satisfies WorkerReadyMessage);
  return worker;
}
