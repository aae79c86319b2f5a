import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { activateModel, createModel, createTrainingRun, updateModel } from '@gansight/db';
import { blobKey } from '@gansight/storage';
import { startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage } from '../../testing/test-images';

let t: TestApi;
let A: TestFactory;
let B: TestFactory;
let inspectionId: string;
let productId: string;
let modelId: string;
// Tests publish only once the server is listening for the subscription they opened.
async function subscribedTo(count: number) {
  for (let i = 0; i < 200 && t.subscriptions() < count; i++) await settle(25);
  expect(t.subscriptions()).toBeGreaterThanOrEqual(count);
}
const clients: Client[] = [];

interface Feed {
  events: any[];
  errors: any[];
  done: Promise<void>;
}

function subscribe(token: string, query: string, variables: Record<string, unknown> = {}): Feed {
  const client = createClient({ url: t.api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  clients.push(client);
  const feed: Feed = { events: [], errors: [], done: Promise.resolve() };
  feed.done = new Promise((resolve) => {
    client.subscribe({ query, variables }, {
      next: (v) => (v.errors ? feed.errors.push(...v.errors) : feed.events.push(v.data)),
      error: (e) => {
        feed.errors.push(...(Array.isArray(e) ? e : [e]));
        resolve();
      },
      complete: () => resolve(),
    });
  });
  return feed;
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
/** Waits (up to 10 s) for NOTIFY to carry events through, then a little longer for stragglers. */
async function until(done: () => boolean) {
  for (let i = 0; i < 400 && !done(); i++) await settle(25);
  await settle(200);
}

beforeAll(async () => {
  t = await startTestApi({ events: true });
  A = await t.createFactory('Alpha');
  B = await t.createFactory('Beta');
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: A.keyToken });
  productId = product.json.data!.createProduct.id;
  const model = await createModel(t.database.db, A.factoryId, { productId });
  await updateModel(t.database.db, A.factoryId, model.id, { status: 'READY' });
  await activateModel(t.database.db, A.factoryId, model.id);
  modelId = model.id;
  const bytes = await pngImage(32, 1);
  const res = await t.gql('mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { inspection { id } } }', { i: { upload: { productId, dataBase64: bytes.toString('base64') } } }, { token: A.keyToken });
  inspectionId = res.json.data!.submitInspection.inspection.id;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t.stop();
});

const COMPLETED = 'subscription { inspectionCompleted { id status } }';
const PROGRESS = 'subscription($i: ID!) { inspectionProgress(inspectionId: $i) { inspectionId iteration totalIterations loss previewUrl } }';

describe('subscriptions', () => {
  it('delivers an inspection completion only to subscribers of its factory', async () => {
    const a = subscribe(A.keyToken, COMPLETED);
    const b = subscribe(B.keyToken, COMPLETED);
    await subscribedTo(2);
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.completed', id: inspectionId });
    // A forged event naming factory B but A's inspection: B must not get A's row.
    await t.publish({ factoryId: B.factoryId, kind: 'inspection.completed', id: inspectionId });
    await until(() => a.events.length + a.errors.length >= 1);
    expect(a.errors).toEqual([]);
    expect(a.events).toEqual([{ inspectionCompleted: { id: inspectionId, status: 'QUEUED' } }]);
    expect(b.events).toEqual([]);
    expect(JSON.stringify(b.errors)).not.toContain(inspectionId);
  });

  it('streams inversion progress, with preview URLs only for the factory own blobs', async () => {
    const before = t.subscriptions();
    const feed = subscribe(A.keyToken, PROGRESS, { i: inspectionId });
    await subscribedTo(before + 1);
    const previewKey = `factories/${A.factoryId}/previews/${inspectionId}/10.png`;
    await t.blobs.put(previewKey, await pngImage(32, 2), { contentType: 'image/png' });
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.progress', id: inspectionId, data: { iteration: 10, totalIterations: 200, loss: 0.25, previewKey } });
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.progress', id: inspectionId, data: { iteration: 20, loss: 0.2, previewKey: `factories/${B.factoryId}/x/y.png` } });
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.progress', id: 'another-inspection', data: { iteration: 1 } });
    await until(() => feed.events.length + feed.errors.length >= 2);
    expect(feed.events.map((e) => e.inspectionProgress.iteration)).toEqual([10, 20]);
    expect(feed.events[0].inspectionProgress).toMatchObject({ totalIterations: 200, loss: 0.25 });
    const url = feed.events[0].inspectionProgress.previewUrl;
    expect((await fetch(url)).status).toBe(200);
    expect(feed.events[1].inspectionProgress.previewUrl).toBeNull();
  });

  it('streams training steps, losses and a downloadable sample grid as the worker publishes them', async () => {
    const run = await createTrainingRun(t.database.db, A.factoryId, { modelId, totalSteps: 200 });
    const before = t.subscriptions();
    const feed = subscribe(A.keyToken, 'subscription($r: ID!) { trainingProgress(runId: $r) { runId kind step totalSteps losses sampleUrl } }', { r: run.id });
    await subscribedTo(before + 1);
    // The events and data fields apps/worker/src/training (training-job.ts, train-with-progress.ts) emits.
    const grid = await pngImage(64, 3);
    const key = blobKey(A.factoryId, 'training-runs', run.id, 'samples', 'step-0000050.png');
    await t.blobs.put(key, grid, { contentType: 'image/png' });
    const worker = (kind: 'training.started' | 'training.progress' | 'training.sample', data: Record<string, unknown>, id = run.id) =>
      t.publish({ factoryId: A.factoryId, kind, id, data: { modelId, ...data } });
    await worker('training.started', { attempt: 1, fromStep: 0, totalSteps: 200, images: 12, validationImages: 3, skipped: [], skippedCount: 0 });
    await worker('training.progress', { step: 50, d: 1.25, g: 0.75, dReal: 0.5, dFake: 0.625, totalSteps: 200, imagesPerSecond: 40, etaSeconds: 9 });
    await worker('training.progress', { step: 7, d: 9, g: 9, dReal: 9, dFake: 9, totalSteps: 10 }, 'another-run');
    await worker('training.sample', { step: 50, key });
    await until(() => feed.events.length + feed.errors.length >= 3);
    expect(feed.errors).toEqual([]);
    const events = feed.events.map((e) => e.trainingProgress);
    expect(events).toEqual([
      { runId: run.id, kind: 'training.started', step: null, totalSteps: 200, losses: null, sampleUrl: null },
      { runId: run.id, kind: 'training.progress', step: 50, totalSteps: 200, losses: { d: 1.25, g: 0.75, dReal: 0.5, dFake: 0.625 }, sampleUrl: null },
      { runId: run.id, kind: 'training.sample', step: 50, totalSteps: null, losses: null, sampleUrl: expect.any(String) },
    ]);
    const download = await fetch(events[2].sampleUrl);
    expect(download.status).toBe(200);
    const body = Buffer.from(await download.arrayBuffer());
    expect(body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(body.equals(grid)).toBe(true);
  });

  it('delivers completions of the subscribed product only', async () => {
    const other = await t.gql('mutation { createProduct(input: { name: "Wafer", imageSize: 32, channels: 1 }) { id } }', {}, { token: A.keyToken });
    const otherProductId = other.json.data!.createProduct.id;
    const model = await createModel(t.database.db, A.factoryId, { productId: otherProductId });
    await updateModel(t.database.db, A.factoryId, model.id, { status: 'READY' });
    await activateModel(t.database.db, A.factoryId, model.id);
    const bytes = await pngImage(32, 7);
    const submitted = await t.gql('mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { inspection { id } } }', { i: { upload: { productId: otherProductId, dataBase64: bytes.toString('base64') } } }, { token: A.keyToken });
    const otherInspectionId = submitted.json.data!.submitInspection.inspection.id;
    const before = t.subscriptions();
    const cells = subscribe(A.keyToken, 'subscription($p: ID) { inspectionCompleted(productId: $p) { id productId } }', { p: productId });
    const wafers = subscribe(A.keyToken, 'subscription($p: ID) { inspectionCompleted(productId: $p) { id productId } }', { p: otherProductId });
    await subscribedTo(before + 2);
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.completed', id: otherInspectionId });
    await t.publish({ factoryId: A.factoryId, kind: 'inspection.completed', id: inspectionId });
    await until(() => cells.events.length >= 1 && wafers.events.length >= 1);
    expect(cells.events).toEqual([{ inspectionCompleted: { id: inspectionId, productId } }]);
    expect(wafers.events).toEqual([{ inspectionCompleted: { id: otherInspectionId, productId: otherProductId } }]);
  });

  it("refuses to subscribe to another factory's inspection or run, and without the scope", async () => {
    const foreign = subscribe(B.keyToken, PROGRESS, { i: inspectionId });
    await foreign.done;
    expect(foreign.errors[0].extensions.code).toBe('NOT_FOUND');
    const run = subscribe(B.keyToken, 'subscription { trainingProgress(runId: "nope") { step } }');
    await run.done;
    expect(run.errors[0].extensions.code).toBe('NOT_FOUND');
    const session = await t.login(A.adminEmail);
    const key = await t.gql('mutation { createApiKey(name: "images only", scopes: ["images:write"]) { token } }', {}, { token: session });
    const narrow = subscribe(key.json.data!.createApiKey.token, COMPLETED);
    await narrow.done;
    expect(narrow.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('stops delivering once the subscriber key is revoked', async () => {
    const session = await t.login(A.adminEmail);
    const created = await t.gql('mutation { createApiKey(name: "dashboard tv", scopes: ["results:read"]) { token apiKey { id } } }', {}, { token: session });
    const { token, apiKey } = created.json.data!.createApiKey;
    const before = t.subscriptions();
    const feed = subscribe(token, COMPLETED);
    await subscribedTo(before + 1);
    const completed = { factoryId: A.factoryId, kind: 'inspection.completed' as const, id: inspectionId };
    await t.publish(completed);
    await until(() => feed.events.length + feed.errors.length >= 1);
    expect(feed.events).toHaveLength(1);
    await t.gql('mutation($k: ID!) { revokeApiKey(id: $k) { id } }', { k: apiKey.id }, { token: session });
    await settle(5_200); // credentials are re-verified at most every 5 s
    await t.publish(completed);
    await feed.done;
    expect(feed.events).toHaveLength(1);
    expect(feed.errors[0].extensions?.code ?? feed.errors[0].message).toMatch(/UNAUTHENTICATED|invalid/);
  });
});
