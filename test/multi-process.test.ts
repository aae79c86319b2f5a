// Issue 15, "several processes, one truth": two API processes (`gansight start` without worker
// and dashboard, as the api image runs it) and two worker processes (apps/worker main.ts, what
// `gansight worker` runs) against one PostgreSQL database and one S3 server on loopback. Nothing
// here talks to another process except through those two, so each assertion holds only if the
// mechanism that crosses processes works: LISTEN/NOTIFY for events, the RateLimitBucket table for
// password attempts, graphile-worker's queue for jobs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_RATE_LIMIT } from '@gansight/api';
import { freePort } from '@gansight/cli';
import { spawnGansight, type StackProcess } from '@gansight/cli/testing';
import { createGansightClient, InspectionCompletedDocument, type GansightClient } from '@gansight/client';
import { API_KEY_SCOPES, generateApiKey, hashPassword } from '@gansight/contracts';
import { activateModel, bootstrapFactory } from '@gansight/db';
import type { GansightEvent } from '@gansight/events';
import { S3BlobStore } from '@gansight/storage';
import { startS3rver, type TestS3Server } from '@gansight/storage/testing';
import {
  addQualifiedImage, createWorkerStack, queueTinyTraining, seedProduct, trainReadyModel, waitFor, type WorkerFixture, type WorkerStack,
} from '@gansight/worker/testing';

const PASSWORD = 'a long password for two plants';
const ADMIN_EMAIL = 'ops@two-plants.example';
const SECRET = 'multi-process-test-secret-0123456789abcdef';
const FINAL = new Set(['DONE', 'FAILED']);

interface ApiProcess {
  process: StackProcess;
  url: string;
  dataDir: string;
}

let stack: WorkerStack;
let s3: TestS3Server;
let store: S3BlobStore;
let fx: WorkerFixture;
let apiKey: string;
let productId: string;
let imageIds: string[];
let api1: ApiProcess;
let api2: ApiProcess;
let workerPorts: number[];
let onApi1: GansightClient;
/** inspectionCompleted as the subscriber on API 1 received it, and what went wrong with it. */
const completedOnApi1: { id: string; status: string }[] = [];
const subscriptionErrors: string[] = [];
/** Every inspection event of the factory, heard on the test's own LISTEN connection. */
const events: GansightEvent[] = [];

const s3Env = () => ({ STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: 'gansight' });

