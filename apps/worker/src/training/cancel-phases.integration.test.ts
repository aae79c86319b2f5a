// Cancelling a training run reaches it in every phase after the GAN (encoder, calibration,
// generator check), not only between GAN steps, and frees the worker for the next run (issue
// 13, item 8). A real worker process; the cancel is what the API's cancelTraining writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, createTrainingRun, getModel, getTrainingRun, updateModel, updateTrainingRun } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import type { JobQueue } from '../jobs/job-queue';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';
import { seedProduct, waitFor, type WorkerFixture, type WorkerProcess } from '../testing/worker-fixture';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let stack: WorkerStack;
let worker: WorkerProcess;
let productId: string;
const events: GansightEvent[] = [];

/** Generous for a loaded machine; before, a cancelled run went on through every phase (minutes on real data). */
const CANCEL_WITHIN_MS = 10_000;

async function queueRun(hyper: { encoderSteps: number; inversionIterations: number }) {
  const model = await createModel(f.db, f.factoryId, {
    productId,
    hyperParameters: { steps: 4, batchSize: 8, nf: 8, latentDim: 16, seed: 5, checkpointEvery: 4, sampleEvery: 4, ...hyper },
  });
  const run = await createTrainingRun(f.db, f.factoryId, { modelId: model.id, totalSteps: 4 });
  await queue.enqueueTraining({ factoryId: f.factoryId, modelId: model.id, runId: run.id });
  return { modelId: model.id, runId: run.id };
}

const ofRun = (runId: string) => events.filter((e) => e.id === runId);

/** Waits for the run's first `training.phase` event of `phase`, cancels as the API does, and measures the stop. */
async function cancelIn(phase: string, run: { modelId: string; runId: string }) {
  await waitFor(async () => ofRun(run.runId).some((e) => e.kind === 'training.phase' && e.data.phase === phase), Boolean, 240_000, `${phase} phase\n${worker.output()}`);
  const cancelledAt = Date.now();
  await updateTrainingRun(f.db, f.factoryId, run.runId, { status: 'CANCELLED', finishedAt: new Date() });
  await updateModel(f.db, f.factoryId, run.modelId, { status: 'CANCELLED' });
  const stopped = await waitFor(async () => ofRun(run.runId).find((e) => e.kind === 'training.cancelled'), Boolean, 120_000, `cancelled event\n${worker.output()}`);
  const tookMs = Date.now() - cancelledAt;
  // Anything the run published after its cancelled event would be work done after the stop.
  await new Promise((r) => setTimeout(r, 300));
  const after = ofRun(run.runId).slice(ofRun(run.runId).indexOf(stopped!) + 1);
  return { tookMs, stopped: stopped!, after };
}

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  subscriber.subscribe({ factoryId: f.factoryId, topic: 'training' }, (e) => void events.push(e));
  // 40 training images (both densities fit) and 8 held out for calibration, 32 px.
  productId = (await seedProduct(f, { train: 40, validation: 8 })).productId;
  worker = await stack.startWorker();
});

afterAll(() => stack?.dispose({ drain: true }));

describe('cancelling a training run after its GAN steps', () => {
  it('stops it in the encoder phase within seconds, before calibration', async () => {
    const run = await queueRun({ encoderSteps: 50_000, inversionIterations: 5 });
    const { tookMs, stopped, after } = await cancelIn('encoder', run);
    expect(tookMs, `took ${tookMs} ms\n${worker.output()}`).toBeLessThan(CANCEL_WITHIN_MS);
    expect(stopped.data.phase).toBe('encoder');
    expect(after).toEqual([]);
    expect(ofRun(run.runId).some((e) => e.data.phase === 'calibration')).toBe(false);
    expect((await getTrainingRun(f.db, f.factoryId, run.runId)).status).toBe('CANCELLED');
    expect((await getModel(f.db, f.factoryId, run.modelId)).status).toBe('CANCELLED');
  });

  it('stops it in calibration within seconds, before the generator check', async () => {
    const run = await queueRun({ encoderSteps: 0, inversionIterations: 50_000 });
    const { tookMs, stopped, after } = await cancelIn('calibration', run);
    expect(tookMs, `took ${tookMs} ms\n${worker.output()}`).toBeLessThan(CANCEL_WITHIN_MS);
    expect(stopped.data.phase).toBe('calibration');
    expect(after).toEqual([]);
    expect(ofRun(run.runId).some((e) => e.data.phase === 'generator-check')).toBe(false);
    const model = await getModel(f.db, f.factoryId, run.modelId);
    expect(model.status).toBe('CANCELLED');
    expect(model.generatorKey).toBeNull(); // never stored
  });

  it('stops it in the generator check within seconds and frees the worker for the next run', async () => {
    // The check inverts 40 generated images, calibration 8: the check is the long part.
    const run = await queueRun({ encoderSteps: 0, inversionIterations: 300 });
    const next = await queueRun({ encoderSteps: 0, inversionIterations: 5 });
    const { tookMs, stopped, after } = await cancelIn('generator-check', run);
    expect(tookMs, `took ${tookMs} ms\n${worker.output()}`).toBeLessThan(CANCEL_WITHIN_MS);
    expect(stopped.data.phase).toBe('generator-check');
    expect(after).toEqual([]);
    expect((await getModel(f.db, f.factoryId, run.modelId)).status).toBe('CANCELLED');
    // The worker (concurrency 1) takes the next run at once, not after the cancelled one's check.
    const cancelledAt = Date.now();
    await waitFor(async () => ofRun(next.runId).some((e) => e.kind === 'training.started'), Boolean, CANCEL_WITHIN_MS, `next run to start\n${worker.output()}`);
    expect(Date.now() - cancelledAt).toBeLessThan(CANCEL_WITHIN_MS);
    await waitFor(() => getModel(f.db, f.factoryId, next.modelId), (m) => m.status === 'READY' || m.status === 'FAILED', 240_000, 'next model');
    expect((await getModel(f.db, f.factoryId, next.modelId)).status).toBe('READY');
  });
});
