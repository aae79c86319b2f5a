// End-to-end throughput of a burst of inspections in one worker that runs several jobs at once,
// with the batcher's hold window off (WORKER_BATCH_WINDOW_MS=0) and on, alternately, so that a
// shared machine's changing load falls on both sides (ADR 0014).
//   node --import tsx apps/worker/bench/burst-batching.ts
//   PAIRS=3 BURST=8 CONCURRENCY=4 WINDOW_MS=50 to change the defaults below.
// Real embedded PostgreSQL, fs blobs, workers spawned from src/main.ts with production timings,
// wasm, a size-64 model (nf 32, zdim 100) trained 4 steps by the worker, default 100 iterations.
import os from 'node:os';
import { createInspection, createModel, createTrainingRun, getTrainingRun, listImages } from '@gansight/db';
import { createEventSubscriber } from '@gansight/events';
import { createJobQueue } from '../src/jobs/job-queue';
import { createWorkerFixture, killAll, seedProduct, settledModel, spawnWorker, waitFor, workerReady, type WorkerProcess } from '../src/testing/worker-fixture';

const PAIRS = Number(process.env.PAIRS ?? 2);
const BURST = Number(process.env.BURST ?? 8);
const CONCURRENCY = process.env.CONCURRENCY ?? '4';
const WINDOW_MS = process.env.WINDOW_MS ?? '50';
const ENV = { WORKER_HEARTBEAT_MS: '10000', WORKER_STALE_AFTER_MS: '60000', WORKER_POLL_INTERVAL_MS: '1000', WORKER_PROGRESS_INTERVAL_MS: '1000', WORKER_CANCEL_POLL_MS: '500' };
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');

const f = await createWorkerFixture();
const queue = await createJobQueue({ connectionString: f.database.url });
const subscriber = createEventSubscriber({ connectionString: f.database.url });
await subscriber.ready();
const workers: WorkerProcess[] = [];
try {
  console.log(`machine: ${os.cpus().length} cores, loadavg at start ${load()}; burst ${BURST}, WORKER_CONCURRENCY=${CONCURRENCY}, window on = ${WINDOW_MS} ms`);
  const { productId } = await seedProduct(f, { train: 10, validation: 8, size: 64 });
  const model = await createModel(f.db, f.factoryId, { productId, hyperParameters: {
    batchSize: 8, nf: 32, latentDim: 100, seed: 1, encoderSteps: 0, checkpointEvery: 100, sampleEvery: 100,
  } });
  const run = await createTrainingRun(f.db, f.factoryId, { modelId: model.id, totalSteps: 4 });
  const trainer = spawnWorker(f, ENV);
  workers.push(trainer);
  await workerReady(trainer);
  await queue.enqueueTraining({ factoryId: f.factoryId, modelId: model.id, runId: run.id });
  await waitFor(() => getTrainingRun(f.db, f.factoryId, run.id), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 900_000, 'training');
  const ready = await settledModel(f, model.id);
  if (ready.status !== 'READY') throw new Error(`model ${ready.status}: ${ready.error}`);
  await killAll([trainer]);
  const images = (await listImages(f.db, f.factoryId, { productId }, { limit: 100 })).items;

  const completed = new Map<string, number>();
  subscriber.subscribe({ factoryId: f.factoryId, kinds: ['inspection.completed', 'inspection.failed'] }, (e) => void completed.set(e.id, performance.now()));
  let n = 0;
  const submit = async () => {
    const image = images[n++ % images.length]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId: model.id, idempotencyKey: `burst-${n}` });
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    return inspection.id;
  };
  const answered = (ids: string[]) => waitFor(async () => ids.every((id) => completed.has(id)), Boolean, 1_800_000, 'inspections');

  /** One fresh worker with this window: a warm-up inspection (model into its cache), then the burst. */
  const burst = async (windowMs: string) => {
    const w = spawnWorker(f, { ...ENV, WORKER_CONCURRENCY: CONCURRENCY, WORKER_BATCH_WINDOW_MS: windowMs });
    workers.push(w);
    await workerReady(w);
    await answered([await submit()]);
    const before = load();
    const logged = w.output().length;
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: BURST }, () => submit()));
    await answered(ids);
    const seconds = (Math.max(...ids.map((id) => completed.get(id)!)) - t0) / 1000;
    // Batches of several images are logged; the rest of the burst went alone.
    const shared = [...w.output().slice(logged).matchAll(/inverting (\d+) images of one model together/g)].map((m) => Number(m[1]));
    const batches = [...shared, ...Array.from({ length: BURST - shared.reduce((a, b) => a + b, 0) }, () => 1)];
    await killAll([w]);
    const rate = BURST / seconds;
    console.log(`window ${windowMs.padStart(3)} ms: ${BURST} inspections in ${seconds.toFixed(2)} s = ${rate.toFixed(2)} inspections/s; batches ${batches.length} (sizes ${batches.join(',')}); loadavg before ${before}, after ${load()}`);
    return rate;
  };

  const ratios: number[] = [];
  for (let p = 1; p <= PAIRS; p++) {
    const off = await burst('0');
    const on = await burst(WINDOW_MS);
    ratios.push(on / off);
    console.log(`pair ${p}: on/off = ${(on / off).toFixed(2)}x`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`on/off ratios: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(2)}x (loadavg at end ${load()})`);
} finally {
  await killAll(workers);
  await subscriber.close();
  await queue.release();
  await f.dispose();
}
process.exit(0);
