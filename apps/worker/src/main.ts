// A worker process: `node --import tsx apps/worker/src/main.ts`. Configuration comes from the
// environment (packages/config); DATABASE_URL is required, since a worker joins a database
// that someone else runs (`gansight worker` can also start an embedded one). SIGTERM/SIGINT
// drain: no new jobs, training checkpoints, then exit (runWorkerProcess).
import { readFileSync } from 'node:fs';
import { loadConfigOrExit } from '@gansight/config';
import { createDbClient } from '@gansight/db';
import { runWorkerProcess } from './run-worker-process';

const config = loadConfigOrExit();
const url = config.database.url;
if (!url) {
  process.stderr.write('Invalid configuration:\n  DATABASE_URL: required for a worker process (it joins the queue in that database)\n');
  process.exit(1);
}
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

await runWorkerProcess({
  config,
  version,
  openDatabase: async () => {
    const db = createDbClient(url, { maxConnections: 4 });
    return { url, db, close: () => db.$disconnect() };
  },
});
