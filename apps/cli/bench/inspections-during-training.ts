// Load test (issue 13, acceptance): one `gansight start` (a child process, as `npm start` runs it),
// a model training, and 50 concurrent clients reading inspections through the API the whole time.
// Prints the latency distribution of those queries (and of `health`) as JSON; docs/PERFORMANCE.md
// records it. Not part of `npm test` (it takes minutes and its timings depend on the machine).
//
//   node --import tsx apps/cli/bench/inspections-during-training.ts [--clients 50] [--size 32]
//     [--steps 200] [--encoder-steps 300] [--inspections 20] [--health-clients 10] [--web]
//
// Each client has its own API key (the per-key rate limit is 20 requests a second) and sends
// `inspections(first: 20)` of the product back to back, with a pause of about --pause-ms (default 200)
// so that 50 clients stay under their limits; --health-clients more clients send `health` the
// same way (several, so that health's p99 rests on as many samples as a tenth of the inspections'
// rather than being the maximum of a few dozen). Each health answer also carries how long its
// database and storage checks took, so a slow answer says whether the time went to a check or
// to waiting in the API (both are printed as distributions); the API's own /metrics give its
// event-loop delay and garbage collection over the training window. For comparison the
// same clients first run --baseline-seconds (default 30) with no training, on the same machine at
// the same time of day: what is left of the tail then is the machine, not the training.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  ActivateModelDocument, CreateApiKeyDocument, createGansightClient, InspectionDocument, LoginDocument, ModelDocument, StartTrainingDocument,
  SubmitInspectionDocument, uploadImage, type GansightClient,
} from '@gansight/client';
import { freePort } from '../src/stack/free-port';
import {
  createFactoryKey, INSPECTIONS_QUERY, quantile, seedProduct, spawnGansight, texturePng, timedRequest,
} from '../src/testing/stack-process';

const { values: a } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    size: { type: 'string', default: '32' },
    steps: { type: 'string', default: '200' },
    'encoder-steps': { type: 'string', default: '300' },
    inspections: { type: 'string', default: '20' },
    'health-clients': { type: 'string', default: '10' },
    'pause-ms': { type: 'string', default: '200' },
    // By default each client starts at a random moment within its first pause and draws each
    // pause uniformly from 0.5-1.5x --pause-ms (the same mean rate), as independent machines on a
    // line would. --lockstep is how this bench ran before 2026-12-07 18:00 UTC: every client
    // starts at once and pauses exactly --pause-ms, so the clients arrive as one herd of 60 that
    // the API serves one after the other; the herd, not the training, made the tail (PERFORMANCE.md).
    lockstep: { type: 'boolean', default: false },
    'baseline-seconds': { type: 'string', default: '30' },
    web: { type: 'boolean', default: false },
  },
});
const clients = Number(a.clients);
const healthClients = Number(a['health-clients']);
const HEALTH_WITH_CHECKS = '{ health { status checks { name latencyMs } } }';
const size = Number(a.size);
const clientLoop = monitorEventLoopDelay({ resolution: 10 });
clientLoop.enable();
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

/**
 * The kernel's TCP counters (/proc/net/netstat, /proc/net/snmp; all zero where there are none):
 * loss probes and retransmissions are sent after ~200 ms without an ACK, the size of the tail
 * that neither process's event loop shows.
 */
async function tcpCounters(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const file of ['/proc/net/snmp', '/proc/net/netstat']) {
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const [head, ...names] = lines[i]!.split(' ');
      const values = lines[i + 1]!.split(' ').slice(1);
      names.forEach((n, k) => {
        if (['Tcp:RetransSegs', 'TcpExt:TCPLossProbes', 'TcpExt:DelayedACKs', 'TcpExt:DelayedACKLost', 'TcpExt:TCPTimeouts'].includes(`${head}${n}`)) out[`${head}${n}`] = Number(values[k]);
      });
    }
  }
  return out;
}

/** The API's own view of a window (prom-client default metrics; the event-loop delay histogram restarts at each scrape). */
async function apiMetrics(apiUrl: string) {
  const text = await (await fetch(new URL('/metrics', apiUrl))).text();
  const value = (name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN);
  const gc = (field: 'sum' | 'count', kind: string) => Number(text.split('\n').find((l) => l.startsWith(`nodejs_gc_duration_seconds_${field}{`) && l.includes(`kind="${kind}"`))?.split(' ').at(-1) ?? 0);
  // Server-side request durations per operation: how many answers took over 100 ms in the API.
  const buckets: Record<string, { over100ms: number; count: number }> = {};
  for (const l of text.split('\n')) {
    const m = /^gansight_graphql_request_duration_seconds_(bucket|count)\{(.*)\} (\S+)$/.exec(l);
    if (!m) continue;
    const op = /operation="([^"]*)"/.exec(m[2]!)?.[1] ?? '?';
    const b = (buckets[op] ??= { over100ms: 0, count: 0 });
    if (m[1] === 'count') b.count = Number(m[3]);
    else if (m[2]!.includes('le="0.1"')) b.over100ms = -Number(m[3]);
  }
  for (const b of Object.values(buckets)) b.over100ms += b.count;
  return {
    requestsByOperation: buckets,
    eventLoopDelayMs: { p50: value('nodejs_eventloop_lag_p50_seconds') * 1000, p99: value('nodejs_eventloop_lag_p99_seconds') * 1000, max: value('nodejs_eventloop_lag_max_seconds') * 1000 },
    gc: Object.fromEntries(['minor', 'major', 'incremental'].map((k) => [k, { count: gc('count', k), seconds: gc('sum', k) }])),
  };
}

