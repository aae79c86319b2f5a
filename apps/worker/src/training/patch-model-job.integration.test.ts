// A product set to a patch model (ADR 0034) trains, calibrates, inspects and evaluates through
// the worker the way `gansight train --model patch` / `evaluate` do: the GAN on crops, the
// defect map phase with its progress, maps at each image's own resolution, baselines at 64 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvaluation, createInspection, createModel, createTrainingRun, getEvaluation, getInspection, getModel, getTrainingRun, listImages, updateProduct,
} from '@gansight/db';
import { decodeImage } from '@gansight/imaging';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import { loadInspectionModel } from '@gansight/ml';
import type { JobQueue } from '../jobs/job-queue';
import { artifactDir, blobArtifactIO } from './blob-artifact-io';
import { seedProduct, seedTestImages, settledModel, waitFor, type WorkerFixture } from '../testing/worker-fixture';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let stack: WorkerStack;
let productId: string;
let modelId: string;
const events: GansightEvent[] = [];

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  // 64-px images, 32-px tiles at full scale: 4 tiles per image, side by side.
  ({ productId } = await seedProduct(f, { train: 10, validation: 8, size: 64 }));
  await updateProduct(f.db, f.factoryId, productId, { modelSettings: { kind: 'patch', scale: 1, patchSize: 32, defectMap: true, flips: true } });
  // A preview at every inversion iteration: the live view of a patch inspection is checked below.
  const w = await stack.startWorker({ WORKER_PREVIEW_EVERY: '1' });
  const model = await createModel(f.db, f.factoryId, {
    productId,
    hyperParameters: { steps: 20, batchSize: 8, nf: 8, latentDim: 16, seed: 7, learningRate: 0.0002, encoderSteps: 10, defectMapSteps: 10, inversionIterations: 2, checkpointEvery: 10, sampleEvery: 10 },
  });
  const run = await createTrainingRun(f.db, f.factoryId, { modelId: model.id, totalSteps: 20 });
  modelId = model.id;
  subscriber.subscribe({ factoryId: f.factoryId, id: run.id }, (e) => events.push(e));
  await queue.enqueueTraining({ factoryId: f.factoryId, modelId, runId: run.id });
  const ended = await waitFor(() => getTrainingRun(f.db, f.factoryId, run.id), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 300_000, `training\n${w.output()}`);
  expect(ended.status, `${ended.error ?? ''}\n${w.output()}`).toBe('SUCCEEDED');
}, 400_000);

afterAll(() => stack?.dispose());

describe('a patch-model product in the worker', () => {
  it('trains a patch model with a defect map and reports every phase after the GAN', async () => {
    const model = await settledModel(f, modelId);
    expect(model.status, model.error ?? '').toBe('READY');
    const stored = await loadInspectionModel(blobArtifactIO(f.blobs, artifactDir(model.generatorKey!)));
    expect(stored.dcgan.config.size).toBe(32);
    expect(stored.patch).toMatchObject({ scale: 1, patch: 32, stride: 32, flips: true, defectMapFlips: true });
    expect(stored.patch!.defectMap?.config).toEqual({ inputChannels: 2, nf: 8 });
    expect(stored.calibration!.combineKinds).toContain('defectMap');
    // Inspections read images as the model was trained: the working scale is recorded on the model.
    expect((model.referenceStats as { imageFormat: { scale?: number; size: number } }).imageFormat).toMatchObject({ scale: 1, size: 32 });
    const phases = new Set(events.filter((e) => e.kind === 'training.phase').map((e) => e.data.phase));
    for (const p of ['encoder', 'defect-map', 'calibration']) expect(phases, [...phases].join()).toContain(p);
  });

  it('inspects an image into a verdict and a heat map at the image\'s own resolution', async () => {
    const image = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items[0]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId, idempotencyKey: 'patch-1' });
    const seen: GansightEvent[] = [];
    subscriber.subscribe({ factoryId: f.factoryId, id: inspection.id }, (e) => seen.push(e));
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => i.status === 'DONE' || i.status === 'FAILED', 120_000, `inspection\n${stack.workers[0]!.output()}`);
    expect(done.status, done.errorMessage ?? '').toBe('DONE');
    expect(done.verdict).toMatch(/^(PASS|FAIL)$/);
    const heat = await decodeImage(await f.blobs.get(done.residualKey!), { channels: 3 });
    const recon = await decodeImage(await f.blobs.get(done.reconstructionKey!), { channels: 1 });
    // 64 x 64, not the GAN's 32-px tile.
    expect([heat.width, heat.height, recon.width, recon.height]).toEqual([64, 64, 64, 64]);

    // Live progress as whole-image inspections give it: the image's loss at each of the 2
    // inversion iterations, and a preview of all its tiles blended at the image's resolution.
    await waitFor(async () => seen.map((e) => e.kind), (k) => k.includes('inspection.completed'), 10_000, 'events');
    const progress = seen.filter((e) => e.kind === 'inspection.progress').map((e) => e.data as { iteration: number; totalIterations: number; loss: number; previewKey?: string });
    expect(progress.map((p) => [p.iteration, p.totalIterations])).toEqual([[1, 2], [2, 2]]);
    for (const p of progress) expect(Number.isFinite(p.loss) && p.loss > 0, String(p.loss)).toBe(true);
    const preview = await decodeImage(await f.blobs.get(progress.at(-1)!.previewKey!), { channels: 1 });
    expect([preview.width, preview.height]).toEqual([64, 64]);
  });

  it('evaluates it on labelled test images with the baselines at 64 px beside it', async () => {
    await seedTestImages(f, productId, { good: 4, defects: { spot: 3 }, size: 64 });
    const model = await getModel(f.db, f.factoryId, modelId);
    const evaluation = await createEvaluation(f.db, f.factoryId, { modelId: model.id });
    await queue.enqueueEvaluation({ factoryId: f.factoryId, evaluationId: evaluation.id });
    const done = await waitFor(() => getEvaluation(f.db, f.factoryId, evaluation.id), (e) => e.status === 'SUCCEEDED' || e.status === 'FAILED', 180_000, `evaluation\n${stack.workers[0]!.output()}`);
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(Object.keys(done.baselines as object).sort()).toEqual(expect.arrayContaining(['gmm', 'lof', 'ocsvm']));
  });
});
