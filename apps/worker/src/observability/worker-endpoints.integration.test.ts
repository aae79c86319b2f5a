// What an operator reads from a worker process (main.ts as a child, WORKER_HTTP_PORT=0):
// /healthz and /readyz (which follows the database, cut through a TCP proxy and restored),
// /metrics with a finished job's duration, the queue's depth and the training throughput, and
// JSON log lines that carry the job, task and factory of the job that wrote them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTrainingRun } from '@gansight/db';
import { startToggleProxy, type ToggleProxy } from '@gansight/db/testing';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import {
  createWorkerFixture, killAll, queueTinyTraining, seedProduct, spawnWorker, waitFor, workerReady, type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let proxy: ToggleProxy;
let queue: JobQueue;
let worker: WorkerProcess;
let origin: string;
let productId: string;

beforeAll(async () => {
  f = await createWorkerFixture();
  ({ productId } = await seedProduct(f, { train: 8, validation: 4, corrupt: 1 }));
  queue = await createJobQueue({ connectionString: f.database.url });
  const url = new URL(f.database.url);
  proxy = await startToggleProxy(Number(url.port));
  url.port = String(proxy.port);
  worker = spawnWorker(f, { DATABASE_URL: url.toString(), WORKER_HTTP_PORT: '0', LOG_FORMAT: 'json' });
  await workerReady(worker);
  origin = /health and metrics on (http:\/\/127\.0\.0\.1:\d+)/.exec(worker.output())![1]!;
});
afterAll(async () => {
  await killAll(worker ? [worker] : []);
  await queue?.release();
  await proxy?.close();
  await f?.dispose();
});

async function readyz() {
  const res = await fetch(`${origin}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; reason?: string } };
}

async function metrics(): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('worker health and metrics', () => {
  it('report the queue depth, the backend, and a finished job by kind and state', async () => {
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect(await readyz()).toEqual({ status: 200, body: expect.objectContaining({ ready: true }) });

    // An inspection scheduled for later: it waits in the queue and nobody takes it yet.
    const client = new pg.Client({ connectionString: f.database.url });
    await client.connect();
    await client.query(`SELECT graphile_worker.add_job('inspect', json_build_object('factoryId', $1::text), run_at := now() + interval '1 hour')`, [f.factoryId]);
    await client.end();
    let text = await metrics();
    expect(sample(text, 'gansight_queue_jobs{kind="inspect",state="waiting"}')).toBe(1);
    expect(sample(text, 'gansight_queue_jobs{kind="train",state="running"}')).toBe(0);
    expect(sample(text, 'gansight_backend_info{role="worker",backend="wasm",version="0.1.0"}')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const job = await queueTinyTraining(f, productId, { steps: 4, checkpointEvery: 2, sampleEvery: 100 });
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job });
    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 180_000, `run\n${worker.output()}`);
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
    // The job's duration is recorded as it ends, just after the row turns SUCCEEDED.
    text = await waitFor(metrics, (t) => sample(t, 'gansight_job_duration_seconds_count{kind="train",state="done"}') === 1, 10_000, 'the job duration');
    expect(sample(text, 'gansight_job_duration_seconds_sum{kind="train",state="done"}')).toBeGreaterThan(0);
    expect(sample(text, 'gansight_images_per_second{kind="train",backend="wasm"}')).toBeGreaterThan(0);
    expect(sample(text, 'gansight_queue_jobs{kind="inspect",state="waiting"}')).toBe(1);
    expect(text).not.toContain(f.factoryId);
  });

  it('log JSON lines naming the job, its task and its factory', () => {
    const entries = worker.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String), role: 'worker' });
    // The corrupt training image is skipped, said inside the training job.
    expect(entries.find((e) => String(e.msg).includes('skipped image'))).toMatchObject({ task: 'train', factoryId: f.factoryId, jobId: expect.any(String) });
  });

  it('/readyz turns 503 with a reason while the database is unreachable, and back', async () => {
    proxy.setDown(true);
    const down = await waitFor(readyz, (r) => r.status === 503, 10_000, 'readyz down');
    expect(down.body).toMatchObject({ ready: false, reason: 'database is unavailable' });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    proxy.setDown(false);
    expect((await waitFor(readyz, (r) => r.status === 200, 30_000, 'readyz back')).body.ready).toBe(true);
  });
});
