// The `lot` task: a lot closed while its inspections are still queued is measured once, when
// the last of them finishes, against the model's qualified reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspection, createLot, getLot, getModel, listImages, updateLot } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import { calibrationGaussian, loadInspectionModel, lotFrechetDistance } from '@gansight/ml';
import type { JobQueue } from '../jobs/job-queue';
import { queueTinyTraining, seedProduct, waitFor, type WorkerFixture, type WorkerProcess } from '../testing/worker-fixture';
import { createWorkerStack, trainReadyModel, type WorkerStack } from '../testing/worker-stack';
import { artifactDir, blobArtifactIO } from '../training/blob-artifact-io';
import { latentKey, readLatent } from './inspection-latents';

let f: WorkerFixture;
let queue: JobQueue;
let modelId: string;
let productId: string;
let worker: WorkerProcess;
let subscriber: EventSubscriber;
let stack: WorkerStack;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  ({ productId } = await seedProduct(f, { train: 10, validation: 8 }));
  worker = await stack.startWorker();
  modelId = await trainReadyModel(stack, await queueTinyTraining(f, productId, { steps: 10 }));
});

afterAll(() => stack?.dispose());

describe('lot job', () => {
  it('waits for pending inspections of a closed lot, then stores its Frechet distance once', async () => {
    const lot = await createLot(f.db, f.factoryId, { productId, name: 'Lot 1' });
    const events: GansightEvent[] = [];
    subscriber.subscribe({ factoryId: f.factoryId, topic: 'lot' }, (e) => events.push(e));
    const images = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items.slice(0, 4);
    const inspections = [];
    for (const image of images) inspections.push((await createInspection(f.db, f.factoryId, { imageId: image.id, modelId, lotId: lot.id })).inspection);

    // Closed (as closeLot does) while all four are still queued: the measurement must wait.
    await updateLot(f.db, f.factoryId, lot.id, { status: 'CLOSED', closedAt: new Date() });
    await queue.enqueueLot({ factoryId: f.factoryId, lotId: lot.id });
    await waitFor(async () => worker.output(), (out) => out.includes(`[lot] ${lot.id}: 4 inspection(s) pending`), 60_000, 'lot job to see pending inspections');
    expect((await getLot(f.db, f.factoryId, lot.id)).frechetDistance).toBeNull();

    for (const i of inspections) await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: i.id });
    const measured = await waitFor(() => getLot(f.db, f.factoryId, lot.id), (l) => l.frechetDistance !== null, 120_000, 'lot measurement');
    expect(measured).toMatchObject({ modelId, imageCount: 4, status: 'CLOSED' });
    expect(measured.passCount + measured.failCount).toBe(4);

    // The same figure from the stored latents and the model's reference, computed here.
    const model = await getModel(f.db, f.factoryId, modelId);
    const loaded = await loadInspectionModel(blobArtifactIO(f.blobs, artifactDir(model.generatorKey!)));
    const latents = await Promise.all(inspections.map((i) => readLatent(f.blobs, latentKey(f.factoryId, i.id))));
    expect(latents.every((z) => z !== null && z.length === 16)).toBe(true);
    expect(measured.frechetDistance).toBeCloseTo(lotFrechetDistance(latents as Float32Array[], calibrationGaussian(loaded.calibration!)), 6);

    // Measured once, though every finishing inspection of the closed lot queued the job.
    await new Promise((r) => setTimeout(r, 1500));
    expect(worker.output().split('\n').filter((l) => l.includes(`[lot] ${lot.id}: Frechet distance`))).toHaveLength(1);
    expect((await getLot(f.db, f.factoryId, lot.id)).frechetDistance).toBe(measured.frechetDistance);
    // Subscribers hear of it once, with the stored figure.
    expect(events.map((e) => [e.kind, e.id])).toEqual([['lot.measured', lot.id]]);
    expect(events[0]!.data).toMatchObject({ modelId, frechetDistance: measured.frechetDistance, imageCount: 4 });
  });

  it('leaves a lot of another factory alone', async () => {
    const lot = await createLot(f.db, f.factoryId, { productId, name: 'Lot 2' });
    await updateLot(f.db, f.factoryId, lot.id, { status: 'CLOSED', closedAt: new Date() });
    await queue.add('lot', { factoryId: f.otherFactoryId, lotId: lot.id });
    await waitFor(async () => worker.output(), (out) => out.includes(`[lot] ${lot.id}: not measured: NOT_FOUND`), 60_000, 'foreign lot job');
    expect(await getLot(f.db, f.factoryId, lot.id)).toMatchObject({ frechetDistance: null, imageCount: 0 });
  });
});
