// What the daily rollup tier saves the database on a 30-day DAY-bucket trend, measured without
// the API around it: the same query read from 720 hourly rows per key vs ~30 daily rows per key,
// interleaved (A, B, A, B, ...) so both see the same machine load.
//   node --import tsx apps/api/bench/rollup-read-cost.ts [--rows 100000] [--rounds 200]
// From ~100 000 rows on every hour of the 90 days holds every station, so the rollups (and this
// cost) no longer grow with the table.
import { parseArgs } from 'node:util';
import { bootstrapFactory, createDbClient, createImage, createModel, createProduct } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '200' } } });
const ROWS = Number(values.rows);
const ROUNDS = Number(values.rounds);

const database = await createTestDatabase();
const db = createDbClient(database.url, { maxConnections: 2 });
const { factoryId } = await bootstrapFactory(db, {
  name: 'Rollup Bench', admin: { email: 'rollup@example.com', passwordHash: 'x' },
  apiKey: { name: 'k', prefix: 'gk_rollup', secretHash: 'x', scopes: [] },
});
const product = await createProduct(db, factoryId, { name: 'Cell', imageSize: 64, channels: 1 });
const model = await createModel(db, factoryId, { productId: product.id });
const { image } = await createImage(db, factoryId, {
  productId: product.id, blobKey: `factories/${factoryId}/images/b.png`, sha256: 'e'.repeat(64), width: 64, height: 64, contentType: 'image/png', byteSize: 1,
});
await db.$executeRaw`
  INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "station", "createdAt")
  SELECT 'r' || g, ${factoryId}, ${product.id}, ${model.id}, ${image.id}, 'DONE', (CASE WHEN g % 25 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
         'S' || (g % 6), now() - ((g::bigint * 7919) % 7776000) * interval '1 second'
  FROM generate_series(1, ${ROWS}::int) g`;
await db.$executeRawUnsafe('ANALYZE');

const DAY = 86_400_000;
const dayEnd = new Date(Math.floor(Date.now() / DAY) * DAY);
const dayStart = new Date(dayEnd.getTime() - 29 * DAY);
const hours = () => db.$queryRaw`
  SELECT date_trunc('day', "hour", 'UTC') AS bucket, sum("total")::int AS total, sum("fail")::int AS fail
  FROM "InspectionHourlyStat" WHERE "factoryId" = ${factoryId} AND "productId" = ${product.id} AND "hour" >= ${dayStart} AND "hour" < ${dayEnd}
  GROUP BY 1 ORDER BY 1`;
const days = () => db.$queryRaw`
  SELECT date_trunc('day', "day", 'UTC') AS bucket, sum("total")::int AS total, sum("fail")::int AS fail
  FROM "InspectionDailyStat" WHERE "factoryId" = ${factoryId} AND "productId" = ${product.id} AND "day" >= ${dayStart} AND "day" < ${dayEnd}
  GROUP BY 1 ORDER BY 1`;
if (JSON.stringify(await hours()) !== JSON.stringify(await days())) throw new Error('hourly and daily rollups disagree');

const times: { hours: number[]; days: number[] } = { hours: [], days: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, query] of [['hours', hours], ['days', days]] as const) {
    const t0 = performance.now();
    await query();
    times[name].push(performance.now() - t0);
  }
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(JSON.stringify({ rows: ROWS, rounds: ROUNDS, loadavgAfter: load, hoursMedianMs: Number(median(times.hours)), daysMedianMs: Number(median(times.days)) }));
await db.$disconnect();
await database.drop();
process.exit(0);
