// Fault of issue 5: a worker killed with SIGKILL in the middle of an inspection; the
// inspection is retried by another worker and completes exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspection, getInspection, getTrainingRun, listImages } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import type { JobQueue } from '../jobs/job-queue';
import { queueTinyTraining, seedProduct, settledModel, waitFor, type WorkerFixture } from '../testing/worker-fixture';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let stack: WorkerStack;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
});

afterAll(() => stack?.dispose());

describe('worker killed during an inspection', () => {
  it('is retried by another worker and completes exactly once', async () => {
    const { productId } = await seedProduct(f, { train: 10, validation: 8 });
    // Many inversion iterations make one inspection last long enough to be interrupted.
    const job = await queueTinyTraining(f, productId, { steps: 10, inversionIterations: 800 });
    const first = await stack.startWorker();
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job });
    await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 300_000, 'training');
    expect((await settledModel(f, job.modelId)).status).toBe('READY');

    const image = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items[0]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId: job.modelId });
    const events: GansightEvent[] = [];
    subscriber.subscribe({ factoryId: f.factoryId, id: inspection.id }, (e) => events.push(e));
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    await waitFor(async () => events.some((e) => e.kind === 'inspection.started'), Boolean, 60_000, 'inspection start');
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await getInspection(f.db, f.factoryId, inspection.id)).status).toBe('RUNNING');

    await stack.startWorker();
    const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => i.status === 'DONE' || i.status === 'FAILED', 300_000, 'inspection');
    expect(done.status, done.errorMessage ?? '').toBe('DONE');
    expect(done.verdict).toMatch(/^(PASS|FAIL)$/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(events.filter((e) => e.kind === 'inspection.started').map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(events.filter((e) => e.kind === 'inspection.completed')).toHaveLength(1);
  });
});
