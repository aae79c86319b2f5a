import os from 'node:os';
import { Logger, makeWorkerUtils, parseCronItems, run, type Runner, type TaskList, type WorkerUtils } from 'graphile-worker';
import { heartbeatWorkerNode, pingDatabase, registerWorkerNode, reviveWorkerNode, unregisterWorkerNode, type Db } from '@gansight/db';
import { createEventPublisher, type EventPublisher } from '@gansight/events';
import type { BlobStore } from '@gansight/storage';
import { EventEmitter } from 'node:events';
import { holdPoolLiveness, recoverStaleJobs, type PoolLiveness } from './jobs/recover-stale-jobs';
import { describeOrphanedRow, queueOrphanedRows } from './jobs/queue-orphaned-rows';
import { retryQueueQueriesOnConnectionLoss } from './jobs/retry-connection-loss';
import { workerTasks } from './jobs/worker-tasks';
import { RETENTION_SCHEDULE } from './retention/retention-task';
import { describeTasks, withPinnedTraining } from './jobs/pinned-training-tasks';
import { DEFAULT_TIMING, type JobTiming, type WorkerContext } from './worker-context';
import { createMetricsRegistry, setBackendInfo, type ReadinessCheck, type Registry } from '@gansight/telemetry';
import { createWorkerMetrics } from './observability/worker-metrics';
import { observeJobs } from './observability/observed-jobs';
import { checkWithin } from './observability/check-within';

export interface WorkerOptions {
  databaseUrl: string;
  db: Db;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** Longest an inspection's image waits for others of its model to share an inversion (default 0: none). */
  batchWindowMs?: number;
  /** Every how many inversion iterations an inspection stores a preview PNG (default 0: never). */
  previewEvery?: number;
  /** ML backend this worker runs on, advertised to operators (e.g. "wasm", "tensorflow-gpu"). */
  backend: string;
  version: string;
  /** Blob storage for images, checkpoints and models; without it only `tasks` are run. */
  blobs?: BlobStore;
  /** Extra or replacement job handlers by name (the built-in ones need `blobs`). */
  tasks?: TaskList;
  /** How often this worker reports it is alive (default 10 s). */
  heartbeatMs?: number;
  /** A worker silent this long is presumed dead and its jobs are handed on (default 60 s). */
  staleAfterMs?: number;
  /** How often idle workers look for jobs scheduled for later, e.g. retries (default 1 s). */
  pollIntervalMs?: number;
  timing?: Partial<JobTiming>;
  log: (line: string) => void;
  /** Where this worker's metrics go (default: a registry of its own, on RunningWorker.metrics). */
  metrics?: Registry;
}

export interface RunningWorker {
  workerId: string;
  metrics: Registry;
  /** /readyz: the database answers and the queue runner runs. */
  readiness(): Promise<ReadinessCheck[]>;
  /** Stops taking jobs; jobs in flight finish or checkpoint and go back to the queue; then deregisters. */
  stop(): Promise<void>;
}

