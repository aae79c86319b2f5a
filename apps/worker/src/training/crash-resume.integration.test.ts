// Faults of issue 5: a worker killed with SIGKILL mid-training, and a worker drained with SIGTERM.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTrainingRun, updateTrainingRun, type Model } from '@gansight/db';
import { createEventSubscriber, type EventSubscriber, type GansightEvent } from '@gansight/events';
import { allVariables, disposeDcgan, loadInspectionModel } from '@gansight/ml';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import { artifactDir, blobArtifactIO } from './blob-artifact-io';
import {
  createWorkerFixture, queueTinyTraining, seedProduct, spawnWorker, waitFor, workerReady, killAll, settledModel, type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let productId: string;
const workers: WorkerProcess[] = [];

async function startWorker(): Promise<WorkerProcess> {
  const w = spawnWorker(f);
  workers.push(w);
  await workerReady(w);
  return w;
}

beforeAll(async () => {
  f = await createWorkerFixture();
  queue = await createJobQueue({ connectionString: f.database.url });
  subscriber = createEventSubscriber({ connectionString: f.database.url });
  await subscriber.ready();
  ({ productId } = await seedProduct(f, { train: 12, validation: 8 }));
});

// A failed test must not leave its workers to take the next test's jobs.
afterEach(() => killAll(workers));

afterAll(async () => {
  await killAll(workers);
  await subscriber?.close();
  await queue?.release();
  await f?.dispose();
});

function record(runId: string): GansightEvent[] {
  const seen: GansightEvent[] = [];
  subscriber.subscribe({ factoryId: f.factoryId, id: runId }, (e) => seen.push(e));
  return seen;
}

async function finished(runId: string, w: () => string) {
  return waitFor(() => getTrainingRun(f.db, f.factoryId, runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 240_000, `run ${runId}\n${w()}`);
}

async function weights(model: Model): Promise<Float32Array[]> {
  const m = await loadInspectionModel(blobArtifactIO(f.blobs, artifactDir(model.generatorKey!)));
  const values = allVariables(m.dcgan).map((v) => v.dataSync() as Float32Array);
  disposeDcgan(m.dcgan);
  return values;
}

describe('worker faults during training', () => {
  it('a worker killed with SIGKILL mid-training: a restarted worker resumes from the last checkpoint to the same model', async () => {
    const STEPS = 60;
    // The same training, uninterrupted, is the reference the resumed one must equal.
    const reference = await queueTinyTraining(f, productId, { steps: STEPS, checkpointEvery: 10 });
    const first = await startWorker();
    await queue.enqueueTraining({ factoryId: f.factoryId, ...reference });
    await finished(reference.runId, first.output);

    const crashed = await queueTinyTraining(f, productId, { steps: STEPS, checkpointEvery: 10 });
    const events = record(crashed.runId);
    await queue.enqueueTraining({ factoryId: f.factoryId, ...crashed });
    // Kill it after a checkpoint, with steps trained since that the crash throws away.
    await waitFor(() => getTrainingRun(f.db, f.factoryId, crashed.runId), (r) => (r.checkpointStep ?? 0) >= 20 && r.step >= (r.checkpointStep ?? 0) + 3, 120_000, 'a checkpoint and steps after it');
    first.child.kill('SIGKILL');
    await first.exited;
    const atCrash = await getTrainingRun(f.db, f.factoryId, crashed.runId);
    expect(atCrash.status).toBe('RUNNING');
    const checkpointStep = atCrash.checkpointStep!;

    const second = await startWorker();
    const run = await finished(crashed.runId, second.output);
    expect(run.status, second.output()).toBe('SUCCEEDED');
    expect(run.step).toBe(STEPS);
    const starts = events.filter((e) => e.kind === 'training.started');
    expect(starts.map((e) => e.data.fromStep)).toEqual([0, checkpointStep]);
    // The event follows the run's row by a NOTIFY round trip.
    const completed = (await waitFor(async () => events.find((e) => e.kind === 'training.completed'), Boolean, 10_000, 'training.completed event'))!;
    expect(completed.data).toMatchObject({ fromStep: checkpointStep, stepsThisAttempt: STEPS - checkpointStep, status: 'READY' });
    // Every step after the resume point was trained exactly once by the second worker.
    const resumedProgress = events.slice(events.indexOf(starts[1]!)).filter((e) => e.kind === 'training.progress').map((e) => e.data.step as number);
    expect(Math.min(...resumedProgress)).toBeGreaterThan(checkpointStep);
    expect(new Set(resumedProgress).size).toBe(resumedProgress.length);

    // Nothing trained twice or lost: the weights equal those of the uninterrupted run.
    const [a, b] = await Promise.all([settledModel(f, reference.modelId), settledModel(f, crashed.modelId)]);
    expect(b.status).toBe('READY');
    const [wa, wb] = await Promise.all([weights(a), weights(b)]);
    expect(wb.length).toBe(wa.length);
    let maxDiff = 0;
    wa.forEach((t, i) => t.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - wb[i]![k]!)))));
    expect(maxDiff).toBeLessThan(1e-4);
    await killAll(workers);
  });

  it('SIGTERM drains: the training checkpoints at once, the process exits, and the next worker resumes there', async () => {
    const run0 = await queueTinyTraining(f, productId, { steps: 100_000, checkpointEvery: 10_000 });
    const events = record(run0.runId);
    const w = await startWorker();
    await queue.enqueueTraining({ factoryId: f.factoryId, ...run0 });
    await waitFor(() => getTrainingRun(f.db, f.factoryId, run0.runId), (r) => r.step >= 5, 120_000, 'training to run');
    const sentAt = Date.now();
    w.child.kill('SIGTERM');
    const exit = await w.exited;
    expect(exit.code, w.output()).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(20_000);
    const drained = await getTrainingRun(f.db, f.factoryId, run0.runId);
    expect(drained.status).toBe('QUEUED');
    expect(drained.checkpointStep).toBeGreaterThanOrEqual(5);
    expect(drained.checkpointStep).toBeLessThan(10_000); // a drain checkpoint, not a scheduled one
    expect(drained.step).toBe(drained.checkpointStep);
    expect(w.output()).toMatch(/drained, exiting/);

    const next = await startWorker();
    await waitFor(async () => events.filter((e) => e.kind === 'training.started').length, (n) => n >= 2, 120_000, `resume\n${next.output()}`);
    const resumed = events.filter((e) => e.kind === 'training.started')[1]!;
    expect(resumed.data.fromStep).toBe(drained.checkpointStep);
    await updateTrainingRun(f.db, f.factoryId, run0.runId, { status: 'CANCELLED', finishedAt: new Date() });
    await waitFor(async () => events.some((e) => e.kind === 'training.cancelled'), Boolean, 20_000, 'cancel');
  });
});