async function waitForModel(client: GansightClient, id: string) {
  for (;;) {
    const { model } = await client.request(ModelDocument, { id });
    if (model.status !== 'QUEUED' && model.status !== 'TRAINING') return model;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-load-'));
const env = {
  GANSIGHT_DATA_DIR: dataDir, API_PORT: String(await freePort()), WEB_PORT: String(await freePort()),
  START_WEB: a.web ? 'true' : 'false', ML_BACKEND: process.env.ML_BACKEND ?? 'wasm',
};
const stack = spawnGansight(env);
try {
  const apiUrl = (await stack.waitForLine(/API ready at ([^\s"]+)/))[1]!;
  await stack.waitForLine(/Gansight is running/, 600_000);
  const adminKey = await createFactoryKey(env, 'Load Tiles');
  const admin = createGansightClient({ url: apiUrl, apiKey: adminKey });
  const productId = await seedProduct(admin, { name: 'Tile', size, train: 40, validation: 8 });
  log(`product ${productId} seeded; training a first model to inspect with`);

  // Inspections to read: a small model, activated, and --inspections images inspected.
  const first = (await admin.request(StartTrainingDocument, { productId, preset: 'FAST', hyperParameters: { steps: 30, batchSize: 16, encoderSteps: 0 } })).startTraining;
  if ((await waitForModel(admin, first.model.id)).status !== 'READY') throw new Error(`first model did not train:\n${stack.output()}`);
  await admin.request(ActivateModelDocument, { id: first.model.id });
  const inspectionIds: string[] = [];
  for (let i = 0; i < Number(a.inspections); i++) {
    const { image } = await uploadImage(admin, { productId, bytes: await texturePng(1000 + i, size), facts: { line: 'L1' } });
    inspectionIds.push((await admin.request(SubmitInspectionDocument, { input: { imageId: image.id, idempotencyKey: `load-${i}` } })).submitInspection.inspection.id);
  }
  for (const id of inspectionIds) {
    for (;;) {
      const { status } = (await admin.request(InspectionDocument, { id })).inspection;
      if (status === 'DONE' || status === 'FAILED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  log(`${inspectionIds.length} inspections done; creating ${clients} client keys`);

  const { login } = await createGansightClient({ url: apiUrl }).request(LoginDocument, { email: 'ops@loadtiles.example', password: 'a long password' });
  const session = createGansightClient({ url: apiUrl, token: login.token });
  const keys: string[] = [];
  for (let i = 0; i < clients + healthClients; i++) {
    keys.push((await session.request(CreateApiKeyDocument, { name: `load ${i}`, scopes: ['results:read', 'products:read'] })).createApiKey.token);
  }

  const pause = Number(a['pause-ms']);
  const errors: string[] = [];
  const measure = async (until: () => boolean) => {
    const inspections: number[] = [];
    const health: number[] = [];
    const checks: Record<string, number[]> = {};
    // When each round trip over 100 ms started (ms since the window opened) and how long it took:
    // slow trips that start together are one stall shared by every client (a process descheduled,
    // a pause), slow trips spread out one by one are each connection's own (a lost ACK, a timer).
    const slow: { at: number; ms: number }[] = [];
    const opened = performance.now();
    const loop = async (key: string, query: string, variables: Record<string, unknown>, into: number[]) => {
      if (!a.lockstep) await new Promise((r) => setTimeout(r, Math.random() * pause));
      while (!until()) {
        try {
          const at = performance.now() - opened;
          const { ms, data } = await timedRequest(apiUrl, key, query, variables);
          into.push(ms);
          if (ms > 100) slow.push({ at, ms });
          for (const c of (data as { health?: { checks: { name: string; latencyMs: number }[] } }).health?.checks ?? []) (checks[c.name] ??= []).push(c.latencyMs);
        } catch (err) {
          errors.push((err as Error).message.slice(0, 200));
        }
        await new Promise((r) => setTimeout(r, a.lockstep ? pause : pause * (0.5 + Math.random())));
      }
    };
    const started = Date.now();
    await Promise.all([
      ...keys.slice(0, clients).map((k) => loop(k, INSPECTIONS_QUERY, { productId }, inspections)),
      ...keys.slice(clients).map((k) => loop(k, HEALTH_WITH_CHECKS, {}, health)),
    ]);
    return { inspections, health, checks, slow, seconds: (Date.now() - started) / 1000 };
  };
  const baselineEnd = Date.now() + Number(a['baseline-seconds']) * 1000;
  log(`baseline: ${clients} clients query inspections for ${a['baseline-seconds']} s, nothing training`);
  const baseline = await measure(() => Date.now() > baselineEnd);
  const baselineLoad = os.loadavg().map((l) => +l.toFixed(2));

  const { startTraining } = await admin.request(StartTrainingDocument, {
    productId, preset: 'FAST', hyperParameters: { steps: Number(a.steps), batchSize: 16, encoderSteps: Number(a['encoder-steps']) },
  });
  log(`training model ${startTraining.model.id} (${a.steps} steps, encoder ${a['encoder-steps']}); ${clients} clients query inspections until it ends`);
  let training = true;
  const metricsBefore = await apiMetrics(apiUrl);
  const tcpBefore = await tcpCounters();
  clientLoop.reset();
  const during = measure(() => !training);
  const model = await waitForModel(admin, startTraining.model.id);
  training = false;
  const { inspections, health, checks, slow, seconds } = await during;
  const metricsAfter = await apiMetrics(apiUrl);
  const tcpAfter = await tcpCounters();
  const round = (v: number) => +v.toFixed(1);
  const apiDuringTraining = {
    eventLoopDelayMs: Object.fromEntries(Object.entries(metricsAfter.eventLoopDelayMs).map(([k, v]) => [k, round(v)])),
    gc: Object.fromEntries(Object.entries(metricsAfter.gc).map(([k, v]) => [k, { count: v.count - metricsBefore.gc[k]!.count, ms: round((v.seconds - metricsBefore.gc[k]!.seconds) * 1000) }])),
    requestsByOperation: Object.fromEntries(Object.entries(metricsAfter.requestsByOperation).map(([op, v]) => {
      const b = metricsBefore.requestsByOperation[op] ?? { over100ms: 0, count: 0 };
      return [op, { count: v.count - b.count, over100ms: v.over100ms - b.over100ms }];
    })),
    // This process's own event loop (the clients): a stall here inflates every round trip it times.
    clientEventLoopDelayMs: { p99: round(clientLoop.percentile(99) / 1e6), max: round(clientLoop.max / 1e6) },
    tcpDuringTraining: Object.fromEntries(Object.entries(tcpAfter).map(([k, v]) => [k, v - (tcpBefore[k] ?? 0)])),
  };
  const stats = (v: number[]) => ({
    count: v.length, p50: +quantile(v, 0.5).toFixed(1), p90: +quantile(v, 0.9).toFixed(1), p99: +quantile(v, 0.99).toFixed(1), max: +v.reduce((m, x) => Math.max(m, x), 0).toFixed(1),
  });
  /** Slow round trips grouped by start time (within 50 ms of the group's first), and their sizes' shape. */
  const slowShape = (trips: { at: number; ms: number }[]) => {
    const sorted = [...trips].sort((x, y) => x.at - y.at);
    const groups: number[] = [];
    const groupStarts: number[] = [];
    let groupStart = -Infinity;
    for (const t of sorted) {
      if (t.at - groupStart > 50) { groups.push(0); groupStart = t.at; groupStarts.push(Math.round(t.at)); }
      groups[groups.length - 1]! += 1;
    }
    const bins = { '100-150': 0, '150-200': 0, '200-250': 0, '250-300': 0, '300+': 0 };
    for (const t of trips) bins[t.ms < 150 ? '100-150' : t.ms < 200 ? '150-200' : t.ms < 250 ? '200-250' : t.ms < 300 ? '250-300' : '300+'] += 1;
    return { count: trips.length, groups: groups.length, largestGroup: Math.max(0, ...groups), largestGroupAtMs: groupStarts[groups.indexOf(Math.max(...groups))], alone: groups.filter((g) => g === 1).length, msBins: bins };
  };
  const load = os.loadavg().map((l) => +l.toFixed(2));
  await admin.close();
  console.log(JSON.stringify({
    clients, healthClients, pauseMs: pause, lockstep: a.lockstep, size, steps: Number(a.steps), encoderSteps: Number(a['encoder-steps']), cpus: os.cpus().length,
    training: {
      seconds: +seconds.toFixed(1), model: model.status, requestsPerSecond: +((inspections.length + health.length) / seconds).toFixed(1),
      api: apiDuringTraining, slowRoundTrips: slowShape(slow),
      inspectionsMs: stats(inspections), healthMs: stats(health), healthChecksMs: Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, stats(v)])), loadAverageAtEnd: load,
    },
    baseline: {
      seconds: +baseline.seconds.toFixed(1), requestsPerSecond: +((baseline.inspections.length + baseline.health.length) / baseline.seconds).toFixed(1),
      inspectionsMs: stats(baseline.inspections), healthMs: stats(baseline.health), loadAverageAtEnd: baselineLoad,
    },
    errors: errors.length, firstErrors: [...new Set(errors)].slice(0, 3),
  }, null, 2));
} finally {
  stack.child.kill('SIGTERM');
  await stack.exited;
  await rm(dataDir, { recursive: true, force: true });
}
