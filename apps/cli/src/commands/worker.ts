import { loadConfigOrExit } from '@gansight/config';
import { openDatabase } from '@gansight/db';
import { runWorkerProcess } from '@gansight/worker';
import { VERSION } from '../stack/version';

/**
 * `gansight worker`: one queue worker process; SIGTERM/SIGINT drain it (training checkpoints).
 * The same process as apps/worker/src/main.ts, except that without DATABASE_URL it starts (or
 * joins) the embedded PostgreSQL of this machine and applies pending migrations.
 */
export async function workerCommand(): Promise<void> {
  const config = loadConfigOrExit();
  await runWorkerProcess({
    config,
    version: VERSION,
    openDatabase: (log) => openDatabase(config.database, { onMigration: (name) => log(`applied migration ${name}`) }),
  });
}
