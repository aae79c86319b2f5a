// Fault of issue 5: object storage unavailable for a while (retried with back-off, then
// trained), and unavailable for good (a clear failure, and no half-written model).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTrainingRun } from '@gansight/db';
import { S3BlobStore, blobKey } from '@gansight/storage';
import { startS3rver, type TestS3Server } from '@gansight/storage/testing';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import { startToggleProxy, type ToggleProxy } from '@gansight/db/testing';
import {
  createWorkerFixture, killAll, queueTinyTraining, settledModel, seedProduct, spawnWorker, waitFor, workerReady,
  type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let s3: TestS3Server;
let proxy: ToggleProxy;
let store: S3BlobStore;
let queue: JobQueue;
let productId: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  f = await createWorkerFixture();
  s3 = await startS3rver();
  proxy = await startToggleProxy(s3.port);
  store = new S3BlobStore({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'gansight', region: 'us-east-1' });
  await store.ensureReady();
  ({ productId } = await seedProduct(f, { train: 8, validation: 8, blobs: store }));
  queue = await createJobQueue({ connectionString: f.database.url, maxAttempts: { train: 3 } });
  const w = spawnWorker(f, {
    STORAGE_DRIVER: 's3', S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: 'gansight',
  });
  workers.push(w);
  await workerReady(w);
});

afterAll(async () => {
  await killAll(workers);
  await queue?.release();
  await proxy?.close();
  await store?.close();
  await s3?.dispose();
  await f?.dispose();
});

async function jobAttempts(key: string): Promise<{ attempts: number; max_attempts: number; last_error: string | null } | undefined> {
  const client = new pg.Client({ connectionString: f.database.url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT attempts, max_attempts, last_error FROM graphile_worker.jobs WHERE key = $1', [key]);
    return rows[0];
  } finally {
    await client.end();
  }
}

describe('storage unavailable', () => {
  it('retries with back-off while storage is down and trains once it is back', async () => {
    const job = await queueTinyTraining(f, productId, { steps: 10, checkpointEvery: 5 });
    proxy.setDown(true);
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job });
    const failedOnce = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => /attempt 1 of 3 failed/.test(r.error ?? ''), 120_000, 'a failed attempt');
    expect(failedOnce.error).toMatch(/retrying: STORAGE_UNAVAILABLE/);
    expect((await jobAttempts(`train:${job.runId}`))?.attempts).toBe(1);
    proxy.setDown(false);
    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 180_000, `run\n${workers[0]!.output()}`);
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
    expect((await settledModel(f, job.modelId)).status).toBe('READY');
  });

  it('fails with STORAGE_UNAVAILABLE after its last attempt, leaving no half-written model', async () => {
    const job = await queueTinyTraining(f, productId, { steps: 10, checkpointEvery: 5 });
    proxy.setDown(true);
    const started = Date.now();
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job });
    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'FAILED' || r.status === 'SUCCEEDED', 180_000, 'the last attempt');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^STORAGE_UNAVAILABLE: /);
    // Three attempts with exponential back-off between them (e^1 + e^2 seconds at least).
    expect(Date.now() - started).toBeGreaterThan(9_000);
    const queued = await jobAttempts(`train:${job.runId}`);
    expect(queued).toMatchObject({ attempts: 3, max_attempts: 3 });
    const model = await settledModel(f, job.modelId);
    expect(model.status).toBe('FAILED');
    expect(model.error).toMatch(/^STORAGE_UNAVAILABLE: /);
    expect(model.generatorKey).toBeNull();
    proxy.setDown(false);
    const stored: string[] = [];
    for await (const e of store.list(`${blobKey(f.factoryId, 'models', job.modelId)}/`)) stored.push(e.key);
    expect(stored).toEqual([]);
  });
});
