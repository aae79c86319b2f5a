import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel, getTrainingRun, updateModel, updateTrainingRun } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import { loadInspectionModel, disposeDcgan } from '@gansight/ml';
import type { JobQueue } from '../jobs/job-queue';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';
import { blobArtifactIO, artifactDir } from './blob-artifact-io';
import {
  queueTinyTraining, seedProduct, waitFor, settledModel, type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let stack: WorkerStack;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  worker = await stack.startWorker();
});

afterAll(() => stack?.dispose({ drain: true }));

describe('training job', () => {
  it('trains a queued model to READY, skipping corrupt images, with progress, samples and checkpoints', async () => {
    const { productId } = await seedProduct(f, { train: 12, validation: 8, corrupt: 2 });
    const { modelId, runId } = await queueTinyTraining(f, productId, { steps: 20, checkpointEvery: 10, sampleEvery: 10 });
    const mine: GansightEvent[] = [];
    const others: GansightEvent[] = [];
    subscriber.subscribe({ factoryId: f.factoryId, id: runId }, (e) => mine.push(e));
    subscriber.subscribe({ factoryId: f.otherFactoryId }, (e) => others.push(e));
    await queue.enqueueTraining({ factoryId: f.factoryId, modelId, runId });
    await queue.enqueueTraining({ factoryId: f.factoryId, modelId, runId }); // de-duplicated by its job key

    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, runId), (r) => r.status !== 'QUEUED' && r.status !== 'RUNNING', 180_000, `run ${runId} to end\n${worker!.output()}`);
    expect(run.status, worker!.output()).toBe('SUCCEEDED');
    expect(run.step).toBe(20);
    expect(run.checkpointStep).toBe(20);
    const model = await settledModel(f, modelId);
    expect(model.status, model.error ?? '').toBe('READY');
    expect(model.threshold).toEqual(expect.any(Number));
    const metrics = model.metrics as { training: { trainImages: number; skippedImages: { code: string }[] } };
    expect(metrics.training.trainImages).toBe(12);
    expect(metrics.training.skippedImages.map((s) => s.code)).toEqual(['BAD_IMAGE', 'BAD_IMAGE']);

    // The model card: the generator check (as many generated images as the 12 real ones) and the
    // sample grids saved while training, whose blobs a dashboard can show.
    const card = model.metrics as {
      generatorFrechet: number;
      generatorCheck: { frechetGeneratedVsQualified: number; tsne: { points: [number, number][]; source: string[] } };
      sampleGrids: { step: number; key: string }[];
    };
    expect(Number.isFinite(card.generatorFrechet) && card.generatorFrechet >= 0, String(card.generatorFrechet)).toBe(true);
    expect(card.generatorCheck.frechetGeneratedVsQualified).toBe(card.generatorFrechet);
    const { points, source } = card.generatorCheck.tsne;
    expect(source.filter((x) => x === 'generated')).toHaveLength(12);
    expect(source.filter((x) => x === 'real')).toHaveLength(12);
    expect(points).toHaveLength(source.length);
    for (const p of points) expect(p.every(Number.isFinite)).toBe(true);
    expect(card.sampleGrids.map((g) => g.step)).toEqual([10, 20]);
    for (const g of card.sampleGrids) {
      expect(g.key.startsWith(`factories/${f.factoryId}/`)).toBe(true);
      expect((await f.blobs.get(g.key)).subarray(1, 4).toString()).toBe('PNG');
    }

    // The stored model loads back with the size it was trained at.
    const stored = await loadInspectionModel(blobArtifactIO(f.blobs, artifactDir(model.generatorKey!)));
    expect(stored.dcgan.config).toMatchObject({ size: 32, channels: 1, nf: 8, zdim: 16 });
    expect(stored.calibration).not.toBeNull();
    disposeDcgan(stored.dcgan);

    await waitFor(async () => mine.some((e) => e.kind === 'training.completed'), Boolean, 10_000, 'completed event');
    const kinds = mine.map((e) => e.kind);
    expect(kinds[0]).toBe('training.started');
    expect(mine[0]!.data).toMatchObject({ skippedCount: 2, images: 12, fromStep: 0 });
    const samples = mine.filter((e) => e.kind === 'training.sample');
    expect(samples.map((e) => e.data.step)).toEqual([10, 20]);
    for (const s of samples) expect((await f.blobs.get(s.data.key as string)).subarray(1, 4).toString()).toBe('PNG');
    expect(mine.filter((e) => e.kind === 'training.checkpoint').map((e) => e.data.step)).toEqual([10, 20]);
    const progress = mine.filter((e) => e.kind === 'training.progress').map((e) => e.data.step as number);
    expect(progress.at(-1)).toBe(20);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(kinds.filter((k) => k === 'training.started')).toHaveLength(1); // trained once despite two enqueues
    expect(others).toEqual([]);
  });

  it('cancels a running training within seconds and marks the model CANCELLED', async () => {
    const { productId } = await seedProduct(f, { train: 6, validation: 0 });
    const { modelId, runId } = await queueTinyTraining(f, productId, { steps: 100000, checkpointEvery: 50 });
    await queue.enqueueTraining({ factoryId: f.factoryId, modelId, runId });
    await waitFor(() => getTrainingRun(f.db, f.factoryId, runId), (r) => r.step >= 3, 120_000, 'training to start');
    // What the API's cancelTraining does.
    const cancelledAt = Date.now();
    await updateTrainingRun(f.db, f.factoryId, runId, { status: 'CANCELLED', finishedAt: new Date() });
    await updateModel(f.db, f.factoryId, modelId, { status: 'CANCELLED' });
    const cancelledEvent = new Promise<GansightEvent>((resolve) =>
      subscriber.subscribe({ factoryId: f.factoryId, id: runId, kinds: ['training.cancelled'] }, resolve),
    );
    const event = await Promise.race([cancelledEvent, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(event, worker!.output()).not.toBeNull();
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    const stepAtCancel = (event!.data.step as number);
    await new Promise((r) => setTimeout(r, 500));
    const run = await getTrainingRun(f.db, f.factoryId, runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.step).toBeLessThanOrEqual(stepAtCancel); // it stopped training
    expect((await getModel(f.db, f.factoryId, modelId)).status).toBe('CANCELLED');
  });
});
