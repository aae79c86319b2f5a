// One API process for replicas.ts: the bench API (bench-api.ts) over DATABASE_URL, in a process
// of its own, as each replica of a deployment runs. Prints one JSON line with its URL, then
// serves until SIGTERM.
import { createDbClient } from '@gansight/db';
import { startBenchApi } from './bench-api';

const db = createDbClient(process.env.DATABASE_URL!, { maxConnections: Number(process.env.POOL ?? 20) });
const api = await startBenchApi(db);
process.stdout.write(`${JSON.stringify({ url: api.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  void api.stop().then(() => db.$disconnect()).then(() => process.exit(0));
});
