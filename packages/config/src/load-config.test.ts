import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('gives working embedded defaults for an empty environment', () => {
    const c = loadConfig({}, '/srv/gansight');
    expect(c.database.url).toBeUndefined();
    expect(c.database.embeddedDir).toBe('/srv/gansight/.data/postgres');
    expect(c.storage).toEqual({ driver: 'fs', root: '/srv/gansight/.data/blobs' });
    expect(c.api.port).toBe(4000);
    expect(c.web.port).toBe(3000);
    expect(c.api.introspection).toBe(true);
  });

  it('names the variable and what it expects when a value is bad', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrowError(/API_PORT: expected a port number.*"eighty"/s);
    expect(() => loadConfig({ API_PORT: '70000' })).toThrowError(/API_PORT: expected a port between 0 and 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL: expected a postgres:\/\//);
    expect(() => loadConfig({ GANSIGHT_SECRET: 'short' })).toThrowError(/GANSIGHT_SECRET: expected at least 32 characters/);
    expect(() => loadConfig({ ML_BACKEND: 'tpu' })).toThrowError(/ML_BACKEND: expected auto, tensorflow, wasm or cpu/);
    expect(() => loadConfig({ PLATFORM_OPERATOR_TOKEN: 'operator' })).toThrowError(/PLATFORM_OPERATOR_TOKEN: expected at least 32 characters/);
  });

  it('pins training to the backends TRAINING_BACKENDS names, its short names expanded', () => {
    expect(loadConfig({}).ml.trainingBackends).toEqual([]);
    expect(loadConfig({ TRAINING_BACKENDS: '' }).ml.trainingBackends).toEqual([]);
    expect(loadConfig({ TRAINING_BACKENDS: 'cuda' }).ml.trainingBackends).toEqual(['tensorflow-gpu']);
    expect(loadConfig({ TRAINING_BACKENDS: 'tensorflow, cuda' }).ml.trainingBackends).toEqual(['tensorflow-gpu', 'tensorflow-cpu']);
    expect(loadConfig({ TRAINING_BACKENDS: 'cpu,wasm' }).ml.trainingBackends).toEqual(['wasm', 'cpu']);
    expect(() => loadConfig({ TRAINING_BACKENDS: 'cuda,tpu' })).toThrowError(/TRAINING_BACKENDS: expected a comma-separated list of tensorflow-gpu, tensorflow-cpu, wasm, cpu/);
  });

  it('reads the quota defaults, 0 meaning no limit, and refuses a negative or fractional quota', () => {
    expect(loadConfig({}).quotas).toEqual({ maxStoredImages: 1_000_000, maxConcurrentTrainingRuns: 4, maxInspectionsPerMinute: 6000 });
    expect(loadConfig({ QUOTA_MAX_STORED_IMAGES: '0', QUOTA_MAX_INSPECTIONS_PER_MINUTE: '120' }).quotas).toMatchObject({ maxStoredImages: 0, maxInspectionsPerMinute: 120 });
    expect(() => loadConfig({ QUOTA_MAX_CONCURRENT_TRAINING_RUNS: '-1' })).toThrowError(/QUOTA_MAX_CONCURRENT_TRAINING_RUNS: expected 0 \(no limit\) or more training runs/);
    expect(() => loadConfig({ QUOTA_MAX_STORED_IMAGES: '1.5' })).toThrowError(/QUOTA_MAX_STORED_IMAGES: expected a whole number of images/);
  });

  it('reports every bad variable at once, as a typed error', () => {
    try {
      loadConfig({ API_PORT: '-1', STORAGE_DRIVER: 's3', S3_ENDPOINT: 'http://localhost:9000' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['API_PORT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY']);
      expect((err as ConfigError).code).toBe('BAD_CONFIG');
    }
  });

  it('accepts a complete S3 setup and an external database', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/gansight',
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY: 'ak',
      S3_SECRET_KEY: 'sk',
      NODE_ENV: 'production',
      GANSIGHT_SECRET: 'x'.repeat(40),
    });
    expect(c.database.url).toBe('postgresql://u:p@db:5432/gansight');
    expect(c.storage).toMatchObject({ driver: 's3', endpoint: 'http://minio:9000', bucket: 'gansight' });
    expect(c.api.introspection).toBe(false);
  });

  it('insists on a shared secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/GANSIGHT_SECRET: required when NODE_ENV=production/);
  });

  it('times workers with defaults, and refuses timings that would hand on the jobs of live workers', () => {
    expect(loadConfig({}).worker).toEqual({
      concurrency: 1, heartbeatMs: 10_000, staleAfterMs: 60_000, pollIntervalMs: 1000, progressIntervalMs: 1000, cancelPollMs: 500, batchWindowMs: 50, previewEvery: 25,
      http: { host: '127.0.0.1', port: undefined },
    });
    expect(loadConfig({ WORKER_HEARTBEAT_MS: '300', WORKER_STALE_AFTER_MS: '2000' }).worker).toMatchObject({ heartbeatMs: 300, staleAfterMs: 2000 });
    expect(() => loadConfig({ WORKER_POLL_INTERVAL_MS: '1.5' })).toThrowError(/WORKER_POLL_INTERVAL_MS: expected a whole number of milliseconds.*"1.5"/s);
    expect(() => loadConfig({ WORKER_CANCEL_POLL_MS: '5' })).toThrowError(/WORKER_CANCEL_POLL_MS: expected at least 10 milliseconds/);
    expect(() => loadConfig({ WORKER_HEARTBEAT_MS: 'often' })).toThrowError(/WORKER_HEARTBEAT_MS: expected a whole number of milliseconds/);
    expect(() => loadConfig({ WORKER_HEARTBEAT_MS: '30000' })).toThrowError(/WORKER_STALE_AFTER_MS: expected at least 3 x WORKER_HEARTBEAT_MS \(90000\)/);
  });

  it('takes a batch window of 0 (off) up to 1000 ms, and refuses anything else naming the variable', () => {
    expect(loadConfig({ WORKER_BATCH_WINDOW_MS: '0' }).worker.batchWindowMs).toBe(0);
    expect(loadConfig({ WORKER_BATCH_WINDOW_MS: '25' }).worker.batchWindowMs).toBe(25);
    expect(() => loadConfig({ WORKER_BATCH_WINDOW_MS: '-1' })).toThrowError(/WORKER_BATCH_WINDOW_MS: expected 0 \(off\) or more milliseconds.*"-1"/s);
    expect(() => loadConfig({ WORKER_BATCH_WINDOW_MS: '2.5' })).toThrowError(/WORKER_BATCH_WINDOW_MS: expected a whole number of milliseconds/);
    expect(() => loadConfig({ WORKER_BATCH_WINDOW_MS: 'soon' })).toThrowError(/WORKER_BATCH_WINDOW_MS: expected a whole number of milliseconds/);
    expect(() => loadConfig({ WORKER_BATCH_WINDOW_MS: '5000' })).toThrowError(/WORKER_BATCH_WINDOW_MS: expected at most 1000 milliseconds/);
  });

  it('takes a preview interval of 0 (off) or more iterations, and refuses anything else naming the variable', () => {
    expect(loadConfig({ WORKER_PREVIEW_EVERY: '0' }).worker.previewEvery).toBe(0);
    expect(loadConfig({ WORKER_PREVIEW_EVERY: '10' }).worker.previewEvery).toBe(10);
    expect(() => loadConfig({ WORKER_PREVIEW_EVERY: '-5' })).toThrowError(/WORKER_PREVIEW_EVERY: expected 0 \(off\) or more iterations/);
    expect(() => loadConfig({ WORKER_PREVIEW_EVERY: '2.5' })).toThrowError(/WORKER_PREVIEW_EVERY: expected a whole number of iterations/);
    expect(() => loadConfig({ WORKER_PREVIEW_EVERY: 'often' })).toThrowError(/WORKER_PREVIEW_EVERY: expected a whole number of iterations/);
  });

  it('serves worker health and metrics only when WORKER_HTTP_PORT is set, and logs as LOG_FORMAT says', () => {
    expect(loadConfig({ WORKER_HTTP_PORT: '9464', WORKER_HTTP_HOST: '0.0.0.0' }).worker.http).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(loadConfig({ WORKER_HTTP_PORT: '0' }).worker.http.port).toBe(0);
    expect(() => loadConfig({ WORKER_HTTP_PORT: '70000' })).toThrowError(/WORKER_HTTP_PORT: expected a port between 0 and 65535/);
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrowError(/LOG_FORMAT: expected auto, json or text/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', API_PORT: '' }).api.port).toBe(4000);
  });
});
