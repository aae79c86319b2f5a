// Load benchmark of the API's hot reads against a real PostgreSQL with many inspections:
// inspection(id) and a 30-day defectTrends, each driven by N concurrent loopback clients from
// a separate process (load-client.ts), so the load generator never shares the API's event loop.
//   node --import tsx apps/api/bench/read-latency.ts [--rows 2000,100000,1000000] [--clients 1,50,200] [--seconds 10] [--warmup 2] [--reads by-id,trends]
// Rows are seeded once per size, growing (2 000, then 98 000 more, ...); every size runs every
// client count. Prints one JSON line per run (with /proc/loadavg before it); README.md beside
// this file records the figures.
import { parseArgs } from 'node:util';
import { createDbClient } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { LOAD_OPTIONS, startBenchApi } from './bench-api';
import { createBenchData, loadavg, runLoadWithCpu, seedInspections } from './bench-stack';
import type { LoadJob } from './load-client';

const { values } = parseArgs({
  options: {
    ...LOAD_OPTIONS,
    reads: { type: 'string', default: 'by-id,trends' },
  },
});
const list = (s: string) => s.split(',').map((v) => Number(v.trim()));
const ROW_COUNTS = list(values.rows).sort((a, b) => a - b);
const CLIENT_COUNTS = list(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const READS = values.reads.split(',') as LoadJob['read'][];
if ([...ROW_COUNTS, ...CLIENT_COUNTS, SECONDS].some((n) => !Number.isInteger(n) || n < 1) || SECONDS > 120 || Math.max(...CLIENT_COUNTS) > 1000) {
  throw new Error('rows and clients are positive integers (at most 1000 clients), seconds between 1 and 120');
}

const database = await createTestDatabase();
// A pool the size a deployed replica would use (the test default of 5 is for test files).
const db = createDbClient(database.url, { maxConnections: 20 });
const data = await createBenchData(db);
const api = await startBenchApi(db);

let seeded = 0;
for (const rows of ROW_COUNTS) {
  const seedSeconds = await seedInspections(db, data, seeded, rows);
  seeded = rows;
  const count = async (table: string) => (await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;
  const rollupRows = { hourly: await count('InspectionHourlyStat'), daily: await count('InspectionDailyStat') };
  console.log(JSON.stringify({ seeded: rows, seedSeconds: Number(seedSeconds.toFixed(1)), rollupRows }));
  for (const clients of CLIENT_COUNTS) {
    for (const read of READS) {
      const before = await loadavg();
      const result = await runLoadWithCpu({ url: api.url, token: data.token, clients, seconds: SECONDS, warmupSeconds: WARMUP, read, rows, productId: data.productId }, db);
      console.log(JSON.stringify({ read, rows, clients, loadavgBefore: before, ...result }));
    }
  }
}
await api.stop();
await db.$disconnect();
await database.drop();
process.exit(0);
