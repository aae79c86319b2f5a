// Fault of issue 5: the database restarts under a running worker. The worker runs against a
// PostgreSQL server of this test's own (not the shared test server, which other suites use),
// which is stopped in the middle of a training run and started again. The same worker
// process must reconnect, finish the run once, and keep taking new jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspection, getInspection, getTrainingRun, listImages } from '@gansight/db';
import { createEventSubscriber, type EventSubscriber, type GansightEvent } from '@gansight/events';
import { createJobQueue, type JobQueue } from './job-queue';
import { startOwnDatabase, type OwnDatabase } from '../testing/own-database';
import {
  createWorkerFixture, killAll, queueTinyTraining, seedProduct, settledModel, spawnWorker, waitFor, workerReady,
  type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let own: OwnDatabase;
let f: WorkerFixture;
let worker: WorkerProcess;
let subscriber: EventSubscriber;

beforeAll(async () => {
  own = await startOwnDatabase();
  f = await createWorkerFixture({ database: own });
  // Reconnects within half a second of the restart, before the worker's retry (>= 3 s) starts.
  subscriber = createEventSubscriber({ connectionString: own.url, reconnectDelayMs: 100, maxReconnectDelayMs: 500 });
  await subscriber.ready();
});

afterAll(async () => {
  await killAll(worker ? [worker] : []);
  await subscriber?.close();
  await f?.dispose();
});

/** A queue connection for one step: its pool would not survive the restart either. */
async function withQueue(use: (q: JobQueue) => Promise<void>): Promise<void> {
  const q = await createJobQueue({ connectionString: own.url });
  try {
    await use(q);
  } finally {
    await q.release();
  }
}

describe('database restarted under a running worker', () => {
  it('reconnects, finishes the running training once and carries on with new jobs', async () => {
    const { productId } = await seedProduct(f, { train: 10, validation: 8 });
    const job = await queueTinyTraining(f, productId, { steps: 40, checkpointEvery: 10 });
    const events: GansightEvent[] = [];
    subscriber.subscribe({ factoryId: f.factoryId, id: job.runId }, (e) => events.push(e));
    worker = spawnWorker(f);
    await workerReady(worker);
    await withQueue((q) => q.enqueueTraining({ factoryId: f.factoryId, ...job }));
    await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.step >= 10 && r.lastCheckpointKey !== null, 120_000, 'first checkpoint');

    await own.stopServer();
    await new Promise((r) => setTimeout(r, 2000)); // down for a while: the worker's queries fail
    await own.startServer();

    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 240_000, `training after the restart\n${worker.output()}`);
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
    expect(run.step).toBe(40);
    expect((await settledModel(f, job.modelId)).status).toBe('READY');
    expect(worker.child.exitCode, worker.output()).toBeNull(); // the same process, still running
    // The interrupted attempt was retried from its last checkpoint: nothing trained twice.
    await waitFor(async () => events.filter((e) => e.kind === 'training.completed').length, (n) => n >= 1, 10_000, 'completed event');
    const starts = events.filter((e) => e.kind === 'training.started').map((e) => e.data);
    expect(starts).toHaveLength(2);
    expect(starts[0]).toMatchObject({ attempt: 1, fromStep: 0 });
    expect(starts[1]).toMatchObject({ attempt: 2 });
    expect(starts[1]!.fromStep).toBeGreaterThanOrEqual(10);
    expect(events.filter((e) => e.kind === 'training.completed')).toHaveLength(1);

    // The worker still takes jobs: an inspection queued after the restart is answered once.
    const image = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items[0]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId: job.modelId });
    await withQueue((q) => q.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id }));
    const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => i.status === 'DONE' || i.status === 'FAILED', 120_000, `inspection\n${worker.output()}`);
    expect(done.status, done.errorMessage ?? '').toBe('DONE');

    // The queue drains: no job stuck locked or retried forever (a job is removed just after
    // its handler returns, so give the last one a moment).
    await waitFor(
      () => f.db.$queryRawUnsafe<{ task_identifier: string; attempts: number; locked_by: string | null }[]>('SELECT task_identifier, attempts, locked_by FROM graphile_worker.jobs'),
      (rows) => rows.length === 0, 30_000, 'the queue to drain',
    );
  });
});
