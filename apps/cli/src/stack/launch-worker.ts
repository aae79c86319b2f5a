import type { Config } from '@gansight/config';
import type { OpenedDatabase } from '@gansight/db';
import type { BlobStore } from '@gansight/storage';
import { startConfiguredWorker, type RunningWorker } from '@gansight/worker';
import { VERSION } from './version';

/** A queue worker inside the stack's process (`gansight start`); the stack owns signals and shutdown. */
export async function launchWorker(
  config: Config,
  database: OpenedDatabase,
  blobs: BlobStore,
  log: (line: string) => void,
): Promise<RunningWorker> {
  return startConfiguredWorker(config, { databaseUrl: database.url, db: database.db, blobs, version: VERSION, log });
}
