// Soak (issue 15): two API processes and two workers on one PostgreSQL and one S3 server, the
// layout of test/multi-process.test.ts, fed a steady rate of inspections through both APIs for
// --minutes. Prints one JSON object: per process the resident memory over time (first and last
// minute, and the slope after the warm-up), and the bookkeeping a line relies on: every accepted
// submission has exactly one row, each row ends DONE or FAILED, each inspection started and ended
// once (the events on our own LISTEN), and the workers' done-job counters add up to the rows.
// docs/PERFORMANCE.md records the figures. Not part of `npm test` (it runs for minutes).
//   npm run bench:soak -- [--minutes 10] [--rate 2] [--sample-seconds 10]
// Loopback only; every wait is bounded.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@gansight/cli';
import { spawnGansight, type StackProcess } from '@gansight/cli/testing';
import { API_KEY_SCOPES, generateApiKey, hashPassword } from '@gansight/contracts';
import { activateModel, bootstrapFactory } from '@gansight/db';
import type { GansightEvent } from '@gansight/events';
import { S3BlobStore } from '@gansight/storage';
import { startS3rver } from '@gansight/storage/testing';
import { addQualifiedImage, createWorkerStack, queueTinyTraining, seedProduct, trainReadyModel, waitFor } from '@gansight/worker/testing';

const { values: a } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '10' },
  },
});
const MINUTES = Number(a.minutes);
const RATE = Number(a.rate);
const SAMPLE_S = Number(a['sample-seconds']);
if (!(MINUTES > 0 && MINUTES <= 60 && RATE > 0 && RATE <= 50 && SAMPLE_S >= 1)) throw new Error('--minutes in (0, 60], --rate in (0, 50] per second, --sample-seconds >= 1');
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

