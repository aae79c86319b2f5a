// Concurrent inspections of one model in one worker share an inversion: a worker running 4
// jobs at once gets 4 inspections; each is answered once, with its own scores and pictures,
// and the worker reports inverting several images together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspection, getInspection, getTrainingRun, listImages } from '@gansight/db';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import {
  createWorkerFixture, killAll, queueTinyTraining, seedProduct, settledModel, spawnWorker, waitFor, workerReady,
  type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let queue: JobQueue;
let worker: WorkerProcess;

beforeAll(async () => {
  f = await createWorkerFixture();
  queue = await createJobQueue({ connectionString: f.database.url });
});

afterAll(async () => {
  await killAll(worker ? [worker] : []);
  await queue?.release();
  await f?.dispose();
});

describe('batched inversion', () => {
  it('answers concurrent inspections of one model each once, inverting them together', async () => {
    const { productId } = await seedProduct(f, { train: 10, validation: 8 });
    // Enough iterations that the first inversion is still running when the other jobs have read
    // and decoded their images (with 60, a fast machine finished each before the next arrived).
    const job = await queueTinyTraining(f, productId, { steps: 10, inversionIterations: 400 });
    worker = spawnWorker(f, { WORKER_CONCURRENCY: '4' });
    await workerReady(worker);
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job });
    await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 240_000, 'training');
    expect((await settledModel(f, job.modelId)).status).toBe('READY');

    const images = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items.slice(0, 6);
    const ids: string[] = [];
    for (const image of images) ids.push((await createInspection(f.db, f.factoryId, { imageId: image.id, modelId: job.modelId })).inspection.id);
    for (const id of ids) await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: id });
    const done = await Promise.all(ids.map((id) =>
      waitFor(() => getInspection(f.db, f.factoryId, id), (i) => i.status === 'DONE' || i.status === 'FAILED', 180_000, `inspection ${id}`)));
    for (const d of done) {
      expect(d.status, d.errorMessage ?? '').toBe('DONE');
      expect(d.verdict).toMatch(/^(PASS|FAIL)$/);
      expect(d.reconstructionKey).toContain(d.id);
    }
    // Different images, different results: nobody got a neighbour's answer.
    expect(new Set(done.map((d) => d.reconstructionLoss)).size).toBe(done.length);
    const batches = [...worker.output().matchAll(/inverting (\d+) images of one model together/g)].map((m) => Number(m[1]));
    expect(batches.length, worker.output()).toBeGreaterThan(0);
    expect(Math.max(...batches)).toBeLessThanOrEqual(4);
  });
});
