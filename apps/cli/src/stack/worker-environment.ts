import type { Config } from '@gansight/config';

/**
 * The environment that configures a worker process as `config` configures this stack: the
 * worker child reads its settings from its environment (packages/config), like any worker, and
 * the stack may have been configured from another source than its own environment (tests).
 */
export function workerEnvironment(config: Config, databaseUrl: string, logFormat: 'json' | 'text' = 'text'): Record<string, string> {
  const w = config.worker;
  const s = config.storage;
  return {
    NODE_ENV: config.env,
    LOG_LEVEL: config.logLevel,
    // The child's output is a pipe, so `auto` would always mean JSON: it writes what the stack writes.
    LOG_FORMAT: logFormat,
    GANSIGHT_DATA_DIR: config.dataDir,
    DATABASE_URL: databaseUrl,
    ...(config.secret ? { GANSIGHT_SECRET: config.secret } : {}),
    ...(s.driver === 'fs'
      ? { STORAGE_DRIVER: 'fs', STORAGE_FS_ROOT: s.root }
      : {
          STORAGE_DRIVER: 's3', S3_ENDPOINT: s.endpoint, S3_ACCESS_KEY: s.accessKey, S3_SECRET_KEY: s.secretKey,
          S3_BUCKET: s.bucket, S3_REGION: s.region, S3_PUBLIC_ENDPOINT: s.publicEndpoint ?? '',
        }),
    ML_BACKEND: config.ml.backend,
    WORKER_CONCURRENCY: String(w.concurrency),
    WORKER_HEARTBEAT_MS: String(w.heartbeatMs),
    WORKER_STALE_AFTER_MS: String(w.staleAfterMs),
    WORKER_POLL_INTERVAL_MS: String(w.pollIntervalMs),
    WORKER_PROGRESS_INTERVAL_MS: String(w.progressIntervalMs),
    WORKER_CANCEL_POLL_MS: String(w.cancelPollMs),
    WORKER_BATCH_WINDOW_MS: String(w.batchWindowMs),
    WORKER_PREVIEW_EVERY: String(w.previewEvery),
    WORKER_HTTP_HOST: w.http.host,
    ...(w.http.port !== undefined ? { WORKER_HTTP_PORT: String(w.http.port) } : {}),
  };
}
