import { describe, expect, it } from 'vitest';
import { loadConfig } from '@gansight/config';
import { workerEnvironment } from './worker-environment';

// The stack's worker process reads its settings back from this environment: every setting a
// worker uses must come out as the stack had it, whatever the stack's own environment says.
describe('workerEnvironment', () => {
  const url = 'postgresql://postgres:pw@127.0.0.1:5433/gansight';
  const pick = (c: ReturnType<typeof loadConfig>) => ({ storage: c.storage, ml: c.ml, worker: c.worker, dataDir: c.dataDir, env: c.env, secret: c.secret });

  it('gives a worker the stack\'s storage, backend and timings (filesystem storage)', () => {
    const stack = loadConfig({
      GANSIGHT_DATA_DIR: '/srv/g', ML_BACKEND: 'cpu', WORKER_CONCURRENCY: '3', WORKER_BATCH_WINDOW_MS: '25', WORKER_PREVIEW_EVERY: '0',
      WORKER_PROGRESS_INTERVAL_MS: '200', WORKER_CANCEL_POLL_MS: '100', WORKER_HEARTBEAT_MS: '300', WORKER_STALE_AFTER_MS: '2000',
      WORKER_POLL_INTERVAL_MS: '50', STORAGE_FS_ROOT: 'elsewhere',
    }, '/work/clone');
    const worker = loadConfig(workerEnvironment(stack, url), '/somewhere/else');
    expect(pick(worker)).toEqual(pick(stack));
    expect(worker.database.url).toBe(url);
  });

  it('does the same for S3 storage and production settings', () => {
    const stack = loadConfig({
      NODE_ENV: 'production', GANSIGHT_SECRET: 'x'.repeat(40), STORAGE_DRIVER: 's3', S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk', S3_BUCKET: 'tiles', S3_REGION: 'eu-west-1',
    });
    expect(pick(loadConfig(workerEnvironment(stack, url)))).toEqual(pick(stack));
  });
});
