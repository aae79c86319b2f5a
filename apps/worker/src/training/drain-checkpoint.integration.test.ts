// The drain checkpoint, step by step and in process (real PostgreSQL and blob store): where a
// SIGTERM lands cannot be chosen from outside a worker process, so here the drain is requested
// from inside the job's own event callbacks, at known steps. crash-resume.integration.test.ts
// checks the same through a real SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel, getProduct, getTrainingRun } from '@gansight/db';
import { createEventPublisher, type EventPublisher } from '@gansight/events';
import type { FloatImage } from '@gansight/imaging';
import { allVariables, disposeDcgan, selectBackend } from '@gansight/ml';
import { createWorkerFixture, queueTinyTraining, seedProduct, type WorkerFixture } from '../testing/worker-fixture';
import type { WorkerContext } from '../worker-context';
import { loadQualifiedImages } from './load-training-images';
import { loadRunCheckpoint } from './run-checkpoints';
import { trainWithProgress, type TrainAttempt } from './train-with-progress';
import { trainingSettings, type TrainingSettings } from './training-settings';

const STEPS = 12;
let f: WorkerFixture;
let events: EventPublisher;
let ctx: WorkerContext;
let productId: string;
let images: FloatImage[];

beforeAll(async () => {
  await selectBackend('wasm');
  f = await createWorkerFixture();
  events = createEventPublisher({ connectionString: f.database.url });
  ctx = {
    db: f.db, blobs: f.blobs, events, log: () => undefined, workerNodeId: 'in-process', concurrency: 1, batchWindowMs: 0, previewEvery: 0, backend: 'wasm',
    drain: new AbortController().signal,
    // Every step reported, so the rows' loss curves can be compared step by step.
    timing: { progressIntervalMs: 0, cancelPollMs: 60_000 },
  };
  ({ productId } = await seedProduct(f, { train: 12, validation: 0 }));
});

afterAll(async () => {
  await events?.close();
  await f?.dispose();
});

/** A fresh QUEUED run of the tiny model, with its settings. */
async function newRun(): Promise<{ runId: string; s: TrainingSettings }> {
  const { modelId, runId } = await queueTinyTraining(f, productId, { steps: STEPS, checkpointEvery: 5, sampleEvery: 100 });
  const [model, product, run] = await Promise.all([getModel(f.db, f.factoryId, modelId), getProduct(f.db, f.factoryId, productId), getTrainingRun(f.db, f.factoryId, runId)]);
  const s = trainingSettings(product, model, run);
  images ??= (await loadQualifiedImages(ctx, f.factoryId, productId, 'TRAIN', s)).images;
  return { runId, s };
}

interface Seen { kind: string; step: number }

/** One attempt from the run's last checkpoint; `drainAt` decides, per event, whether to drain now. */
async function attempt(runId: string, s: TrainingSettings, drainAt: (e: Seen) => boolean = () => false) {
  const run = await getTrainingRun(f.db, f.factoryId, runId);
  const stop = new AbortController();
  const seen: Seen[] = [];
  const outcome: TrainAttempt = await trainWithProgress(ctx, run, s, images, await loadRunCheckpoint(ctx, run), {
    drain: stop.signal,
    emit: async (kind, data) => {
      const e = { kind, step: data.step as number };
      seen.push(e);
      if (drainAt(e)) stop.abort();
    },
    extra: { runId },
  });
  const steps = (kind: string) => seen.filter((e) => e.kind === kind).map((e) => e.step);
  return { outcome, progress: steps('training.progress'), checkpoints: steps('training.checkpoint') };
}

const weightsOf = (a: TrainAttempt) => allVariables(a.dcgan).map((v) => v.dataSync() as Float32Array);
const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((t, i) => Math.max(...t.map((v, k) => Math.abs(v - b[i]![k]!)))));
const lossesOf = async (runId: string) => (await getTrainingRun(f.db, f.factoryId, runId)).losses as { step: number; d: number; g: number }[];

describe('drain during training', () => {
  it('checkpoints the last completed step, trains no step more, and resumes to the uninterrupted result', async () => {
    const whole = await newRun();
    const reference = await attempt(whole.runId, whole.s);
    expect(reference.outcome).toMatchObject({ stopped: null, lastStep: STEPS });

    const drained = await newRun();
    // Drained while the scheduled step-5 checkpoint is being announced (its save already done):
    // the old drain trained step 6 and checkpointed again there.
    const first = await attempt(drained.runId, drained.s, (e) => e.kind === 'training.checkpoint' && e.step === 5);
    expect(first.outcome).toMatchObject({ stopped: 'draining', lastStep: 5, stepsThisAttempt: 5 });
    expect(first.checkpoints).toEqual([5]);
    expect(Math.max(...first.progress)).toBe(5);
    const afterFirst = await getTrainingRun(f.db, f.factoryId, drained.runId);
    expect([afterFirst.checkpointStep, afterFirst.step]).toEqual([5, 5]);
    disposeDcgan(first.outcome.dcgan);

    // Resumed, then drained while step 8 (not a scheduled one) reports progress: step 8 is saved.
    const second = await attempt(drained.runId, drained.s, (e) => e.kind === 'training.progress' && e.step === 8);
    expect(second.outcome).toMatchObject({ stopped: 'draining', fromStep: 5, lastStep: 8, stepsThisAttempt: 3 });
    expect(second.progress).toEqual([6, 7, 8]);
    expect(second.checkpoints).toEqual([8]);
    expect((await getTrainingRun(f.db, f.factoryId, drained.runId)).checkpointStep).toBe(8);
    disposeDcgan(second.outcome.dcgan);

    const last = await attempt(drained.runId, drained.s);
    expect(last.outcome).toMatchObject({ stopped: null, fromStep: 8, lastStep: STEPS, stepsThisAttempt: STEPS - 8 });
    expect(last.progress).toEqual([9, 10, 11, 12]);
    // Same weights and the same loss at every step as the run that was never interrupted.
    expect(maxDiff(weightsOf(reference.outcome), weightsOf(last.outcome))).toBeLessThan(1e-6);
    const [lossA, lossB] = await Promise.all([lossesOf(whole.runId), lossesOf(drained.runId)]);
    expect(lossB.map((l) => l.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(lossB.map((l) => l.step)).toEqual(lossA.map((l) => l.step));
    lossA.forEach((l, i) => {
      expect(lossB[i]!.d).toBeCloseTo(l.d, 6);
      expect(lossB[i]!.g).toBeCloseTo(l.g, 6);
    });
    [reference, last].forEach((a) => disposeDcgan(a.outcome.dcgan));
  });
});
