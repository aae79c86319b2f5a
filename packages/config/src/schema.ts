import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port between 0 and 65535 (0 picks a free port)')
  .max(65535, 'expected a port between 0 and 65535 (0 picks a free port)');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z.string().trim().min(1).optional();

/** A worker timing knob in milliseconds. */
const millis = z.coerce
  .number({ error: 'expected a whole number of milliseconds' })
  .int('expected a whole number of milliseconds')
  .min(10, 'expected at least 10 milliseconds')
  .max(86_400_000, 'expected at most a day (86400000 milliseconds)');

/** ML backends a worker can advertise, and the short names a pin may use for them. */
const BACKEND_KINDS = ['tensorflow-gpu', 'tensorflow-cpu', 'wasm', 'cpu'] as const;
const BACKEND_ALIASES: Record<string, readonly string[]> = { cuda: ['tensorflow-gpu'], gpu: ['tensorflow-gpu'], tensorflow: ['tensorflow-gpu', 'tensorflow-cpu'] };
const backendList = z
  .string()
  .transform((v, ctx) => {
    const names = v.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
    const kinds = new Set<string>();
    for (const n of names) {
      const expanded = BACKEND_ALIASES[n] ?? ((BACKEND_KINDS as readonly string[]).includes(n) ? [n] : undefined);
      if (!expanded) {
        ctx.addIssue({ code: 'custom', message: `expected a comma-separated list of ${BACKEND_KINDS.join(', ')} (or cuda, gpu, tensorflow)` });
        return z.NEVER;
      }
      for (const k of expanded) kinds.add(k);
    }
    return BACKEND_KINDS.filter((k) => kinds.has(k));
  });
/** A quota's deployment-wide default: a whole number, 0 for no limit. */
const quota = (what: string) =>
  z.coerce
    .number({ error: `expected a whole number of ${what} (0: no limit)` })
    .int(`expected a whole number of ${what} (0: no limit)`)
    .min(0, `expected 0 (no limit) or more ${what}`)
    .max(2_000_000_000, `expected at most 2000000000 ${what}`);

/** The quotas every factory gets unless the operator set its own (`gansight factory quotas`). */
export const DEFAULT_QUOTAS = { maxStoredImages: 1_000_000, maxConcurrentTrainingRuns: 4, maxInspectionsPerMinute: 6000 } as const;

