// An API process stores an Inspection row, then queues its job: two statements. Killed between
// them (SIGKILL, an evicted pod), or refused by the queue after the row was written, it leaves a
// QUEUED row that no job will ever run: the inspection stays QUEUED for good, and a closed lot
// holding it waits for it for good (lot-job.ts measures only once none is pending). Found by
// test/multi-process.test.ts's kill (issue 15); here that leftover row is made directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { activateModel, createInspection, getInspection } from '@gansight/db';
import { jobKey } from '@gansight/contracts';
import { createWorkerStack, trainReadyModel, type WorkerStack } from '../testing/worker-stack';
import { addQualifiedImage, queueTinyTraining, seedProduct, waitFor } from '../testing/worker-fixture';

let stack: WorkerStack;
let productId: string;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ productId } = await seedProduct(stack.f, { train: 10, validation: 8 }));
  await stack.startWorker();
  const modelId = await trainReadyModel(stack, await queueTinyTraining(stack.f, productId, { steps: 10 }));
  await activateModel(stack.f.db, stack.f.factoryId, modelId);
});
afterAll(() => stack?.dispose());

async function jobsFor(inspectionId: string): Promise<number> {
  const client = new pg.Client({ connectionString: stack.f.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE key = $1 OR payload->>'inspectionId' = $2", [jobKey('inspect', inspectionId), inspectionId]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe('an inspection stored without its job', () => {
  it('is queued by a worker once it has waited longer than a request can take, and inspected once', async () => {
    const { f } = stack;
    const imageId = await addQualifiedImage(f, productId, { split: 'VALIDATION', seed: 77 });
    // The row as the API writes it, with no job behind it (the process died before add_job).
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId, idempotencyKey: 'cam-7-frame-1' });
    expect(await jobsFor(inspection.id)).toBe(0);
    const started: string[] = [];
    const stop = stack.subscriber.subscribe({ factoryId: f.factoryId, id: inspection.id, kinds: ['inspection.started'] }, (e) => void started.push(e.kind));
    // WORKER_STALE_AFTER_MS is 2 s here (worker-fixture.ts): a row older than that with no job is left behind.
    const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => i.status === 'DONE' || i.status === 'FAILED', 30_000, 'the orphaned inspection');
    expect(done.status).toBe('DONE');
    expect(done.verdict).not.toBeNull();
    // Once: a later sweep finds the row answered (and the API's own add, had it come late, is deduplicated by the job key).
    await new Promise((r) => setTimeout(r, 3000));
    stop();
    expect(started).toEqual(['inspection.started']);
    expect(stack.workers[0]!.output()).toContain(`queued inspection ${inspection.id}`);
  });
});
