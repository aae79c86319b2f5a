// An API process stores a row, then queues its job: two statements. Killed between them
// (SIGKILL, an evicted pod), or refused by the queue after the row was written, it leaves a row
// that no job will ever run: an inspection QUEUED for good (and a closed lot holding it waits for
// it for good), a training run QUEUED for good (and its product refuses every later training as
// busy), an evaluation QUEUED for good (and its model refuses every later one), a closed lot never
// measured. Found by test/multi-process.test.ts's kill (issue 15); here the leftover rows are
// made directly, and the worker's sweep (ADR 0057, 0060) must queue them or end them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  activateModel, createEvaluation, createInspection, createLot, createModel, createTrainingRun, getEvaluation, getInspection, getLot,
  getModel, getTrainingRun, updateLot, updateModel,
} from '@gansight/db';
import { jobKey } from '@gansight/contracts';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';
import { addQualifiedImage, queueTinyTraining, seedProduct, settledModel, waitFor } from '../testing/worker-fixture';

let stack: WorkerStack;
let productId: string;
let modelId: string;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ productId } = await seedProduct(stack.f, { train: 10, validation: 8 }));
  await stack.startWorker();
});
afterAll(() => stack?.dispose());

async function jobsFor(key: string): Promise<number> {
  const client = new pg.Client({ connectionString: stack.f.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE key = $1', [key]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

const ended = (status: string) => status !== 'QUEUED' && status !== 'RUNNING';

// WORKER_STALE_AFTER_MS is 2 s here (worker-fixture.ts): a row older than that with no job was left behind.
describe('rows stored without their job', () => {
  it('a training run is queued by a worker and trained (its product is not left busy)', async () => {
    const { f } = stack;
    const job = await queueTinyTraining(f, productId, { steps: 10 });
    expect(await jobsFor(jobKey('train', job.runId))).toBe(0);
    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => ended(r.status), 180_000, `the orphaned run\n${stack.workers[0]!.output()}`);
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
    expect((await settledModel(f, job.modelId)).status).toBe('READY');
    expect(stack.workers[0]!.output()).toContain(`queued training run ${job.runId}, stored without a job`);
    modelId = job.modelId;
    await activateModel(f.db, f.factoryId, modelId);
  });

  it('an inspection is queued by a worker and inspected once', async () => {
    const { f } = stack;
    const imageId = await addQualifiedImage(f, productId, { split: 'VALIDATION', seed: 77 });
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId, idempotencyKey: 'cam-7-frame-1' });
    expect(await jobsFor(jobKey('inspect', inspection.id))).toBe(0);
    const started: string[] = [];
    const stop = stack.subscriber.subscribe({ factoryId: f.factoryId, id: inspection.id, kinds: ['inspection.started'] }, (e) => void started.push(e.kind));
    const done = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (i) => ended(i.status), 30_000, 'the orphaned inspection');
    expect(done.status).toBe('DONE');
    expect(done.verdict).not.toBeNull();
    // Once: a later sweep finds the row answered (and the API's own add, had it come late, is deduplicated by the job key).
    await new Promise((r) => setTimeout(r, 3000));
    stop();
    expect(started).toEqual(['inspection.started']);
    expect(stack.workers[0]!.output()).toContain(`queued inspection ${inspection.id}`);
  });

  it('an evaluation is queued by a worker and runs (no labelled TEST images here: it fails saying so)', async () => {
    const { f } = stack;
    const evaluation = await createEvaluation(f.db, f.factoryId, { modelId });
    const done = await waitFor(() => getEvaluation(f.db, f.factoryId, evaluation.id), (e) => ended(e.status), 60_000, 'the orphaned evaluation');
    expect(done).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^NO_TEST_IMAGES/) });
    expect(stack.workers[0]!.output()).toContain(`queued evaluation ${evaluation.id}, stored without a job`);
  });

  it('a closed lot is measured by a worker', async () => {
    const { f } = stack;
    const lot = await createLot(f.db, f.factoryId, { productId, name: 'L-orphan' });
    const keys: string[] = [];
    for (const seed of [81, 82, 83]) {
      const imageId = await addQualifiedImage(f, productId, { split: 'VALIDATION', seed });
      const { inspection } = await createInspection(f.db, f.factoryId, { imageId, lotId: lot.id });
      await stack.queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
      keys.push(jobKey('inspect', inspection.id));
    }
    // Their jobs gone from the queue: each has finished, past its check whether the lot is closed.
    await waitFor(async () => (await Promise.all(keys.map(jobsFor))).reduce((a, b) => a + b), (n) => n === 0, 60_000, 'the lot inspections');
    expect((await f.db.inspection.findMany({ where: { factoryId: f.factoryId, lotId: lot.id } })).map((i) => i.status)).toEqual(['DONE', 'DONE', 'DONE']);
    // closeLot's first statement, without its job.
    await updateLot(f.db, f.factoryId, lot.id, { status: 'CLOSED', closedAt: new Date() });
    const measured = await waitFor(() => getLot(f.db, f.factoryId, lot.id), (l) => l.measurementSettledAt !== null, 60_000, 'the lot measurement');
    expect(measured.frechetDistance).toEqual(expect.any(Number));
    expect(measured.modelId).toBe(modelId);
    expect(stack.workers[0]!.output()).toContain(`queued lot measurement ${lot.id}, stored without a job`);
  });

  it('a training run of a cancelled model is ended CANCELLED, not trained, with or without its job', async () => {
    const { f } = stack;
    // cancelTraining marks the model first; an API that stopped after it left the run QUEUED, its job removed or not.
    const cancelledRun = async () => {
      const model = await createModel(f.db, f.factoryId, { productId, hyperParameters: { steps: 10, batchSize: 8, nf: 8, latentDim: 16, seed: 7, learningRate: 0.0002, encoderSteps: 0 } });
      await updateModel(f.db, f.factoryId, model.id, { status: 'CANCELLED' });
      const run = await createTrainingRun(f.db, f.factoryId, { modelId: model.id, totalSteps: 10 });
      return { modelId: model.id, runId: run.id };
    };
    const jobless = await cancelledRun();
    const queued = await cancelledRun();
    await stack.queue.enqueueTraining({ factoryId: f.factoryId, ...queued });
    for (const job of [jobless, queued]) {
      const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => ended(r.status), 30_000, `run ${job.runId}`);
      expect(run.status).toBe('CANCELLED');
      const model = await getModel(f.db, f.factoryId, job.modelId);
      expect(model).toMatchObject({ status: 'CANCELLED', generatorKey: null });
    }
    expect(await getTrainingRun(f.db, f.factoryId, jobless.runId)).toMatchObject({ startedAt: null, error: expect.stringMatching(/^ORPHANED_RUN: .* is CANCELLED; it was not queued again/) });
    expect(stack.workers[0]!.output()).toContain(`ended training run ${jobless.runId} CANCELLED`);
  });
});
