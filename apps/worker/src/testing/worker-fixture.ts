// Test fixture: a real database, a real fs blob store, a factory with a product of tiny
// synthetic images, and worker processes started from main.ts as children.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDefectType, createImage, createModel, createProduct, createTrainingRun, getModel, recordEvaluationResult, recordInspectionResult, updateTrainingRun, type Db,
} from '@gansight/db';
import { createTestDatabase, seedFactory, type TestDatabase } from '@gansight/db/testing';
import { floatImageToPng } from '@gansight/imaging';
import { blobKey, FsBlobStore, type BlobStore } from '@gansight/storage';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface WorkerFixture {
  database: TestDatabase;
  db: Db;
  blobs: BlobStore;
  blobRoot: string;
  factoryId: string;
  otherFactoryId: string;
  dispose(): Promise<void>;
}

/** `database`: another database to use (e.g. one on a server of the test's own), dropped at dispose. */
export async function createWorkerFixture(o: { database?: TestDatabase } = {}): Promise<WorkerFixture> {
  const database = o.database ?? (await createTestDatabase());
  const blobRoot = await mkdtemp(path.join(os.tmpdir(), 'gansight-worker-blobs-'));
  const blobs = new FsBlobStore({ root: blobRoot });
  await blobs.ensureReady();
  const a = await seedFactory(database.db);
  const b = await seedFactory(database.db);
  // seedFactory's inspection, training run and evaluation are QUEUED with no job, of a model
  // without files: a worker would take them for rows left behind by a dead API process (ADR 0057,
  // 0060) and queue or end them, then fail on them, some for minutes of retries. No worker test
  // wants them, so they are answered here.
  for (const s of [a, b]) {
    await recordInspectionResult(database.db, s.factoryId, s.inspectionId, { status: 'FAILED', errorCode: 'SEEDED', errorMessage: 'seeded row', completedAt: new Date() });
    await updateTrainingRun(database.db, s.factoryId, s.trainingRunId, { status: 'SUCCEEDED', finishedAt: new Date() });
    await recordEvaluationResult(database.db, s.factoryId, s.evaluationId, { status: 'FAILED', error: 'SEEDED: seeded row', completedAt: new Date() });
  }
  return {
    database, db: database.db, blobs, blobRoot, factoryId: a.factoryId, otherFactoryId: b.factoryId,
    async dispose() {
      await blobs.close();
      await database.drop();
      await rm(blobRoot, { recursive: true, force: true });
    },
  };
}

/** A smooth random texture (what a qualified part might look like), as a grayscale PNG; `defect` adds a bright square. */
async function texturePng(seed: number, size: number, defect?: 'spot' | 'scratch'): Promise<Buffer> {
  const data = new Float32Array(size * size);
  const fx = 1 + (seed % 3);
  const fy = 1 + ((seed * 7) % 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      data[y * size + x] = 0.8 * Math.sin((x * fx + seed) / 5) * Math.cos((y * fy) / 6);
    }
  }
  const at = 4 + (seed % (size - 12));
  if (defect === 'spot') for (let y = at; y < at + 6; y++) for (let x = at; x < at + 6; x++) data[y * size + x] = 1;
  if (defect === 'scratch') for (let x = 2; x < size - 2; x++) data[at * size + x] = data[(at + 1) * size + x] = -1;
  return floatImageToPng({ width: size, height: size, channels: 1, data });
}

/** A product with `train` qualified TRAIN images, `validation` VALIDATION ones and `corrupt` broken TRAIN files. */
export async function seedProduct(
  f: WorkerFixture,
  o: { train: number; validation: number; corrupt?: number; size?: number; blobs?: BlobStore },
): Promise<{ productId: string }> {
  const blobs = o.blobs ?? f.blobs;
  const size = o.size ?? 32;
  const tag = Math.random().toString(36).slice(2, 8);
  const product = await createProduct(f.db, f.factoryId, { name: `Tile ${tag}`, slug: `tile-${tag}`, imageSize: size, channels: 1 });
  const add = async (n: number, split: 'TRAIN' | 'VALIDATION', bytes: Buffer) => {
    const key = blobKey(f.factoryId, 'images', `${tag}-${split}-${n}.png`);
    await blobs.put(key, bytes, { contentType: 'image/png' });
    await createImage(f.db, f.factoryId, {
      productId: product.id, blobKey: key, sha256: createHash('sha256').update(bytes).update(`${split}${n}`).digest('hex'),
      width: size, height: size, contentType: 'image/png', byteSize: bytes.length, label: 'QUALIFIED', split, source: 'DATASET',
    });
  };
  for (let i = 0; i < o.train; i++) await add(i, 'TRAIN', await texturePng(i, size));
  for (let i = 0; i < o.validation; i++) await add(i, 'VALIDATION', await texturePng(100 + i, size));
  for (let i = 0; i < (o.corrupt ?? 0); i++) await add(1000 + i, 'TRAIN', Buffer.from(`not a png ${i}`));
  return { productId: product.id };
}

