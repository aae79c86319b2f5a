import { loadConfigOrExit } from '@gansight/config';
import { openDatabase } from '@gansight/db';
import { createBlobStore } from '@gansight/storage';
import { launchWorker } from '../stack/launch-worker';

/** `gansight worker`: one queue worker process; SIGTERM/SIGINT drain it (training checkpoints). */
export async function workerCommand(): Promise<void> {
  const config = loadConfigOrExit();
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const database = await openDatabase(config.database, { onMigration: (name) => log(`applied migration ${name}`) });
  const blobs = createBlobStore(config.storage);
  await blobs.ensureReady();
  const worker = await launchWorker(config, database, blobs, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing or checkpointing jobs in flight, taking no new ones`);
    await worker.stop();
    await blobs.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
