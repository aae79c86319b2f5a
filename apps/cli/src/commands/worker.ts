import { loadConfigOrExit } from '@gansight/config';
import { openDatabase } from '@gansight/db';
import { selectBackend } from '@gansight/ml';
import { startWorker } from '@gansight/worker';
import { VERSION } from '../stack/start-stack';
import { workerTasks } from '../stack/worker-tasks';

/** `gansight worker`: one queue worker process, drained on SIGTERM/SIGINT. */
export async function workerCommand(): Promise<void> {
  const config = loadConfigOrExit();
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const database = await openDatabase(config.database, { onMigration: (name) => log(`applied migration ${name}`) });
  const backend = await selectBackend(config.ml.backend, log);
  const worker = await startWorker({
    databaseUrl: database.url,
    db: database.db,
    concurrency: config.worker.concurrency,
    backend: backend.kind,
    version: VERSION,
    tasks: await workerTasks(config, database.db),
    log,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing jobs in flight, taking no new ones`);
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