/** One more QUALIFIED image of an existing product (a texture of its own seed); returns its id. */
export async function addQualifiedImage(f: WorkerFixture, productId: string, o: { split: 'TRAIN' | 'VALIDATION'; seed: number; size?: number }): Promise<string> {
  const size = o.size ?? 32;
  const bytes = await texturePng(o.seed, size);
  const key = blobKey(f.factoryId, 'images', `added-${o.split}-${o.seed}-${Math.random().toString(36).slice(2, 8)}.png`);
  await f.blobs.put(key, bytes, { contentType: 'image/png' });
  const { image } = await createImage(f.db, f.factoryId, {
    productId, blobKey: key, sha256: createHash('sha256').update(bytes).update(`added${o.split}${o.seed}`).digest('hex'),
    width: size, height: size, contentType: 'image/png', byteSize: bytes.length, label: 'QUALIFIED', split: o.split, source: 'DATASET',
  });
  return image.id;
}

/**
 * Labelled TEST images of a product: `good` QUALIFIED ones and, per defect kind, DEFECTIVE ones
 * with a defect type of that name; `corrupt` unreadable files. Returns the defect type ids.
 */
export async function seedTestImages(
  f: WorkerFixture,
  productId: string,
  o: { good: number; defects: Partial<Record<'spot' | 'scratch', number>>; corrupt?: number; size?: number },
): Promise<Record<string, string>> {
  const size = o.size ?? 32;
  const tag = Math.random().toString(36).slice(2, 8);
  const add = async (name: string, bytes: Buffer, label: 'QUALIFIED' | 'DEFECTIVE', defectTypeId: string | null) => {
    const key = blobKey(f.factoryId, 'images', `${tag}-TEST-${name}.png`);
    await f.blobs.put(key, bytes, { contentType: 'image/png' });
    await createImage(f.db, f.factoryId, {
      productId, blobKey: key, sha256: createHash('sha256').update(bytes).update(`TEST${name}`).digest('hex'), defectTypeId,
      width: size, height: size, contentType: 'image/png', byteSize: bytes.length, label, split: 'TEST', source: 'DATASET',
    });
  };
  for (let i = 0; i < o.good; i++) await add(`good-${i}`, await texturePng(200 + i, size), 'QUALIFIED', null);
  const types: Record<string, string> = {};
  for (const [kind, n] of Object.entries(o.defects) as ['spot' | 'scratch', number][]) {
    types[kind] = (await createDefectType(f.db, f.factoryId, productId, { name: kind })).id;
    for (let i = 0; i < n; i++) await add(`${kind}-${i}`, await texturePng(300 + i, size, kind), 'DEFECTIVE', types[kind]!);
  }
  for (let i = 0; i < (o.corrupt ?? 0); i++) await add(`corrupt-${i}`, Buffer.from(`not a png ${i}`), 'DEFECTIVE', null);
  return types;
}

/** A QUEUED model and training run with tiny hyper-parameters (size 32, nf 8); `backends`: the run's pin. */
export async function queueTinyTraining(
  f: WorkerFixture,
  productId: string,
  o: { steps: number; checkpointEvery?: number; sampleEvery?: number; inversionIterations?: number; backends?: string[] },
): Promise<{ modelId: string; runId: string }> {
  const model = await createModel(f.db, f.factoryId, {
    productId,
    hyperParameters: {
      steps: o.steps, batchSize: 8, nf: 8, latentDim: 16, seed: 7, learningRate: 0.0002, encoderSteps: 0,
      inversionIterations: o.inversionIterations ?? 5, checkpointEvery: o.checkpointEvery ?? 10, sampleEvery: o.sampleEvery ?? 10,
    },
  });
  const run = await createTrainingRun(f.db, f.factoryId, { modelId: model.id, totalSteps: o.steps, backends: o.backends });
  return { modelId: model.id, runId: run.id };
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts apps/worker/src/main.ts as a child process on the fixture's database and storage. */
export function spawnWorker(f: WorkerFixture, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: f.database.url,
      STORAGE_DRIVER: 'fs',
      STORAGE_FS_ROOT: f.blobRoot,
      // wasm: the pure-JS cpu backend trains about 30x slower.
      ML_BACKEND: 'wasm',
      WORKER_CONCURRENCY: '1',
      WORKER_HEARTBEAT_MS: '300',
      WORKER_STALE_AFTER_MS: '2000',
      WORKER_POLL_INTERVAL_MS: '200',
      WORKER_PROGRESS_INTERVAL_MS: '50',
      WORKER_CANCEL_POLL_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Polls `read` until `done` holds for its value; fails with the last value after `ms`. */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 120_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the worker process has registered and is polling the queue (slow on a busy machine). */
export async function workerReady(w: WorkerProcess, ms = 240_000): Promise<void> {
  await waitFor(async () => w.output(), (out) => out.includes(' ready on ') || w.child.exitCode !== null, ms, 'worker start');
  if (w.child.exitCode !== null) throw new Error(`worker exited during startup:\n${w.output()}`);
}

/** SIGKILLs any worker still running (test clean-up). */
export async function killAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
}

/** Waits until the model left QUEUED/TRAINING (it is written just after its run ends). */
export async function settledModel(f: WorkerFixture, modelId: string, ms = 30_000) {
  return waitFor(() => getModel(f.db, f.factoryId, modelId), (m) => m.status !== 'QUEUED' && m.status !== 'TRAINING', ms, `model ${modelId} to settle`);
}
