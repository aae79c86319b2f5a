import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspection, getInspection, getModel, getProduct, listImages, updateProduct } from '@gansight/db';
import { decodeImage } from '@gansight/imaging';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import type { JobQueue } from '../jobs/job-queue';
import { queueTinyTraining, seedProduct, waitFor, type WorkerFixture } from '../testing/worker-fixture';
import { createWorkerStack, trainReadyModel, type WorkerStack } from '../testing/worker-stack';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let modelId: string;
let productId: string;
let stack: WorkerStack;
const ITERATIONS = 40;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  ({ productId } = await seedProduct(f, { train: 10, validation: 8, corrupt: 1 }));
  // Previews every 10 of the model's 40 inversion iterations: the subscriber sees some.
  await stack.startWorker({ WORKER_PREVIEW_EVERY: '10' });
  modelId = await trainReadyModel(stack, await queueTinyTraining(f, productId, { steps: 20, inversionIterations: ITERATIONS }));
});

afterAll(() => stack?.dispose());

async function inspect(imageId: string, key: string) {
  const { inspection } = await createInspection(f.db, f.factoryId, { imageId, modelId, idempotencyKey: key });
  const events: GansightEvent[] = [];
  subscriber.subscribe({ factoryId: f.factoryId, id: inspection.id }, (e) => events.push(e));
  await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
  const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => i.status === 'DONE' || i.status === 'FAILED', 120_000, 'inspection');
  return { done, events };
}

describe('inspection job', () => {
  it('inverts an image with the stored model and writes scores, verdict and pictures once', async () => {
    const images = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items;
    const first = await inspect(images[0]!.id, 'first');
    expect(first.done.status, first.done.errorMessage ?? '').toBe('DONE');
    expect(first.done.verdict).toMatch(/^(PASS|FAIL)$/);
    expect(first.done.anomalyScore).toEqual(expect.any(Number));
    expect(first.done.threshold).toEqual(expect.any(Number));
    expect((await f.blobs.get(first.done.reconstructionKey!)).subarray(1, 4).toString()).toBe('PNG');
    expect((await f.blobs.get(first.done.residualKey!)).subarray(1, 4).toString()).toBe('PNG');
    await waitFor(async () => first.events.map((e) => e.kind), (k) => k.includes('inspection.completed'), 10_000, 'events');
    expect(first.events.at(-1)!.data.verdict).toBe(first.done.verdict);

    // Live inversion progress: this image's loss at increasing iterations, the last one
    // included, and previews of the reconstruction so far that a subscriber can fetch.
    const progress = first.events.filter((e) => e.kind === 'inspection.progress').map((e) => e.data as {
      iteration: number; totalIterations: number; loss: number; previewKey?: string;
    });
    expect(progress.length).toBeGreaterThan(1);
    const iterations = progress.map((p) => p.iteration);
    iterations.slice(1).forEach((it, k) => expect(it).toBeGreaterThan(iterations[k]!));
    expect(iterations.at(-1)).toBe(ITERATIONS);
    expect(new Set(progress.map((p) => p.totalIterations))).toEqual(new Set([ITERATIONS]));
    for (const p of progress) expect(Number.isFinite(p.loss) && p.loss > 0, String(p.loss)).toBe(true);
    // The last event names the last preview (iteration 40), stored in the inspection's folder.
    const finalPreview = progress.at(-1)!.previewKey!;
    expect(finalPreview).toMatch(new RegExp(`^factories/${f.factoryId}/inspections/${first.done.id}/preview-0+40\\.png$`));
    const size = (await getProduct(f.db, f.factoryId, productId)).imageSize;
    for (const key of new Set(progress.flatMap((p) => (p.previewKey ? [p.previewKey] : [])))) {
      const png = await decodeImage(await f.blobs.get(key));
      expect([png.width, png.height]).toEqual([size, size]);
    }

    // The second inspection with the same model takes it from the worker's cache.
    const second = await inspect(images[1]!.id, 'second');
    expect(second.done.status).toBe('DONE');
    const load = (i: typeof first.done) => (i.timings as { modelLoadMs: number }).modelLoadMs;
    expect(load(second.done)).toBeLessThan(load(first.done));
  });

  it('fails an unreadable image with BAD_IMAGE', async () => {
    const broken = (await listImages(f.db, f.factoryId, { productId, split: 'TRAIN' })).items.find((i) => i.blobKey.includes('-1000.'))!;
    const { done, events } = await inspect(broken.id, 'broken');
    expect(done.status).toBe('FAILED');
    expect(done.errorCode).toBe('BAD_IMAGE');
    expect(done.verdict).toBeNull();
    await waitFor(async () => events.some((e) => e.kind === 'inspection.failed'), Boolean, 10_000, 'failed event');
  });

  it('inspects in the format the model was trained with after the product is edited', async () => {
    const product = await getProduct(f.db, f.factoryId, productId);
    const model = await getModel(f.db, f.factoryId, modelId);
    expect((model.referenceStats as { imageFormat: unknown }).imageFormat).toEqual({
      size: product.imageSize, channels: 1, mode: 'resize', intensity: 'raw',
    });
    // A new size and preprocessing apply to the next model; this one keeps its own.
    await updateProduct(f.db, f.factoryId, productId, { imageSize: product.imageSize / 2, preprocessing: { mode: 'pad', intensity: 'per-image' } });
    const images = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items;
    const { done } = await inspect(images[2]!.id, 'after-edit');
    expect(done.status, done.errorMessage ?? '').toBe('DONE');
    const reconstruction = await decodeImage(await f.blobs.get(done.reconstructionKey!));
    expect(reconstruction.width).toBe(product.imageSize);
  });
});
