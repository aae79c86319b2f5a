// Worker benchmarks on this machine: real PostgreSQL (embedded), fs blobs, worker processes
// started from main.ts, a size-64 model (nf 32, zdim 100) trained for a few steps by the worker
// itself and calibrated at the pipeline's default inversion settings.
//   1. submission-to-verdict latency with an idle queue (p50/p99), beside the job's own time
//      (`timings.scoreMs`: the inversion; `timings.totalMs`: model lookup to result), so that
//      latency - totalMs is what the queue, the events and the row writes add;
//   2. inspections per second with one worker, with two worker processes, and with one worker
//      running 4 jobs at once (whose concurrent inspections share batched inversions).
//   node --import tsx apps/worker/bench/worker-inspections.ts
//   LATENCY_RUNS=20 THROUGHPUT_JOBS=12 to change the sample sizes (THROUGHPUT_JOBS=0 skips part 2);
//   INVERSION_ITERATIONS=1 calibrates and inspects with 1 iteration, so that latency - totalMs is
//   measured without an inversion competing for the CPU (the default: the pipeline's 100).
import os from 'node:os';
import { createInspection, getInspection, listImages } from '@gansight/db';
import type { GansightEvent } from '@gansight/events';
import { killAll, waitFor } from '../src/testing/worker-fixture';
import { createWorkerStack } from '../src/testing/worker-stack';
import { PRODUCTION_TIMINGS, trainBenchModel } from './bench-model';

const LATENCY_RUNS = Number(process.env.LATENCY_RUNS ?? 20);
const THROUGHPUT_JOBS = Number(process.env.THROUGHPUT_JOBS ?? 12);
const INVERSION_ITERATIONS = process.env.INVERSION_ITERATIONS ? Number(process.env.INVERSION_ITERATIONS) : undefined;

/** Thrown to skip the rest of the run (THROUGHPUT_JOBS=0). */
class Done extends Error {}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms (n=${xs.length})`;

const stack = await createWorkerStack();
const { f, queue, subscriber } = stack;
const start = (env: Record<string, string> = {}) => stack.startWorker({ ...PRODUCTION_TIMINGS, ...env });
try {
  console.log(`machine: ${os.cpus().length} cores, loadavg at start ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const { productId, modelId, trainer: first } = await trainBenchModel(stack, INVERSION_ITERATIONS ? { inversionIterations: INVERSION_ITERATIONS } : {});
  const images = (await listImages(f.db, f.factoryId, { productId }, { limit: 100 })).items;

  const completed = new Map<string, number>();
  const completedWall = new Map<string, number>();
  subscriber.subscribe({ factoryId: f.factoryId, kinds: ['inspection.completed', 'inspection.failed'] }, (e: GansightEvent) => {
    completed.set(e.id, performance.now());
    completedWall.set(e.id, Date.now());
  });
  let n = 0;
  const submit = async () => {
    const image = images[n++ % images.length]!;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId: image.id, modelId, idempotencyKey: `bench-${n}` });
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    return inspection.id;
  };
  const answered = (id: string, what: string) => waitFor(async () => completed.get(id), (t) => t !== undefined, 300_000, what);

  // 1. Idle queue: one inspection at a time, from before its row is created to the completion event.
  await answered(await submit(), 'warm-up inspection'); // loads the model into the cache
  const latency: number[] = [];
  const score: number[] = [];
  const total: number[] = [];
  // Where the rest goes, by wall clock (ms precision; worker and bench share the machine's clock):
  // the submission's two writes, submitted -> the worker's RUNNING mark, stored result -> event here.
  const submitMs: number[] = [];
  const pickupMs: number[] = [];
  const notifyMs: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = performance.now();
    const id = await submit();
    submitMs.push(performance.now() - t0);
    const submittedWall = Date.now();
    const t1 = await answered(id, 'inspection');
    const row = await getInspection(f.db, f.factoryId, id);
    if (row.status !== 'DONE') throw new Error(`inspection ${row.status}: ${row.errorMessage}`);
    const timings = row.timings as { scoreMs: number; totalMs: number };
    latency.push(t1! - t0);
    score.push(timings.scoreMs);
    total.push(timings.totalMs);
    pickupMs.push(row.startedAt!.getTime() - submittedWall);
    notifyMs.push(completedWall.get(id)! - row.completedAt!.getTime());
  }
  const overheadScore = latency.map((l, i) => l - score[i]!);
  const overheadTotal = latency.map((l, i) => l - total[i]!);
  console.log(`latency submission -> inspection.completed: ${fmt(latency)}`);
  console.log(`  inversion+scoring (timings.scoreMs): ${fmt(score)}`);
  console.log(`  job's own time (timings.totalMs):   ${fmt(total)}`);
  console.log(`  latency - scoreMs (queue, events, rows, image decode, PNGs): ${fmt(overheadScore)}`);
  console.log(`  latency - totalMs (queue, events, row reads/writes):          ${fmt(overheadTotal)}`);
  console.log(`    of which submission (create row, add job):                 ${fmt(submitMs)}`);
  console.log(`    submitted -> RUNNING (queue pickup, row read):             ${fmt(pickupMs)}`);
  console.log(`    result stored -> completion event received:                ${fmt(notifyMs)}`);

  // 2. Throughput: a burst of inspections, with one worker, then two.
  const burst = async (label: string) => {
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: THROUGHPUT_JOBS }, () => submit()));
    await waitFor(async () => ids.every((id) => completed.has(id)), Boolean, 1_800_000, 'burst');
    const seconds = (Math.max(...ids.map((id) => completed.get(id)!)) - t0) / 1000;
    console.log(`${label}: ${THROUGHPUT_JOBS} inspections in ${seconds.toFixed(1)} s = ${(THROUGHPUT_JOBS / seconds).toFixed(2)} inspections/s (loadavg ${os.loadavg()[0]!.toFixed(2)})`);
    return THROUGHPUT_JOBS / seconds;
  };
  if (THROUGHPUT_JOBS === 0) throw new Done();
  const one = await burst('1 worker ');
  const second = await start();
  // Two at once, so that each worker takes one and has the model in its cache before the burst.
  const warm = await Promise.all([submit(), submit()]);
  await waitFor(async () => warm.every((id) => completed.has(id)), Boolean, 300_000, 'second worker warm-up');
  const two = await burst('2 workers');
  console.log(`two workers / one worker: ${(two / one).toFixed(2)}x`);
  await killAll([first, second]);
  await start({ WORKER_CONCURRENCY: '4' });
  await answered(await submit(), 'batching worker warm-up');
  const batched = await burst('1 worker, 4 jobs at once (batched inversions)');
  console.log(`batched / one worker: ${(batched / one).toFixed(2)}x`);
} catch (err) {
  if (!(err instanceof Done)) throw err;
} finally {
  await stack.dispose();
}
process.exit(0);
