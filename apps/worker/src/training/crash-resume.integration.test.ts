// Faults of issue 5: a worker killed with SIGKILL mid-training, and a worker drained with SIGTERM.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTrainingRun, type Model } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import { allVariables, disposeDcgan, loadInspectionModel } from '@gansight/ml';
import type { JobQueue } from '../jobs/job-queue';
import { artifactDir, blobArtifactIO } from './blob-artifact-io';
import { queueTinyTraining, seedProduct, waitFor, settledModel, type WorkerFixture, type WorkerProcess } from '../testing/worker-fixture';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let productId: string;
let stack: WorkerStack;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  ({ productId } = await seedProduct(f, { train: 12, validation: 8 }));
});

// A failed test must not leave its workers to take the next test's jobs.
afterEach(() => stack.killWorkers());

afterAll(() => stack?.dispose());

function record(runId: string): GansightEvent[] {
  const seen: GansightEvent[] = [];
  subscriber.subscribe({ factoryId: f.factoryId, id: runId }, (e) => seen.push(e));
  return seen;
}

async function finished(runId: string, w: () => string) {
  return waitFor(() => getTrainingRun(f.db, f.factoryId, runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 240_000, `run ${runId}\n${w()}`);
}

const STEPS = 60;
let reference: Promise<{ modelId: string; runId: string }> | undefined;

/** The tiny training run to the end without interruption (once per file): what interrupted ones must equal. */
function uninterrupted(w: WorkerProcess) {
  return (reference ??= (async () => {
    const ref = await queueTinyTraining(f, productId, { steps: STEPS, checkpointEvery: 10 });
    await queue.enqueueTraining({ factoryId: f.factoryId, ...ref });
    const run = await finished(ref.runId, w.output);
    expect(run.status, w.output()).toBe('SUCCEEDED');
    return ref;
  })());
}

/** The two runs' models have the same weights, and their runs the same losses at the steps both recorded. */
async function expectSameTraining(a: { modelId: string; runId: string }, b: { modelId: string; runId: string }) {
  const [ma, mb] = await Promise.all([settledModel(f, a.modelId), settledModel(f, b.modelId)]);
  expect(mb.status).toBe('READY');
  const [wa, wb] = await Promise.all([weights(ma), weights(mb)]);
  expect(wb.length).toBe(wa.length);
  let maxDiff = 0;
  wa.forEach((t, i) => t.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - wb[i]![k]!)))));
  expect(maxDiff).toBeLessThan(1e-4);
  type Loss = { step: number; d: number; g: number };
  const [la, lb] = await Promise.all([a.runId, b.runId].map(async (id) => (await getTrainingRun(f.db, f.factoryId, id)).losses as Loss[]));
  const byStep = new Map(la!.map((l) => [l.step, l]));
  const common = lb!.filter((l) => byStep.has(l.step));
  expect(common.map((l) => l.step)).toContain(STEPS);
  for (const l of common) {
    expect(l.d).toBeCloseTo(byStep.get(l.step)!.d, 4);
    expect(l.g).toBeCloseTo(byStep.get(l.step)!.g, 4);
  }
}

async function weights(model: Model): Promise<Float32Array[]> {
  const m = await loadInspectionModel(blobArtifactIO(f.blobs, artifactDir(model.generatorKey!)));
  const values = allVariables(m.dcgan).map((v) => v.dataSync() as Float32Array);
  disposeDcgan(m.dcgan);
  return values;
}

describe('worker faults during training', () => {
  it('a worker killed with SIGKILL mid-training: a restarted worker resumes from the last checkpoint to the same model', async () => {
    const first = await stack.startWorker();
    const reference = await uninterrupted(first);

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

    const second = await stack.startWorker();
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
    await expectSameTraining(reference, crashed);
    await stack.killWorkers();
  });

  it('SIGTERM drains: the training checkpoints the step it was on, the process exits, and the next worker resumes there to the same model', async () => {
    const w = await stack.startWorker();
    const reference = await uninterrupted(w);
    // No scheduled checkpoint before the end: any earlier one is the drain's.
    const run0 = await queueTinyTraining(f, productId, { steps: STEPS, checkpointEvery: 1000 });
    const events = record(run0.runId);
    await queue.enqueueTraining({ factoryId: f.factoryId, ...run0 });
    await waitFor(() => getTrainingRun(f.db, f.factoryId, run0.runId), (r) => r.step >= 5, 120_000, 'training to run');
    const sentAt = Date.now();
    w.child.kill('SIGTERM');
    const exit = await w.exited;
    expect(exit.code, w.output()).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(20_000);
    expect(w.output()).toMatch(/drained, exiting/);
    const drained = await getTrainingRun(f.db, f.factoryId, run0.runId);
    expect(drained.status).toBe('QUEUED');
    const at = drained.checkpointStep!;
    expect(at).toBeGreaterThanOrEqual(5);
    expect(at).toBeLessThan(STEPS);
    // The checkpoint is the last step the worker completed and reported: no step after it.
    expect(drained.step).toBe(at);
    expect((drained.losses as { step: number }[]).at(-1)!.step).toBe(at);
    const before = events.filter((e) => e.kind === 'training.progress').map((e) => e.data.step as number);
    expect(Math.max(...before)).toBe(at);
    expect(events.filter((e) => e.kind === 'training.checkpoint').map((e) => e.data.step)).toEqual([at]);

    const next = await stack.startWorker();
    const run = await finished(run0.runId, next.output);
    expect(run.status, next.output()).toBe('SUCCEEDED');
    const starts = events.filter((e) => e.kind === 'training.started');
    expect(starts.map((e) => e.data.fromStep)).toEqual([0, at]);
    const completed = (await waitFor(async () => events.find((e) => e.kind === 'training.completed'), Boolean, 10_000, 'training.completed event'))!;
    expect(completed.data).toMatchObject({ fromStep: at, stepsThisAttempt: STEPS - at, status: 'READY' });
    // Resumed exactly there: the same weights and the same losses as the uninterrupted run.
    await expectSameTraining(reference, run0);
  });
});
