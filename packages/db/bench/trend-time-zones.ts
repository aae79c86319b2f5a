// Database-side cost of one 30-day defect trend per time zone (docs/adr/0012): UTC reads daily
// rollups; other zones read hourly ones, plus the rows of any hour a local midnight cuts
// (half-hour zones). Seeds N inspections over 90 days on 6 stations into a throw-away database
// on a temporary embedded PostgreSQL, then times sequential calls. Prints one JSON line per case.
//   npx tsx packages/db/bench/trend-time-zones.ts [--rows 100000] [--calls 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTestDatabase, seedFactory } from '../src/testing/index';
import { inspectionTrend } from '../src/index';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, calls: { type: 'string', default: '30' } } });
const rows = Math.min(Number(values.rows), 2_000_000);
const calls = Math.max(5, Math.min(Number(values.calls), 1000));

const t = await createTestDatabase();
try {
  const db = t.db;
  const f = await seedFactory(db);
  const now = new Date();
  await db.$executeRaw`
    INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "line", "station", "createdAt")
    SELECT ${f.factoryId} || '-b' || g, ${f.factoryId}, ${f.productId}, ${f.modelId}, ${f.imageIds[0]}, 'DONE',
           (CASE WHEN g % 25 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", 'L1', 'S' || (g % 6),
           ${now}::timestamptz - (g * 90 * 86400.0 / ${rows}::int) * interval '1 second'
    FROM generate_series(1, ${rows}::int) g`;
  await db.$executeRawUnsafe('ANALYZE');
  const range = { from: new Date(now.getTime() - 30 * 86_400_000), to: now, productId: f.productId };
  const cases = [
    ...['UTC', 'Asia/Shanghai', 'America/Chicago', 'Asia/Kolkata'].map((timeZone) => ({ bucket: 'day' as const, timeZone })),
    ...['UTC', 'Asia/Shanghai', 'Asia/Kolkata'].map((timeZone) => ({ bucket: 'hour' as const, timeZone })),
  ];
  for (const c of cases) {
    const query = { ...range, ...c };
    for (let i = 0; i < 5; i++) await inspectionTrend(db, f.factoryId, query);
    const ms: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      await inspectionTrend(db, f.factoryId, query);
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(JSON.stringify({ rows, bucket: c.bucket, timeZone: c.timeZone, calls, p50ms: at(0.5), p90ms: at(0.9), loadavg: load }));
  }
} finally {
  await t.drop();
}
process.exit(0);
