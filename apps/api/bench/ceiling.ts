// How fast could a read be on this machine at all? Drives the same load generator
// (load-client.ts: same closed loop, same clients, same request bodies and API-key header)
// against servers that do less and less than the API:
//   http-fixed    a bare node:http server answering a fixed JSON body (the API's own answer to a
//                 by-id read): the cost of HTTP, Node and the load generator alone;
//   http-pg       bare node:http + JSON.parse of the body + the by-id SQL on a plain `pg` Pool;
//   http-prisma   the same through getInspection (Prisma $queryRaw over the same pg driver,
//                 the same pool size the API uses): what the API's data layer adds;
//   api           the real API (GraphQL, auth, rate limit, limits, presigned URLs);
//   http-prisma-trends / api-trends   the same split for the 30-day DAY trend.
// Each run also reports CPU milliseconds per request of the server process, PostgreSQL and the
// load generator, over the timed window: on n cores no server can exceed n * 1000 / (their sum)
// requests per second, so these say whether the aims are reachable here, whatever the noise.
//   node --import tsx apps/api/bench/ceiling.ts [--rows 1000000] [--clients 200] [--seconds 10] [--warmup 2] [--rounds 2] [--targets ...]
// Targets run in turn within each round (round 2 repeats round 1), one JSON line per run.
import http from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { createDbClient, getInspection, inspectionTrend } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { LOAD_OPTIONS, startBenchApi } from './bench-api';
import { createBenchData, loadavg, runLoadWithCpu, seedInspections } from './bench-stack';
import type { LoadJob } from './load-client';

// The very pg driver that @gansight/db's Prisma adapter uses (the API declares no pg of its own).
const pg = createRequire(import.meta.resolve('@gansight/db'))('pg') as typeof import('pg');

const TARGETS = ['http-fixed', 'http-pg', 'http-prisma', 'api', 'http-prisma-trends', 'api-trends'] as const;
type Target = (typeof TARGETS)[number];

const { values } = parseArgs({
  options: {
    ...LOAD_OPTIONS,
    rounds: { type: 'string', default: '2' },
    targets: { type: 'string', default: TARGETS.join(',') },
  },
});
const ROWS = Number(values.rows);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const targets = values.targets.split(',').map((t) => t.trim()) as Target[];
if (targets.some((t) => !TARGETS.includes(t))) throw new Error(`targets are ${TARGETS.join(', ')}`);
if ([ROWS, CLIENTS, SECONDS, ROUNDS].some((n) => !Number.isInteger(n) || n < 1) || SECONDS > 120 || CLIENTS > 1000 || ROUNDS > 10) {
  throw new Error('rows, clients, seconds, rounds are positive integers (at most 1000 clients, 120 s, 10 rounds)');
}

const database = await createTestDatabase();
// The pool size a deployed replica uses, as in read-latency.ts; the plain pg pool matches it.
const db = createDbClient(database.url, { maxConnections: 20 });
const pool = new pg.Pool({ connectionString: database.url, max: 20 });
const data = await createBenchData(db);
const seedSeconds = await seedInspections(db, data, 0, ROWS);
console.log(JSON.stringify({ seeded: ROWS, seedSeconds: Number(seedSeconds.toFixed(1)) }));

const api = await startBenchApi(db);

// The fixed body is the API's real answer to one by-id read, so both send the same bytes.
const sample = await fetch(api.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${data.token}` },
  body: JSON.stringify({
    query: 'query($id: ID!) { inspection(id: $id) { id status verdict normalizedScore threshold station createdAt reconstructionUrl residualUrl } }',
    variables: { id: 'bench1' },
  }),
});
const fixedBody = await sample.text();
if (!sample.ok || !fixedBody.includes('"bench1"')) throw new Error(`the API did not answer the sample read: ${fixedBody}`);

type Handler = (variables: Record<string, string>) => Promise<string> | string;
const BY_ID_SQL = 'SELECT * FROM "Inspection" WHERE "id" = $1 AND "factoryId" = $2';
const handlers: Record<Exclude<Target, 'api' | 'api-trends'>, Handler> = {
  'http-fixed': () => fixedBody,
  'http-pg': async (v) => JSON.stringify({ data: { inspection: (await pool.query(BY_ID_SQL, [v.id, data.factoryId])).rows[0] } }),
  'http-prisma': async (v) => JSON.stringify({ data: { inspection: await getInspection(db, data.factoryId, v.id!) } }),
  'http-prisma-trends': async (v) =>
    JSON.stringify({ data: { defectTrends: await inspectionTrend(db, data.factoryId, { from: new Date(v.f!), to: new Date(v.t!), bucket: 'day', productId: v.p }) } }),
};

/** A bare server: reads the JSON body, runs `handle` on its variables, answers 200 JSON. */
async function bareServer(handle: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: Record<string, string> };
        const text = await handle(body.variables ?? {});
        res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

for (let round = 1; round <= ROUNDS; round++) {
  for (const target of targets) {
    const bare = target === 'api' || target === 'api-trends' ? undefined : await bareServer(handlers[target]);
    const read: LoadJob['read'] = target.endsWith('trends') ? 'trends' : 'by-id';
    const before = await loadavg();
    const result = await runLoadWithCpu(
      { url: bare?.url ?? api.url, token: data.token, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP, read, rows: ROWS, productId: data.productId },
      db,
    );
    await bare?.close();
    const cpuMsPerReq = result.serverCpuMsPerReq + result.postgresCpuMsPerReq + result.clientCpuMsPerReq;
    console.log(JSON.stringify({
      round, target, rows: ROWS, clients: CLIENTS, loadavgBefore: before, ...result,
      cpuMsPerReq: Number(cpuMsPerReq.toFixed(3)),
      // What 2 cores could serve if nothing else ran and all three sides scaled perfectly.
      twoCoreCeilingRps: Math.round(2000 / cpuMsPerReq),
    }));
  }
}
await api.stop();
await pool.end();
await db.$disconnect();
await database.drop();
process.exit(0);