async function startApi(): Promise<ApiProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-multi-api-'));
  const proc = spawnGansight({
    DATABASE_URL: fx.database.url, ...s3Env(), GANSIGHT_SECRET: SECRET, GANSIGHT_DATA_DIR: dataDir,
    API_PORT: String(await freePort()), START_WORKER: 'false', START_WEB: 'false',
  });
  const url = (await proc.waitForLine(/API ready at ([^\s"]+)/, 120_000))[1]!;
  return { process: proc, url, dataDir };
}

async function stopApi(api: ApiProcess | undefined): Promise<void> {
  if (!api) return;
  const { child, exited } = api.process;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
  await rm(api.dataDir, { recursive: true, force: true });
}

/** One GraphQL POST; the HTTP status and body (rejects only when no answer came: a dead process). */
async function post(url: string, query: string, variables: Record<string, unknown>, key?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

const SUBMIT = 'mutation($input: SubmitInspectionInput!) { submitInspection(input: $input) { created inspection { id status } } }';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

/** Submits the inspection of a stored image under `key`; its id once the API answered with success. */
async function submit(api: ApiProcess, key: string, imageId: string): Promise<string> {
  return (await submitted(api, key, imageId)).id;
}

/** As submit, with `created`: false when the key named an inspection stored before. */
async function submitted(api: ApiProcess, key: string, imageId: string): Promise<{ id: string; created: boolean }> {
  const { status, body } = await post(api.url, SUBMIT, { input: { imageId, idempotencyKey: key } }, apiKey);
  const answer = body.data?.submitInspection as { created: boolean; inspection: { id: string } } | undefined;
  if (status !== 200 || !answer) throw new Error(`submitInspection ${key} answered ${status}: ${JSON.stringify(body.errors)}`);
  return { id: answer.inspection.id, created: answer.created };
}

async function inspectionStatuses(ids: string[]): Promise<Map<string, string>> {
  const rows = await fx.db.inspection.findMany({ where: { factoryId: fx.factoryId, id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Waits (bounded) until every inspection is DONE or FAILED. */
const allFinal = (ids: string[], ms = 120_000) =>
  waitFor(() => inspectionStatuses(ids), (m) => ids.every((id) => FINAL.has(m.get(id) ?? '')), ms, `${ids.length} inspections to finish`);

/** Inspection jobs each worker finished as `done`, from its own /metrics (the metrics contract of docs/DEPLOY.md). */
async function inspectJobsDone(): Promise<number[]> {
  return Promise.all(workerPorts.map(async (port) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('gansight_job_duration_seconds_count{') && l.includes('kind="inspect"') && l.includes('state="done"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }));
}

const count = (kind: string, id: string) => events.filter((e) => e.kind === kind && e.id === id).length;

beforeAll(async () => {
  stack = await createWorkerStack();
  s3 = await startS3rver();
  store = new S3BlobStore({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'gansight', region: 'us-east-1' });
  await store.ensureReady();
  // A factory with a real password and API key (the fixture's seeded ones have placeholder hashes).
  const key = generateApiKey();
  const boot = await bootstrapFactory(stack.f.db, {
    name: 'Two Plants',
    admin: { email: ADMIN_EMAIL, passwordHash: await hashPassword(PASSWORD) },
    apiKey: { name: 'line', prefix: key.prefix, secretHash: key.secretHash, scopes: [...API_KEY_SCOPES] },
  });
  apiKey = key.token;
  // The worker helpers act on the fixture's factory and blob store: here, this factory and S3.
  fx = { ...stack.f, factoryId: boot.factoryId, blobs: store };
  ({ productId } = await seedProduct(fx, { train: 10, validation: 8 }));
  imageIds = [];
  for (let i = 0; i < 4; i++) imageIds.push(await addQualifiedImage(fx, productId, { split: 'VALIDATION', seed: 40 + i }));
  stack.subscriber.subscribe({ factoryId: fx.factoryId, topic: 'inspection' }, (e) => void events.push(e));

  workerPorts = [await freePort(), await freePort()];
  [api1, api2] = await Promise.all([
    startApi(),
    startApi(),
    ...workerPorts.map((port) => stack.startWorker({ ...s3Env(), WORKER_HTTP_PORT: String(port) })),
  ]) as [ApiProcess, ApiProcess];

  // Subscribed before the model trains, so the subscription is live long before the first event.
  onApi1 = createGansightClient({ url: api1.url, apiKey });
  onApi1.subscribe(InspectionCompletedDocument, { productId }, {
    next: ({ inspectionCompleted: i }) => void completedOnApi1.push({ id: i.id, status: i.status }),
    error: (err) => void subscriptionErrors.push(err.message),
  });
  const modelId = await trainReadyModel({ ...stack, f: fx }, await queueTinyTraining(fx, productId, { steps: 10 }));
  await activateModel(fx.db, fx.factoryId, modelId);
}, 300_000);

afterAll(async () => {
  await onApi1?.close().catch(() => undefined);
  await Promise.all([stopApi(api1), stopApi(api2)]);
  await stack?.dispose();
  await store?.close();
  await s3?.dispose();
});

describe('two API processes and two workers on one database and one S3 server', () => {
  it('delivers to a subscriber on API 1 the completion of inspections submitted through API 2', async () => {
    const ids = [await submit(api2, 'cross-1', imageIds[0]!), await submit(api2, 'cross-2', imageIds[1]!)];
    // API 1 never saw these requests: only a worker's NOTIFY, relayed by API 1's LISTEN, gets here.
    await waitFor(async () => completedOnApi1.map((c) => c.id), (seen) => ids.every((id) => seen.includes(id)), 60_000, 'completion events on API 1');
    const statuses = await inspectionStatuses(ids);
    for (const id of ids) expect(completedOnApi1.find((c) => c.id === id)?.status).toBe(statuses.get(id));
    expect(subscriptionErrors).toEqual([]);
  });

  it('counts failed sign-ins on both APIs against one limit', async () => {
    const { capacity, refillPerSecond } = DEFAULT_LOGIN_RATE_LIMIT;
    const attempts = 2 * capacity + 2;
    const codes: string[] = [];
    const started = Date.now();
    // Alternating: with a limit per process, each API would let `capacity` through (twice as many).
    for (let i = 0; i < attempts; i++) {
      const { status, body } = await post((i % 2 === 0 ? api1 : api2).url, LOGIN, { e: ADMIN_EMAIL, p: `wrong guess ${i}` });
      const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${status}`;
      if (code === 'RATE_LIMITED') expect(status).toBe(429);
      codes.push(code);
    }
    // Refill adds a token every 1 / refillPerSecond seconds; the attempts take far less, but the
    // allowance is derived, not assumed.
    const refilled = Math.floor(((Date.now() - started) / 1000) * refillPerSecond);
    expect(codes.slice(0, capacity)).toEqual(Array(capacity).fill('UNAUTHENTICATED'));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(capacity + refilled);
    expect(codes.slice(capacity + refilled)).toEqual(Array(attempts - capacity - refilled).fill('RATE_LIMITED'));
    // Both processes refused: the even attempts went to API 1, the odd ones to API 2.
    expect(codes.filter((c, i) => c === 'RATE_LIMITED' && i % 2 === 0).length).toBeGreaterThan(0);
    expect(codes.filter((c, i) => c === 'RATE_LIMITED' && i % 2 === 1).length).toBeGreaterThan(0);
    // The right password is refused too while the account is throttled, on either API.
    expect((await post(api1.url, LOGIN, { e: ADMIN_EMAIL, p: PASSWORD })).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('spreads a burst of inspections over both workers, each done once', async () => {
    const before = await inspectJobsDone();
    const burst = 8;
    const ids = await Promise.all(Array.from({ length: burst }, (_, i) => submit(i % 2 ? api2 : api1, `spread-${i}`, imageIds[i % imageIds.length]!)));
    await allFinal(ids);
    const done = (await inspectJobsDone()).map((n, w) => n - before[w]!);
    expect(done.every((n) => n >= 1), `inspect jobs done per worker: ${done.join(', ')}`).toBe(true);
    expect(done.reduce((a, b) => a + b, 0)).toBe(burst);
  });

  it('loses no accepted submission when API 1 is killed mid-burst, and does none twice', async () => {
    const perApi = 8;
    const accepted = new Map<string, string>(); // idempotency key -> inspection id
    const unanswered: string[] = [];
    const imageOf = (key: string) => imageIds[Number(key.split('-').at(-1)) % imageIds.length]!;
    const send = async (api: ApiProcess, key: string) => {
      try {
        accepted.set(key, await submit(api, key, imageOf(key)));
        return true;
      } catch {
        unanswered.push(key);
        return false;
      }
    };
    // API 1 gets its share two at a time and is SIGKILLed after its third success, with requests
    // in flight; API 2 gets its share one after another meanwhile.
    let api1Successes = 0;
    const queue1 = Array.from({ length: perApi }, (_, i) => `burst-1-${i}`);
    const lane1 = async () => {
      for (let key = queue1.shift(); key; key = queue1.shift()) {
        if ((await send(api1, key)) && ++api1Successes === 3) api1.process.child.kill('SIGKILL');
      }
    };
    const lane2 = async () => {
      for (let i = 0; i < perApi; i++) await send(api2, `burst-2-${i}`);
    };
    await Promise.all([lane1(), lane1(), lane2()]);
    expect((await api1.process.exited).signal).toBe('SIGKILL');
    expect(unanswered.length, 'some submissions to API 1 got no answer').toBeGreaterThan(0);
    expect(unanswered.every((k) => k.startsWith('burst-1-'))).toBe(true);

    // What a line does with a submission that got no answer: the same key, through the other API.
    // Whether API 1 had stored it or not, it is inspected, and once.
    let storedByApi1 = 0;
    for (const key of unanswered) {
      const retry = await submitted(api2, key, imageOf(key));
      accepted.set(key, retry.id);
      if (!retry.created) storedByApi1 += 1;
    }
    console.log(`API 1 killed after 3 answers; ${unanswered.length} submission(s) unanswered, ${storedByApi1} of them stored by API 1 before it died`);
    const ids = [...accepted.values()];
    expect(accepted.size).toBe(2 * perApi);
    await allFinal(ids);

    // Exactly one row per key, each final, and no other row under these keys (none left QUEUED).
    const rows = await fx.db.inspection.findMany({ where: { factoryId: fx.factoryId, idempotencyKey: { startsWith: 'burst-' } }, select: { id: true, idempotencyKey: true, status: true } });
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const r of rows) {
      expect(r.id).toBe(accepted.get(r.idempotencyKey!));
      expect(FINAL.has(r.status), `${r.idempotencyKey}: ${r.status}`).toBe(true);
    }
    // Done once: one start and one ending per inspection (a second run would publish both again).
    const ended = (id: string) => count('inspection.completed', id) + count('inspection.failed', id);
    await waitFor(async () => ids.filter((id) => ended(id) === 0), (left) => left.length === 0, 10_000, 'the ending events on our LISTEN');
    for (const id of ids) {
      expect(count('inspection.started', id), `inspection.started of ${id}`).toBe(1);
      expect(ended(id), `endings of ${id}`).toBe(1);
    }
  });
});
