// Load benchmark of the API's hot reads against a real PostgreSQL with many inspections:
// inspection(id) and a 30-day defectTrends, each driven by N concurrent loopback clients.
//   node --import tsx apps/api/bench/read-latency.ts [--rows 1000000] [--clients 200] [--seconds 10]
// Prints p50/p99 latency and throughput as JSON lines; docs/PERFORMANCE.md records the figures.
import { parseArgs } from 'node:util';
import { activateModel, bootstrapFactory, createDbClient, createImage, createModel, createProduct, updateModel } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { generateApiKey, hashPassword } from '../src/modules/auth/credentials';
import { startApiServer } from '../src/server';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, clients: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' } },
});
const ROWS = Number(values.rows);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);

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

// Seeding through SQL: a million rows through the repository would take an hour. Rows spread
// over the last 90 days, 6 stations, ~4% failing.
const seedStart = performance.now();
await db.$executeRaw`
  INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "normalizedScore", "anomalyScore", "station", "createdAt", "completedAt")
  SELECT 'bench' || g, ${factoryId}, ${product.id}, ${model.id}, ${image.id}, 'DONE',
         (CASE WHEN g % 25 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", (g % 1000) / 400.0, (g % 1000) / 100.0,
         'S' || (g % 6), now() - (g % 7776000) * interval '1 second', now()
  FROM generate_series(1, ${ROWS}::int) g`;
await db.$executeRawUnsafe('ANALYZE "Inspection"');
const seedSeconds = (performance.now() - seedStart) / 1000;

const api = await startApiServer({
  host: '127.0.0.1', port: 0, introspection: false, apiKeyRateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  services: { version: 'bench', startedAt: Date.now(), db, healthChecks: {} },
});

async function load(name: string, body: () => string) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.token}` },
        body: body(),
      });
      const json = (await res.json()) as { errors?: unknown };
      if (!res.ok || json.errors) errors++;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
  console.log(JSON.stringify({ bench: name, rows: ROWS, clients: CLIENTS, requests: latencies.length, errors, rps: Math.round(latencies.length / SECONDS), p50ms: pct(0.5), p99ms: pct(0.99) }));
}

console.log(JSON.stringify({ seeded: ROWS, seedSeconds: Number(seedSeconds.toFixed(1)) }));
await load('inspection-by-id', () =>
  JSON.stringify({ query: 'query($id: ID!) { inspection(id: $id) { id status verdict normalizedScore station } }', variables: { id: `bench${1 + Math.floor(Math.random() * ROWS)}` } }),
);
const to = new Date();
const from = new Date(to.getTime() - 30 * 86_400_000);
await load('defect-trends-30d', () =>
  JSON.stringify({
    query: 'query($f: DateTime!, $t: DateTime!, $p: ID) { defectTrends(from: $f, to: $t, bucket: DAY, productId: $p) { bucketStart total fail } }',
    variables: { f: from.toISOString(), t: to.toISOString(), p: product.id },
  }),
);
await api.stop();
await db.$disconnect();
await database.drop();
process.exit(0);
