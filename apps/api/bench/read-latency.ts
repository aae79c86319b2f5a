// Load benchmark of the API's hot reads against a real PostgreSQL with many inspections:
// inspection(id) and a 30-day defectTrends, each driven by N concurrent loopback clients from
// a separate process (load-client.ts), so the load generator never shares the API's event loop.
//   node --import tsx apps/api/bench/read-latency.ts [--rows 2000,100000,1000000] [--clients 1,50,200] [--seconds 10] [--warmup 2] [--reads by-id,trends]
// Rows are seeded once per size, growing (2 000, then 98 000 more, ...); every size runs every
// client count. Prints one JSON line per run (with /proc/loadavg before it); README.md beside
// this file records the figures.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { activateModel, bootstrapFactory, createDbClient, createImage, createModel, createProduct, updateModel } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { FsBlobStore } from '@gansight/storage';
import { generateApiKey, hashPassword } from '../src/modules/auth/credentials';
import { startApiServer } from '../src/server';
import type { LoadJob, LoadResult } from './load-client';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
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
const key = generateApiKey();
const { factoryId } = await bootstrapFactory(db, {
  name: 'Bench Works',
  admin: { email: 'bench@example.com', passwordHash: await hashPassword('bench password 123') },
  apiKey: { name: 'bench', prefix: key.prefix, secretHash: key.secretHash, scopes: ['results:read'] },
});
const product = await createProduct(db, factoryId, { name: 'Cell', imageSize: 64, channels: 1 });
const model = await createModel(db, factoryId, { productId: product.id });
await updateModel(db, factoryId, model.id, { status: 'READY' });
await activateModel(db, factoryId, model.id);
const { image } = await createImage(db, factoryId, {
  productId: product.id, blobKey: `factories/${factoryId}/images/bench.png`, sha256: 'f'.repeat(64),
  width: 64, height: 64, contentType: 'image/png', byteSize: 1,
});

/**
 * Grows the table to `rows` inspections through one INSERT ... SELECT (the rollup triggers see
 * it as one statement). Rows scatter over the last 90 days (g * 7919 mod 90 days, so every
 * size covers the whole range), 6 stations, ~4% failing, with a reconstruction and residual
 * blob key each like a finished inspection.
 */
async function seedTo(from: number, rows: number): Promise<number> {
  const started = performance.now();
  await db.$executeRaw`
    INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "normalizedScore", "anomalyScore", "station",
                              "reconstructionKey", "residualKey", "createdAt", "completedAt")
    SELECT 'bench' || g, ${factoryId}, ${product.id}, ${model.id}, ${image.id}, 'DONE',
           (CASE WHEN g % 25 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", (g % 1000) / 400.0, (g % 1000) / 100.0, 'S' || (g % 6),
           ${`factories/${factoryId}/inspections/`} || g || '/reconstruction.png', ${`factories/${factoryId}/inspections/`} || g || '/residual.png',
           now() - ((g::bigint * 7919) % 7776000) * interval '1 second', now()
    FROM generate_series(${from + 1}::int, ${rows}::int) g`;
  await db.$executeRawUnsafe('ANALYZE "Inspection"');
  await db.$executeRawUnsafe('ANALYZE "InspectionHourlyStat"');
  return (performance.now() - started) / 1000;
}

// Blob storage on disk, so inspection reads sign their reconstruction and residual URLs as
// deployed (signing is local HMAC work; nothing is read from disk by the benchmark).
const blobRoot = await mkdtemp(path.join(tmpdir(), 'gansight-bench-'));
const blobs = new FsBlobStore({ root: blobRoot, presignSecret: 'bench-presign-secret-0123456789', presignBaseUrl: 'http://127.0.0.1/blobs' });
await blobs.ensureReady();
const api = await startApiServer({
  host: '127.0.0.1', port: 0, introspection: false, apiKeyRateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  services: { version: 'bench', startedAt: Date.now(), db, healthChecks: {}, blobs },
});

const run = promisify(execFile);
const clientPath = fileURLToPath(new URL('./load-client.ts', import.meta.url));
async function load(job: LoadJob): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', clientPath, JSON.stringify(job)], { timeout: (job.seconds + job.warmupSeconds + 120) * 1000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
}
const loadavg = async () => (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ');

let seeded = 0;
for (const rows of ROW_COUNTS) {
  const seedSeconds = await seedTo(seeded, rows);
  seeded = rows;
  const count = async (table: string) => (await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;
  const rollupRows = { hourly: await count('InspectionHourlyStat'), daily: await count('InspectionDailyStat') };
  console.log(JSON.stringify({ seeded: rows, seedSeconds: Number(seedSeconds.toFixed(1)), rollupRows }));
  for (const clients of CLIENT_COUNTS) {
    for (const read of READS) {
      const before = await loadavg();
      const result = await load({ url: api.url, token: key.token, clients, seconds: SECONDS, warmupSeconds: WARMUP, read, rows, productId: product.id });
      console.log(JSON.stringify({ read, rows, clients, loadavgBefore: before, ...result }));
    }
  }
}
await api.stop();
await db.$disconnect();
await database.drop();
await rm(blobRoot, { recursive: true, force: true });
process.exit(0);
