// A worker process: `node --import tsx apps/worker/src/main.ts`. Configuration comes from the
// environment (packages/config); DATABASE_URL is required, since a worker joins a database
// that someone else runs. SIGTERM/SIGINT drain: no new jobs, training checkpoints, then exit.
import { readFileSync } from 'node:fs';
import { loadConfigOrExit } from '@gansight/config';
import { createDbClient } from '@gansight/db';
import { selectBackend } from '@gansight/ml';
import { createBlobStore } from '@gansight/storage';
import { startWorker, type RunningWorker } from './start-worker';

const config = loadConfigOrExit();
if (!config.database.url) {
  process.stderr.write('Invalid configuration:\n  DATABASE_URL: required for a worker process (it joins the queue in that database)\n');
  process.exit(1);
}
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

// Installed before the slow part of startup (backend, imports), so that a SIGTERM during it
// still shuts down cleanly instead of killing the process mid-registration.
let stopping = false;
let started: Promise<RunningWorker> | undefined;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`[worker] ${signal}: draining (no new jobs; training checkpoints and goes back to the queue)`);
  if (!started) {
    log('[worker] stopped before it took any job');
    process.exit(0);
  }
  started
    .then((worker) => worker.stop())
    .then(() => Promise.all([db.$disconnect(), blobs.close()]))
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

const db = createDbClient(config.database.url, { maxConnections: 4 });
const blobs = createBlobStore(config.storage);
await blobs.ensureReady();
const backend = await selectBackend(config.ml.backend, log);
started = startWorker({
  databaseUrl: config.database.url,
  db,
  blobs,
  concurrency: config.worker.concurrency,
  backend: backend.kind,
  version,
  heartbeatMs: config.worker.heartbeatMs,
  staleAfterMs: config.worker.staleAfterMs,
  pollIntervalMs: config.worker.pollIntervalMs,
  timing: { progressIntervalMs: config.worker.progressIntervalMs, cancelPollMs: config.worker.cancelPollMs },
  log,
});
await started;
log(`[worker] pid ${process.pid} started`);