/** Resident memory of a process in MiB (NaN once it has gone). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : NaN;
}

const stack = await createWorkerStack();
const s3 = await startS3rver();
const store = new S3BlobStore({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'gansight', region: 'us-east-1' });
const apis: { process: StackProcess; url: string; dataDir: string }[] = [];
try {
  await store.ensureReady();
  const s3Env = { STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: 'gansight' };
  const key = generateApiKey();
  const boot = await bootstrapFactory(stack.f.db, {
    name: 'Soak Works',
    admin: { email: 'ops@soak.example', passwordHash: await hashPassword('a long soak password') },
    apiKey: { name: 'line', prefix: key.prefix, secretHash: key.secretHash, scopes: [...API_KEY_SCOPES] },
  });
  const fx = { ...stack.f, factoryId: boot.factoryId, blobs: store };
  const { productId } = await seedProduct(fx, { train: 10, validation: 8 });
  const imageIds: string[] = [];
  for (let i = 0; i < 8; i++) imageIds.push(await addQualifiedImage(fx, productId, { split: 'VALIDATION', seed: 100 + i }));
  const events: GansightEvent[] = [];
  stack.subscriber.subscribe({ factoryId: fx.factoryId, topic: 'inspection' }, (e) => void events.push(e));

  const workerPorts = [await freePort(), await freePort()];
  for (let i = 0; i < 2; i++) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-soak-api-'));
    const proc = spawnGansight({
      DATABASE_URL: fx.database.url, ...s3Env, GANSIGHT_SECRET: 'soak-secret-0123456789abcdef0123456789', GANSIGHT_DATA_DIR: dataDir,
      API_PORT: String(await freePort()), START_WORKER: 'false', START_WEB: 'false',
    });
    const api = { process: proc, url: '', dataDir };
    apis.push(api); // before the wait, so that `finally` stops it whatever happens
    api.url = (await proc.waitForLine(/API ready at ([^\s"]+)/, 120_000))[1]!;
  }
  // Production-like polling, not the test fixture's 200 ms.
  for (const port of workerPorts) await stack.startWorker({ ...s3Env, WORKER_HTTP_PORT: String(port), WORKER_POLL_INTERVAL_MS: '1000', NODE_ENV: '' });
  const modelId = await trainReadyModel({ ...stack, f: fx }, await queueTinyTraining(fx, productId, { steps: 10 }));
  await activateModel(fx.db, fx.factoryId, modelId);
  log(`2 APIs, 2 workers, model ${modelId} active; ${RATE} inspections/s for ${MINUTES} min`);

  const processes = [
    ...apis.map((api, i) => ({ name: `api${i + 1}`, pid: api.process.child.pid! })),
    ...stack.workers.map((w, i) => ({ name: `worker${i + 1}`, pid: w.child.pid! })),
  ];
  const samples: { t: number; rss: Record<string, number> }[] = [];
  const started = Date.now();
  const sampleMemory = async () => {
    const rss: Record<string, number> = {};
    for (const p of processes) rss[p.name] = +(await rssMiB(p.pid)).toFixed(1);
    samples.push({ t: (Date.now() - started) / 60_000, rss });
  };
  await sampleMemory();
  const sampler = setInterval(() => void sampleMemory(), SAMPLE_S * 1000);

  // Open loop: a submission every 1 / RATE s whatever the answers do, alternating the APIs.
  const accepted = new Map<string, string>();
  const refused: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const submitLatencies: number[] = [];
  const end = started + MINUTES * 60_000;
  for (let n = 0; Date.now() < end; n++) {
    const idem = `soak-${n}`;
    const api = apis[n % 2]!;
    const t0 = performance.now();
    const p = fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.token}` },
      body: JSON.stringify({ query: 'mutation($input: SubmitInspectionInput!) { submitInspection(input: $input) { inspection { id } } }', variables: { input: { imageId: imageIds[n % imageIds.length], idempotencyKey: idem } } }),
      signal: AbortSignal.timeout(30_000),
    }).then(async (res) => {
      const body = (await res.json()) as { data?: { submitInspection?: { inspection: { id: string } } }; errors?: { message: string }[] };
      const id = body.data?.submitInspection?.inspection.id;
      if (id) {
        accepted.set(idem, id);
        submitLatencies.push(performance.now() - t0);
      } else refused.push(`${idem}: ${res.status} ${body.errors?.[0]?.message ?? ''}`);
    }).catch((err: Error) => void refused.push(`${idem}: ${err.message}`)).finally(() => inFlight.delete(p));
    inFlight.add(p);
    const next = started + ((n + 1) * 1000) / RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  await Promise.all(inFlight);
  log(`${accepted.size} accepted, ${refused.length} refused; waiting for the queue to drain`);
  const ids = [...accepted.values()];
  const drainStarted = Date.now();
  const FINAL = new Set(['DONE', 'FAILED']);
  const rowsOf = () => fx.db.inspection.findMany({ where: { factoryId: fx.factoryId, idempotencyKey: { startsWith: 'soak-' } }, select: { id: true, idempotencyKey: true, status: true } });
  const rows = await waitFor(rowsOf, (r) => r.length >= ids.length && r.every((x) => FINAL.has(x.status)), 20 * 60_000, 'the soak queue to drain');
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  clearInterval(sampler);
  await sampleMemory();
  await new Promise((r) => setTimeout(r, 2000)); // the last events on our LISTEN

  const count = (kind: string, id: string) => events.filter((e) => e.kind === kind && e.id === id).length;
  const jobsDone = await Promise.all(workerPorts.map(async (port) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('gansight_job_duration_seconds_count{') && l.includes('kind="inspect"') && l.includes('state="done"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }));
  const memory = Object.fromEntries(processes.map(({ name }) => {
    const pts = samples.filter((s) => Number.isFinite(s.rss[name]));
    const firstMinute = pts.filter((s) => s.t <= 1).map((s) => s.rss[name]!);
    const lastMinute = pts.filter((s) => s.t >= MINUTES - 1 && s.t <= MINUTES).map((s) => s.rss[name]!);
    const afterWarmup = pts.filter((s) => s.t >= Math.min(2, MINUTES / 2) && s.t <= MINUTES);
    const mean = (v: number[]) => +(v.reduce((s, x) => s + x, 0) / v.length).toFixed(1);
    return [name, {
      firstMinuteMiB: mean(firstMinute), lastMinuteMiB: mean(lastMinute), maxMiB: Math.max(...pts.map((s) => s.rss[name]!)),
      slopeMiBPerMinuteAfterWarmup: +slope(afterWarmup.map((s) => s.t), afterWarmup.map((s) => s.rss[name]!)).toFixed(2),
    }];
  }));
  submitLatencies.sort((x, y) => x - y);
  const q = (p: number) => +(submitLatencies[Math.min(submitLatencies.length - 1, Math.floor(p * submitLatencies.length))] ?? NaN).toFixed(1);
  console.log(JSON.stringify({
    minutes: MINUTES, ratePerSecond: RATE, cpus: os.cpus().length, loadAverageAtEnd: os.loadavg().map((l) => +l.toFixed(2)),
    submitted: accepted.size + refused.length, accepted: accepted.size, refused: refused.length, firstRefusals: refused.slice(0, 3),
    submitMs: { p50: q(0.5), p99: q(0.99), max: q(1) }, drainSecondsAfterLastSubmit: +drainSeconds.toFixed(1),
    rows: rows.length, rowsMatchAccepted: rows.length === ids.length && rows.every((r) => accepted.get(r.idempotencyKey!) === r.id),
    done: rows.filter((r) => r.status === 'DONE').length, failed: rows.filter((r) => r.status === 'FAILED').length,
    startedOnce: ids.filter((id) => count('inspection.started', id) === 1).length,
    endedOnce: ids.filter((id) => count('inspection.completed', id) + count('inspection.failed', id) === 1).length,
    inspectJobsDonePerWorker: jobsDone, memory, memorySamples: samples.length,
  }, null, 2));
} finally {
  for (const api of apis) {
    api.process.child.kill('SIGTERM');
    await api.process.exited;
    await rm(api.dataDir, { recursive: true, force: true });
  }
  await stack.dispose();
  await store.close();
  await s3.dispose();
}
process.exit(0);
