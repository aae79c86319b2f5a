import { chmod } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@gansight/config';
import { createBlobRoute, startApiServer, type RunningApiServer } from '@gansight/api';
import { openDatabase, pingDatabase, type OpenedDatabase } from '@gansight/db';
import { createBlobStore, type BlobStore } from '@gansight/storage';
import type { Logger } from '@gansight/telemetry';
import { createEventSubscriber } from '@gansight/events';
import { createJobQueue } from '@gansight/worker';
import { freePort } from './free-port';
import { instanceSecret } from './instance-secret';
import { stopInStages, type Stage } from './stop-in-stages';
import { startWeb, type RunningWeb } from './start-web';
import { workerEnvironment } from './worker-environment';
import { startWorkerProcess, type SupervisedWorker } from './worker-process';
import { VERSION } from './version';

export interface RunningStack {
  database: OpenedDatabase;
  blobs: BlobStore;
  api: RunningApiServer;
  /** The queue worker, a child process of its own (ADR 0026). */
  worker: SupervisedWorker | null;
  web: RunningWeb | null;
  /** Stops everything within 9.5 s: what has not drained by then is cut (see stop-in-stages.ts); names the parts that did not stop. */
  stop(): Promise<{ leftBehind: string[] }>;
}

export { VERSION };

/**
 * Starts everything one machine needs, in dependency order: database (embedded unless
 * DATABASE_URL is set) with migrations, blob storage, the API, the worker process, then the
 * dashboard. Stops the front (API, worker, dashboard) together, then what they used; a failure
 * half-way stops what had already started.
 */
export async function startStack(
  config: Config,
  log: (line: string) => void,
  /** `logger`: the API's request lines; `json`: the worker writes JSON lines, relayed as they are. */
  logging: { logger?: Logger; json?: boolean } = {},
): Promise<RunningStack> {
  // Stage 0: what clients and jobs talk to; stage 1: what those used; stage 2: the database.
  const stages: Stage[][] = [[], [], []];
  const stopAll = async () => ({ leftBehind: await stopInStages(stages, log) });
  try {
    const database = await openDatabase(config.database, {
      onMigration: (name) => log(`applied migration ${name}`),
      onNotice: log,
      // A second `gansight start` on a data folder whose server another process runs would stop
      // that server when it stops (or be stopped under it): refuse with a message instead.
      refuseShared: true,
    });
    stages[2]!.push({ name: 'database', stop: () => database.close(), limitMs: 3000 });
    log(`database ready (${database.embedded ? `embedded PostgreSQL on port ${database.embedded.port}, data in ${database.embedded.dataDir}` : 'external'})`);

    // The port is fixed before anything starts because signed blob URLs must name it.
    const apiPort = config.api.port || (await freePort());
    const publicOrigin = config.api.publicUrl ? new URL(config.api.publicUrl).origin : `http://localhost:${apiPort}`;
    const secret = await instanceSecret(config.secret, config.dataDir);
    const blobs = createBlobStore(config.storage, {
      presignBaseUrl: `${publicOrigin}/blobs`,
      presignSecret: secret,
    });
    await blobs.ensureReady();
    // Every factory's images: for this user only, whoever may enter the folders on the way (as
    // root, the postgres user needs to: ADR 0027).
    if (config.storage.driver === 'fs' && !path.relative(config.dataDir, config.storage.root).startsWith('..')) await chmod(config.storage.root, 0o700);
    stages[1]!.push({ name: 'storage', stop: () => blobs.close(), limitMs: 1000 });
    log(`storage ready (${config.storage.driver === 'fs' ? `files under ${config.storage.root}` : `S3 bucket ${config.storage.bucket} at ${config.storage.endpoint}`})`);

    // Jobs go to the queue in PostgreSQL and progress comes back over LISTEN/NOTIFY, so workers
    // on other machines and this in-process one look the same to the API.
    const jobs = await createJobQueue({ connectionString: database.url });
    stages[1]!.push({ name: 'job queue', stop: () => jobs.release(), limitMs: 1000 });
    const events = createEventSubscriber({ connectionString: database.url, log });
    await events.ready();
    stages[1]!.push({ name: 'event listener', stop: () => events.close(), limitMs: 1000 });

    const api = await startApiServer({
      host: config.api.host,
      port: apiPort,
      introspection: config.api.introspection,
      // Browsers keep the session cookie to https when the public URL is https.
      secureCookies: config.api.publicUrl?.startsWith('https:') ?? false,
      log,
      logger: logging.logger,
      // Signed GETs of the filesystem driver, and every driver's single-use upload PUTs (ADR 0024).
      routes: { '/blobs': createBlobRoute({ blobs, db: database.db, secret }) },
      services: {
        version: VERSION,
        startedAt: Date.now(),
        db: database.db,
        // Signs invitation codes, so that every replica (and a restart) accepts them.
        secret,
        platformOperatorToken: config.api.platformOperatorToken,
        trainingBackends: config.ml.trainingBackends,
        quotas: config.quotas,
        blobs,
        jobs,
        events,
        healthChecks: {
          database: () => pingDatabase(database.db),
          storage: async () => void (await blobs.exists('factories/_health/probe')),
        },
      },
    });
    // In-flight requests get 3 s, then their connections are cut.
    stages[0]!.push({ name: 'API', stop: () => api.stop(), limitMs: 3500 });
    log(`API ready at ${api.url}`);

    let worker: SupervisedWorker | null = null;
    if (config.start.worker) {
      worker = await startWorkerProcess({
        env: workerEnvironment(config, database.url, logging.json ? 'json' : 'text'),
        log,
        jsonLines: logging.json ? (line) => void process.stdout.write(`${line}\n`) : undefined,
      });
      const w = worker;
      // Training checkpoints the step in flight and goes back to the queue; after 5 s it is killed.
      stages[0]!.push({ name: 'worker', stop: async () => void (await w.stop()), limitMs: 5500 });
      log(`worker process ${w.pid()} takes jobs`);
    }

    let web: RunningWeb | null = null;
    if (config.start.web) {
      web = await startWeb({ port: config.web.port, apiPort: api.port, mode: 'dev', log });
      const w = web;
      stages[0]!.push({ name: 'dashboard', stop: () => w.stop(), limitMs: 3500 });
      log(`dashboard ready at ${web.url}`);
    }
    let stopped: Promise<{ leftBehind: string[] }> | undefined;
    return { database, blobs, api, worker, web, stop: () => (stopped ??= stopAll()) };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