/** Starts queue workers in this process and advertises them in the worker registry. */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  retryQueueQueriesOnConnectionLoss();
  const node = await registerWorkerNode(o.db, { host: os.hostname(), backend: o.backend, version: o.version });
  const drain = new AbortController();
  let inFlight = 0;
  let runner: Runner | undefined;
  let liveness: PoolLiveness | undefined;
  let poolId: string | undefined;
  let utils: WorkerUtils | undefined;
  let events: EventPublisher | undefined;
  const staleMs = o.staleAfterMs ?? 60_000;
  // Clean-up goes on past a failed step (the next ones still free what they hold), but says so.
  const cleanupFailed = (what: string) => (err: Error) => o.log(`[worker] ${node.id}: ${what}: ${err.message}`);
  const registry = o.metrics ?? createMetricsRegistry();
  setBackendInfo(registry, { role: 'worker', backend: o.backend, version: o.version });
  const metrics = createWorkerMetrics(registry, { db: o.db, backend: o.backend });
  const observed = observeJobs(metrics);
  let queueRunning = false;
  const logger = new Logger(() => (level, message) => {
    // graphile-worker logs through ours, without its debug chatter.
    if (level !== 'debug') o.log(`[worker] ${level}: ${message}`);
  });
  try {
    events = observed.events(createEventPublisher({ connectionString: o.databaseUrl }));
    const ctx: WorkerContext = {
      db: o.db,
      blobs: o.blobs as BlobStore,
      events,
      log: o.log,
      workerNodeId: node.id,
      concurrency: o.concurrency,
      batchWindowMs: o.batchWindowMs ?? 0,
      previewEvery: o.previewEvery ?? 0,
      backend: o.backend,
      drain: drain.signal,
      timing: { ...DEFAULT_TIMING, ...o.timing },
    };
    const taskList: TaskList = observed.tasks(withPinnedTraining({ ...(o.blobs ? workerTasks(ctx, metrics) : {}), ...o.tasks }, o.backend));
    utils = await makeWorkerUtils({ connectionString: o.databaseUrl, logger });
    await utils.migrate();
    await recoverStaleJobs(o.db, utils, staleMs);
    // Our own emitter, so the pool's id (what its job locks name) is known before it takes a job.
    const queueEvents = new EventEmitter() as NonNullable<Parameters<typeof run>[0]['events']>;
    queueEvents.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
      liveness = holdPoolLiveness(o.databaseUrl, workerPool.id, o.log);
    });
    queueEvents.on('job:start', () => void (inFlight += 1));
    queueEvents.on('job:complete', () => void (inFlight -= 1));
    runner = await run({
      connectionString: o.databaseUrl,
      concurrency: o.concurrency,
      noHandleSignals: true, // the process owner (CLI, main.ts) decides how to shut down
      pollInterval: o.pollIntervalMs ?? 1000,
      // The retention schedule, where this worker runs the built-in tasks; a list in every case,
      // so graphile-worker does not look for a ./crontab file and log that it found none.
      parsedCronItems: o.blobs ? parseCronItems(RETENTION_SCHEDULE) : [],
      taskList,
      logger,
      events: queueEvents,
    });
    queueRunning = true;
    // The runner's promise settles when it stops, or when it crashed: either way no more jobs.
    // A crash stays an unhandled rejection, as before: the process ends and is restarted.
    void runner.promise.then(
      () => void (queueRunning = false),
      (err: Error) => {
        queueRunning = false;
        o.log(`[worker] error: the queue runner stopped: ${err.message}`);
        throw err;
      },
    );
    o.log(`[worker] ${node.id} ready on ${o.backend}, concurrency ${o.concurrency}, tasks: ${describeTasks(Object.keys(taskList), o.backend)}`);
  } catch (err) {
    await runner?.stop().catch(cleanupFailed('queue runner not stopped'));
    await liveness?.close();
    await Promise.resolve(utils?.release()).catch(cleanupFailed('queue utilities not released'));
    await events?.close().catch(cleanupFailed('event publisher not closed'));
    await unregisterWorkerNode(o.db, node.id).catch(cleanupFailed('worker node not unregistered'));
    throw err;
  }
  const beat = setInterval(() => {
    heartbeatWorkerNode(o.db, node.id, inFlight)
      // Pruned by another worker while we were silent too long: we are alive, so back on the list.
      .catch((err: { code?: string }) => (err.code === 'NOT_FOUND' ? reviveWorkerNode(o.db, node, inFlight).then(() => undefined) : Promise.reject(err)))
      // Never our own pool: its liveness connection may still be reconnecting after a database restart.
      .then(() => recoverStaleJobs(o.db, utils!, staleMs, poolId ? [poolId] : []))
      .then((freed) => {
        if (freed.length) o.log(`[worker] handed on the jobs of dead workers ${freed.join(', ')}`);
      })
      // Rows an API process stored but died before queueing (jobs/queue-orphaned-rows.ts).
      .then(() => queueOrphanedRows(o.db, utils!, staleMs))
      .then((orphans) => {
        for (const r of orphans) o.log(`[worker] ${describeOrphanedRow(r)}`);
      })
      .catch((err: Error) => o.log(`[worker] heartbeat failed: ${err.message}`));
  }, o.heartbeatMs ?? 10_000);
  beat.unref();
  let stopped: Promise<void> | undefined;
  return {
    workerId: node.id,
    metrics: registry,
    readiness: async () => [
      await checkWithin('database', () => pingDatabase(o.db)),
      { name: 'queue', ok: queueRunning, ...(queueRunning ? {} : { reason: 'the queue runner is not running' }) },
    ],
    stop: () =>
      (stopped ??= (async () => {
        queueRunning = false;
        drain.abort();
        await runner!.stop();
        await liveness?.close();
        clearInterval(beat);
        await Promise.resolve(utils!.release()).catch(cleanupFailed('queue utilities not released'));
        await events!.close().catch(cleanupFailed('event publisher not closed'));
        await unregisterWorkerNode(o.db, node.id).catch(cleanupFailed('worker node not unregistered'));
      })()),
  };
}
