// End-to-end throughput of a burst of inspections in one worker that runs several jobs at once,
// with the batcher's hold window off (WORKER_BATCH_WINDOW_MS=0) and on, alternately, so that a
// shared machine's changing load falls on both sides (ADR 0014).
//   node --import tsx apps/worker/bench/burst-batching.ts
//   PAIRS=3 BURST=8 CONCURRENCY=4 WINDOW_MS=50 to change the defaults below.
// Real embedded PostgreSQL, fs blobs, workers spawned from src/main.ts with production timings,
// wasm, a size-64 model (nf 32, zdim 100) trained 4 steps by the worker, default 100 iterations.
import os from 'node:os';
import { createInspection, listImages } from '@gansight/db';
import { killAll, waitFor } from '../src/testing/worker-fixture';
import { createWorkerStack } from '../src/testing/worker-stack';
import { PRODUCTION_TIMINGS, trainBenchModel } from './bench-model';

const PAIRS = Number(process.env.PAIRS ?? 2);
const BURST = Number(process.env.BURST ?? 8);
const CONCURRENCY = process.env.CONCURRENCY ?? '4';
const WINDOW_MS = process.env.WINDOW_MS ?? '50';
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');

const stack = await createWorkerStack();
const { f, queue, subscriber } = stack;
try {
  console.log(`machine: ${os.cpus().length} cores, loadavg at start ${load()}; burst ${BURST}, WORKER_CONCURRENCY=${CONCURRENCY}, window on = ${WINDOW_MS} ms`);
  const { productId, modelId, trainer } = await trainBenchModel(stack);
  await killAll([trainer]);
  const images = (await listImages(f.db, f.factoryId, { productId }, { limit: 100 })).items;

  const completed = new Map<string, number>();
  subscriber.subscribe({ factoryId: f.factoryId, kinds: ['inspection.completed', 'inspection.failed'] }, (e) => void completed.set(e.id, performance.now()));
  let n = 0;
  const submit = async () => {
    const image = images[n++ % images.length]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId, idempotencyKey: `burst-${n}` });
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    return inspection.id;
  };
  const answered = (ids: string[]) => waitFor(async () => ids.every((id) => completed.has(id)), Boolean, 1_800_000, 'inspections');

  /** One fresh worker with this window: a warm-up inspection (model into its cache), then the burst. */
  const burst = async (windowMs: string) => {
    const w = await stack.startWorker({ ...PRODUCTION_TIMINGS, WORKER_CONCURRENCY: CONCURRENCY, WORKER_BATCH_WINDOW_MS: windowMs });
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
  await stack.dispose();
}
process.exit(0);
