import type { Config } from '@gansight/config';
import { createBlobRoute, startApiServer, type RunningApiServer } from '@gansight/api';
import { openDatabase, pingDatabase, type OpenedDatabase } from '@gansight/db';
import { createBlobStore, type BlobStore } from '@gansight/storage';
import { createEventSubscriber } from '@gansight/events';
import { createJobQueue, type RunningWorker } from '@gansight/worker';
import { freePort } from './free-port';
import { instanceSecret } from './instance-secret';
import { startWeb, type RunningWeb } from './start-web';
import { launchWorker } from './launch-worker';
import { VERSION } from './version';

export interface RunningStack {
  database: OpenedDatabase;
  blobs: BlobStore;
  api: RunningApiServer;
  worker: RunningWorker | null;
  web: RunningWeb | null;
  stop(): Promise<void>;
}

export { VERSION };

/**
 * Starts everything one machine needs, in dependency order: database (embedded unless
 * DATABASE_URL is set) with migrations, blob storage, the API, the worker, then the dashboard.
 * Stops in reverse order; a failure half-way stops what had already started.
 */
export async function startStack(config: Config, log: (line: string) => void): Promise<RunningStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`error while stopping: ${(err as Error).message}`);
      }
    }
    stops.length = 0;
  };
  try {
    const database = await openDatabase(config.database, {
      onMigration: (name) => log(`applied migration ${name}`),
    });
    stops.push(() => database.close());
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
    stops.push(() => blobs.close());
    log(`storage ready (${config.storage.driver === 'fs' ? `files under ${config.storage.root}` : `S3 bucket ${config.storage.bucket} at ${config.storage.endpoint}`})`);

    // Jobs go to the queue in PostgreSQL and progress comes back over LISTEN/NOTIFY, so workers
    // on other machines and this in-process one look the same to the API.
    const jobs = await createJobQueue({ connectionString: database.url });
    stops.push(() => jobs.release());
    const events = createEventSubscriber({ connectionString: database.url, log });
    await events.ready();
    stops.push(() => events.close());

    const api = await startApiServer({
      host: config.api.host,
      port: apiPort,
      introspection: config.api.introspection,
      // Browsers keep the session cookie to https when the public URL is https.
      secureCookies: config.api.publicUrl?.startsWith('https:') ?? false,
      log,
      // Signed GETs of the filesystem driver, and every driver's single-use upload PUTs (ADR 0024).
      routes: { '/blobs': createBlobRoute({ blobs, db: database.db, secret }) },
      services: {
        version: VERSION,
        startedAt: Date.now(),
        db: database.db,
        // Signs invitation codes, so that every replica (and a restart) accepts them.
        secret,
        platformOperatorToken: config.api.platformOperatorToken,
        blobs,
        jobs,
        events,
        healthChecks: {
          database: () => pingDatabase(database.db),
          storage: async () => void (await blobs.exists('factories/_health/probe')),
        },
      },
    });
    stops.push(() => api.stop());
    log(`API ready at ${api.url}`);

    let worker: RunningWorker | null = null;
    if (config.start.worker) {
      worker = await launchWorker(config, database, blobs, log);
      stops.push(() => worker!.stop());
    }

    let web: RunningWeb | null = null;
    if (config.start.web) {
      web = await startWeb({ port: config.web.port, apiPort: api.port, mode: 'dev', log });
      stops.push(() => web!.stop());
      log(`dashboard ready at ${web.url}`);
    }
    return { database, blobs, api, worker, web, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