/**
 * Every environment variable Gansight reads, with its default. Names are the public contract:
 * they appear in the README, in infra/ and in error messages.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // json: one JSON object a line (for log collectors); text: one readable line per event;
    // auto: text when stdout is a terminal, json otherwise (a container, a pipe, a file).
    LOG_FORMAT: z.enum(['auto', 'json', 'text'], { error: 'expected auto, json or text' }).default('auto'),
    GANSIGHT_DATA_DIR: z.string().trim().min(1).default('.data'),

    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection URL')
      .optional(),
    EMBEDDED_PG_PORT: port.default(0),

    STORAGE_DRIVER: z.enum(['fs', 's3'], { error: 'expected "fs" or "s3"' }).default('fs'),
    STORAGE_FS_ROOT: optionalString,
    S3_ENDPOINT: z.url({ error: 'expected a URL such as http://localhost:9000' }).optional(),
    S3_ACCESS_KEY: optionalString,
    S3_SECRET_KEY: optionalString,
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected a bucket name: 3-63 lowercase letters, digits, dots or dashes')
      .default('gansight'),
    S3_REGION: z.string().default('us-east-1'),
    S3_PUBLIC_ENDPOINT: z.url({ error: 'expected the URL clients use to reach S3, such as https://minio.example.com' }).optional(),
    GANSIGHT_SECRET: z
      .string()
      .min(32, 'expected at least 32 characters (for example: openssl rand -hex 32)')
      .optional(),
    // The platform operator's bearer token: reads the shared worker fleet (hosts included), and
    // nothing of any factory. Unset: no operator access at all.
    PLATFORM_OPERATOR_TOKEN: z
      .string()
      .min(32, 'expected at least 32 characters (for example: openssl rand -hex 32)')
      .optional(),

    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port.default(4000),
    WEB_PORT: port.default(3000),
    PUBLIC_API_URL: z.url({ error: 'expected a URL' }).optional(),
    GRAPHQL_INTROSPECTION: bool.optional(),

    ML_BACKEND: z
      .enum(['auto', 'tensorflow', 'wasm', 'cpu'], { error: 'expected auto, tensorflow, wasm or cpu' })
      .default('auto'),
    // Which worker backends may run training (ADR 0060), e.g. `cuda` or `tensorflow`: the API pins
    // each new run to them and only workers on one of them take it. Unset or empty: any worker.
    TRAINING_BACKENDS: backendList.default([]),
    WORKER_CONCURRENCY: z.coerce.number({ error: 'expected a number' }).int().min(1).max(64).default(1),
    // Worker timing (apps/worker): how often a worker reports itself alive, how long a silent
    // one is presumed dead (its jobs are handed on), how often an idle one polls for jobs
    // scheduled for later, the least time between two progress events of a job, and how often
    // a running job re-reads its row to notice a cancellation.
    WORKER_HEARTBEAT_MS: millis.default(10_000),
    WORKER_STALE_AFTER_MS: millis.default(60_000),
    WORKER_POLL_INTERVAL_MS: millis.default(1000),
    WORKER_PROGRESS_INTERVAL_MS: millis.default(1000),
    WORKER_CANCEL_POLL_MS: millis.default(500),
    // Longest an inspection's image waits for the worker's other inspections that are still
    // reading their images, to invert them as one batch (WORKER_CONCURRENCY >= 2; ADR 0049). A
    // lone inspection never waits. 0 turns the wait off.
    WORKER_BATCH_WINDOW_MS: z.coerce
      .number({ error: 'expected a whole number of milliseconds' })
      .int('expected a whole number of milliseconds')
      .min(0, 'expected 0 (off) or more milliseconds')
      .max(1000, 'expected at most 1000 milliseconds (it delays every batched inspection)')
      .default(50),
    // Every how many inversion iterations an inspection stores its reconstruction so far as a
    // preview PNG for inspectionProgress subscribers. 0 turns previews off (loss events remain).
    WORKER_PREVIEW_EVERY: z.coerce
      .number({ error: 'expected a whole number of iterations' })
      .int('expected a whole number of iterations')
      .min(0, 'expected 0 (off) or more iterations')
      .max(100_000, 'expected at most 100000 iterations')
      .default(25),
    // A worker's own HTTP server for /healthz, /readyz and /metrics (Kubernetes probes and
    // Prometheus). Unset: none (one machine needs none; `gansight start`'s API serves its own).
    WORKER_HTTP_PORT: port.optional(),
    WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
    // Per-factory quotas (ADR 0059): images stored, trainings queued or running at once, and
    // inspections submitted per minute (a token bucket: bursts up to the limit, refilled over a
    // minute). The operator overrides them per factory with `gansight factory quotas`.
    QUOTA_MAX_STORED_IMAGES: quota('images').default(DEFAULT_QUOTAS.maxStoredImages),
    QUOTA_MAX_CONCURRENT_TRAINING_RUNS: quota('training runs').default(DEFAULT_QUOTAS.maxConcurrentTrainingRuns),
    QUOTA_MAX_INSPECTIONS_PER_MINUTE: quota('inspections').default(DEFAULT_QUOTAS.maxInspectionsPerMinute),
    START_WORKER: bool.default(true),
    START_WEB: bool.default(true),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.GANSIGHT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['GANSIGHT_SECRET'], message: 'required when NODE_ENV=production (replicas must share it)' });
    }
    if (env.WORKER_STALE_AFTER_MS < 3 * env.WORKER_HEARTBEAT_MS) {
      // Fewer than three missed heartbeats would hand on the jobs of a worker that is merely slow.
      ctx.addIssue({
        code: 'custom', path: ['WORKER_STALE_AFTER_MS'],
        message: `expected at least 3 x WORKER_HEARTBEAT_MS (${3 * env.WORKER_HEARTBEAT_MS}), so a live worker is never presumed dead`,
      });
    }
    if (env.STORAGE_DRIVER !== 's3') return;
    for (const key of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
      if (!env[key]) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'required when STORAGE_DRIVER=s3' });
      }
    }
  });

export type RawEnv = z.infer<typeof envSchema>;
