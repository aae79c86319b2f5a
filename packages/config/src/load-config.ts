import path from 'node:path';
import { envSchema, type RawEnv } from './schema';

/** Configuration as the rest of Gansight sees it: validated, defaulted, paths resolved. */
export interface Config {
  env: RawEnv['NODE_ENV'];
  logLevel: RawEnv['LOG_LEVEL'];
  logFormat: RawEnv['LOG_FORMAT'];
  dataDir: string;
  database: { url: string | undefined; embeddedPort: number; embeddedDir: string };
  storage:
    | { driver: 'fs'; root: string }
    | {
        driver: 's3';
        endpoint: string;
        accessKey: string;
        secretKey: string;
        bucket: string;
        region: string;
        publicEndpoint: string | undefined;
      };
  /**
   * Signs presigned blob URLs and sessions. Unset on one machine: the launcher keeps a random
   * one in the data directory; replicas must share one, so production sets it.
   */
  secret: string | undefined;
  api: { host: string; port: number; publicUrl: string | undefined; introspection: boolean; platformOperatorToken: string | undefined };
  web: { port: number };
  /** `trainingBackends`: the worker backends new training runs are pinned to (none: any). */
  ml: { backend: RawEnv['ML_BACKEND']; trainingBackends: string[] };
  worker: {
    concurrency: number;
    /** Timing in milliseconds (see WORKER_* in schema.ts). */
    heartbeatMs: number;
    staleAfterMs: number;
    pollIntervalMs: number;
    progressIntervalMs: number;
    cancelPollMs: number;
    /** Longest wait for images of the same model to invert together; 0: none. */
    batchWindowMs: number;
    /** Every how many inversion iterations an inspection stores a preview PNG; 0: never. */
    previewEvery: number;
    /** Where the worker serves /healthz, /readyz and /metrics; port undefined: no HTTP server (0 picks a free port). */
    http: { host: string; port: number | undefined };
  };
  /** Deployment-wide quota defaults per factory (0: no limit); overridden per factory in the database. */
  quotas: { maxStoredImages: number; maxConcurrentTrainingRuns: number; maxInspectionsPerMinute: number };
  start: { worker: boolean; web: boolean };
}

/** Thrown when the environment holds a bad value; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'BAD_CONFIG';
  constructor(readonly problems: { variable: string; message: string; value?: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems
          .map((p) => `  ${p.variable}: ${p.message}${p.value !== undefined ? ` (got "${p.value}")` : ''}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates every setting once; throws ConfigError naming each bad variable. */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Config {
  // Empty strings mean "unset" so that `FOO= npm start` behaves like not setting FOO.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? 'environment');
        return { variable, message: issue.message, value: cleaned[variable] };
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.GANSIGHT_DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    dataDir,
    database: {
      url: e.DATABASE_URL,
      embeddedPort: e.EMBEDDED_PG_PORT,
      embeddedDir: path.join(dataDir, 'postgres'),
    },
    storage:
      e.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            endpoint: e.S3_ENDPOINT!,
            accessKey: e.S3_ACCESS_KEY!,
            secretKey: e.S3_SECRET_KEY!,
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            publicEndpoint: e.S3_PUBLIC_ENDPOINT,
          }
        : { driver: 'fs', root: path.resolve(cwd, e.STORAGE_FS_ROOT ?? path.join(dataDir, 'blobs')) },
    secret: e.GANSIGHT_SECRET,
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      publicUrl: e.PUBLIC_API_URL,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
      platformOperatorToken: e.PLATFORM_OPERATOR_TOKEN,
    },
    web: { port: e.WEB_PORT },
    ml: { backend: e.ML_BACKEND, trainingBackends: e.TRAINING_BACKENDS },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      heartbeatMs: e.WORKER_HEARTBEAT_MS,
      staleAfterMs: e.WORKER_STALE_AFTER_MS,
      pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
      progressIntervalMs: e.WORKER_PROGRESS_INTERVAL_MS,
      cancelPollMs: e.WORKER_CANCEL_POLL_MS,
      batchWindowMs: e.WORKER_BATCH_WINDOW_MS,
      previewEvery: e.WORKER_PREVIEW_EVERY,
      http: { host: e.WORKER_HTTP_HOST, port: e.WORKER_HTTP_PORT },
    },
    quotas: {
      maxStoredImages: e.QUOTA_MAX_STORED_IMAGES,
      maxConcurrentTrainingRuns: e.QUOTA_MAX_CONCURRENT_TRAINING_RUNS,
      maxInspectionsPerMinute: e.QUOTA_MAX_INSPECTIONS_PER_MINUTE,
    },
    start: { worker: e.START_WORKER, web: e.START_WEB },
  };
}

/** For process entry points: load the config or print the problem and exit with status 1. */
export function loadConfigOrExit(source: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nFix the variables above (see README.md, "Configuration") and start again.\n`);
      process.exit(1);
    }
    throw err;
  }
}
