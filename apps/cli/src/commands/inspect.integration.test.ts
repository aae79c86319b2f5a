// `gansight inspect` end to end: the real stack (PostgreSQL, fs storage, API, graphile-worker
// worker on wasm), a tiny model trained through the API, then the CLI as a separate process
// uploading images, submitting inspections and printing the worker's verdicts.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@gansight/db/testing';
import { floatImageToPng } from '@gansight/imaging';
import {
  ActivateModelDocument, CreateProductDocument, ModelDocument, StartTrainingDocument, createGansightClient, uploadImage, type GansightClient,
} from '@gansight/client';
import { type RunningStack } from '../stack/start-stack';
import { startStackWithFactory, type StackWithFactory } from '../testing/stack-with-factory';

const BIN = fileURLToPath(new URL('../../bin/gansight.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

let running: StackWithFactory;
let database: TestDatabase;
let dir: string;
let stack: RunningStack;
let client: GansightClient;
let apiKey: string;
let productId: string;

/** A 32x32 striped texture; `spot` paints a bright square no good part has. */
function texture(seed: number, spot = false): Promise<Buffer> {
  const size = 32;
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = 0.7 * Math.sin((x + seed) / 3) * Math.cos(y / 4);
  if (spot) for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) data[y * size + x] = 1;
  return floatImageToPng({ width: size, height: size, channels: 1, data });
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, GANSIGHT_API_KEY: apiKey }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  running = await startStackWithFactory({ factory: 'CLI Tiles', adminEmail: 'ops@cli.example', dirPrefix: 'gansight-cli-inspect-' });
  ({ database, dir, stack, apiKey } = running);
  client = createGansightClient({ url: stack.api.url, apiKey });
  productId = (await client.request(CreateProductDocument, { input: { name: 'Tile', imageSize: 32, channels: 1 } })).createProduct.id;
  for (let i = 0; i < 10; i++) await uploadImage(client, { productId, bytes: await texture(i), facts: { label: 'QUALIFIED', split: 'TRAIN' } });
  for (let i = 0; i < 8; i++) await uploadImage(client, { productId, bytes: await texture(20 + i), facts: { label: 'QUALIFIED', split: 'VALIDATION' } });
  const { startTraining } = await client.request(StartTrainingDocument, {
    productId, preset: 'FAST', hyperParameters: { steps: 20, batchSize: 8, encoderSteps: 0, seed: 3 },
  });
  let model = startTraining.model;
  for (const end = Date.now() + 240_000; model.status === 'QUEUED' || model.status === 'TRAINING'; ) {
    if (Date.now() > end) throw new Error('training did not finish in 4 minutes');
    await new Promise((r) => setTimeout(r, 500));
    model = (await client.request(ModelDocument, { id: model.id })).model;
  }
  expect(model.status, model.error ?? '').toBe('READY');
  await client.request(ActivateModelDocument, { id: model.id });
});

afterAll(async () => {
  await client?.close();
  await running?.stop();
});

describe('gansight inspect', () => {
  it('uploads, submits and prints the verdicts of the worker; a non-image is refused, the others go on', async () => {
    const good = path.join(dir, 'good.png');
    const spotted = path.join(dir, 'spotted.png');
    const notImage = path.join(dir, 'notes.png');
    await writeFile(good, await texture(40));
    await writeFile(spotted, await texture(41, true));
    await writeFile(notImage, 'this is not a picture');

    const first = await runCli(['inspect', '--api', new URL(stack.api.url).origin, '--product', productId, '--line', 'L7', good, spotted, notImage]);
    expect(first.code, first.stderr).toBe(1); // one file refused
    const out = JSON.parse(first.stdout);
    const [a, b, c] = out.results;
    for (const r of [a, b]) {
      expect(r).toMatchObject({ status: 'DONE', created: true, errorCode: null });
      expect(r.verdict).toMatch(/^(PASS|FAIL)$/);
      expect(r.normalizedScore).toEqual(expect.any(Number));
    }
    expect(b.anomalyScore).toBeGreaterThan(a.anomalyScore); // the spot is what the generator cannot draw
    expect(c).toMatchObject({ file: notImage, inspectionId: null, errorCode: 'BAD_IMAGE' });
    expect(out.summary).toMatchObject({ refused: 1, failed: 0 });
    expect(out.summary.pass + out.summary.fail).toBe(2);
    const rows = await database.db.inspection.findMany({ where: { id: { in: [a.inspectionId, b.inspectionId] } } });
    expect(rows.map((r) => [r.line, r.status]).sort()).toEqual([['L7', 'DONE'], ['L7', 'DONE']]);

    // The same files again, polling this time: idempotency keys return the first inspections.
    const again = await runCli(['inspect', '--api', stack.api.url, '--product', productId, '--line', 'L7', '--poll', good, spotted]);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout).results;
    expect(second.map((r: { inspectionId: string; created: boolean }) => [r.inspectionId, r.created])).toEqual([[a.inspectionId, false], [b.inspectionId, false]]);
    expect(await database.db.inspection.count()).toBe(2);
  });

  it('names a bad key with its code and exits 2', async () => {
    apiKey = `gsk_${'0'.repeat(12)}_${'0'.repeat(48)}`;
    const res = await runCli(['inspect', '--api', stack.api.url, '--product', productId, path.join(dir, 'good.png')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^UNAUTHENTICATED: /m);
  });
});
