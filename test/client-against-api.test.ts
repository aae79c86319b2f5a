// @gansight/client against a real API (PostgreSQL, fs blob storage, NOTIFY events): typed
// errors with the API's codes, both upload paths, idempotent submissions, and waiting for
// verdicts over graphql-ws and by polling. The worker's part (writing the verdict and
// publishing the completion) is done here by hand; apps/cli's inspect test runs a real worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createModel, createTrainingRun, updateModel } from '@gansight/db';
import { pngImage, startTestApi, type TestApi, type TestFactory } from '@gansight/api/testing';
import {
  createGansightClient,
  GansightApiError,
  InspectionDocument,
  InspectionProgressDocument,
  MeDocument,
  TrainingProgressDocument,
  inspectImage,
  submitInspection,
  uploadImage,
  waitForInspection,
  type GansightClient,
  type InspectionProgressSubscription,
  type TrainingProgressSubscription,
} from '@gansight/client';

let t: TestApi;
let acme: TestFactory;
let client: GansightClient;
let productId: string;
let modelId: string;

beforeAll(async () => {
  t = await startTestApi({ events: true });
  acme = await t.createFactory('Acme Client');
  client = createGansightClient({ url: t.api.url, apiKey: acme.keyToken });
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: acme.keyToken });
  productId = product.json.data!.createProduct.id;
  const model = await createModel(t.database.db, acme.factoryId, { productId });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY', threshold: 1 });
  await activateModel(t.database.db, acme.factoryId, model.id);
  modelId = model.id;
});
afterAll(async () => {
  await client?.close();
  await t?.stop();
});

async function rejection(promise: Promise<unknown>): Promise<GansightApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(GansightApiError);
  return error as GansightApiError;
}

/** What a worker does at the end of an inspection: the row first, then the event. */
async function finishLikeAWorker(id: string, verdict: 'PASS' | 'FAIL', notify: boolean) {
  await t.database.db.inspection.update({
    where: { id },
    data: { status: 'DONE', verdict, anomalyScore: 0.4, normalizedScore: 0.4, threshold: 1, completedAt: new Date() },
  });
  if (notify) await t.publish({ factoryId: acme.factoryId, kind: 'inspection.completed', id });
}

describe('@gansight/client', () => {
  it('reads typed data with an API key', async () => {
    const { me } = await client.request(MeDocument);
    expect(me).toMatchObject({ kind: 'API_KEY', factory: { id: acme.factoryId }, apiKeyName: 'all scopes' });
  });

  it('throws typed errors with the API stable codes and HTTP status', async () => {
    const stranger = createGansightClient({ url: t.api.url, apiKey: 'gsk_000000000000_' + '0'.repeat(48) });
    const unauthenticated = await rejection(stranger.request(MeDocument));
    expect([unauthenticated.code, unauthenticated.status]).toEqual(['UNAUTHENTICATED', 401]);

    expect((await rejection(client.request(InspectionDocument, { id: 'no-such-inspection' }))).code).toBe('NOT_FOUND');

    const bad = await rejection(uploadImage(client, { productId, bytes: new TextEncoder().encode('not an image at all') }));
    expect(bad.code).toBe('BAD_IMAGE');
    expect(await t.database.db.image.count({ where: { factoryId: acme.factoryId } })).toBe(0);

    const closed = createGansightClient({ url: 'http://127.0.0.1:9/graphql', apiKey: acme.keyToken });
    expect((await rejection(closed.request(MeDocument))).code).toBe('NETWORK_ERROR');
  });

  it('uploads directly and through a presigned PUT, and recognises the same bytes again', async () => {
    const direct = await uploadImage(client, { productId, bytes: await pngImage(36, 1), via: 'direct', facts: { line: 'L1' } });
    expect(direct).toMatchObject({ duplicate: false, image: { width: 36, line: 'L1', contentType: 'image/png' } });
    const bytes = await pngImage(40, 2);
    const presigned = await uploadImage(client, { productId, bytes, via: 'presigned' });
    expect(presigned).toMatchObject({ duplicate: false, image: { width: 40 } });
    const again = await uploadImage(client, { productId, bytes, via: 'direct' });
    expect(again).toEqual({ duplicate: true, image: presigned.image });
  });

  it('submits once per idempotency key', async () => {
    const bytes = await pngImage(32, 3);
    const first = await inspectImage(client, { productId, bytes, idempotencyKey: 'cam1-0001', line: 'L2' });
    expect(first).toMatchObject({ created: true, inspection: { status: 'QUEUED', line: 'L2' } });
    const retry = await submitInspection(client, { imageId: first.inspection.imageId, idempotencyKey: 'cam1-0001' });
    expect(retry).toMatchObject({ created: false, inspection: { id: first.inspection.id } });
    expect(await t.database.db.inspection.count({ where: { idempotencyKey: 'cam1-0001' } })).toBe(1);
  });

  it('waits for a verdict over graphql-ws', async () => {
    const { inspection } = await inspectImage(client, { productId, bytes: await pngImage(32, 4), idempotencyKey: 'cam1-0002' });
    const started = Date.now();
    // A long poll interval: only the subscription can deliver the verdict quickly.
    const waiting = waitForInspection(client, inspection.id, { productId, pollIntervalMs: 60_000, timeoutMs: 30_000 });
    await waitUntil(() => t.subscriptions() >= 2);
    await finishLikeAWorker(inspection.id, 'FAIL', true);
    const done = await waiting;
    expect(done).toMatchObject({ id: inspection.id, status: 'DONE', verdict: 'FAIL', normalizedScore: 0.4 });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('waits for a verdict by polling where WebSockets cannot pass', async () => {
    const { inspection } = await inspectImage(client, { productId, bytes: await pngImage(32, 5), idempotencyKey: 'cam1-0003' });
    const waiting = waitForInspection(client, inspection.id, { mode: 'poll', pollIntervalMs: 100, timeoutMs: 30_000 });
    await finishLikeAWorker(inspection.id, 'PASS', false);
    expect(await waiting).toMatchObject({ id: inspection.id, status: 'DONE', verdict: 'PASS' });
  });

  it('streams training and inversion progress as typed subscriptions', async () => {
    const run = await createTrainingRun(t.database.db, acme.factoryId, { modelId, totalSteps: 400 });
    const { inspection } = await inspectImage(client, { productId, bytes: await pngImage(32, 8), idempotencyKey: 'cam1-0009' });
    const training: TrainingProgressSubscription['trainingProgress'][] = [];
    const inversion: InspectionProgressSubscription['inspectionProgress'][] = [];
    const failures: unknown[] = [];
    const before = t.subscriptions();
    const stops = [
      client.subscribe(TrainingProgressDocument, { runId: run.id }, { next: (d) => training.push(d.trainingProgress), error: (e) => failures.push(e) }),
      client.subscribe(InspectionProgressDocument, { inspectionId: inspection.id }, { next: (d) => inversion.push(d.inspectionProgress), error: (e) => failures.push(e) }),
    ];
    await waitUntil(() => t.subscriptions() >= before + 2);
    // What the worker publishes (apps/worker training and inspection jobs).
    await t.publish({ factoryId: acme.factoryId, kind: 'training.progress', id: run.id, data: { modelId, step: 100, totalSteps: 400, d: 1.5, g: 0.5, dReal: 0.75, dFake: 0.75 } });
    // After the last GAN step: the phases report themselves (issue 13).
    await t.publish({ factoryId: acme.factoryId, kind: 'training.phase', id: run.id, data: { modelId, phase: 'calibration', done: 30, total: 100, step: 400, totalSteps: 400 } });
    await t.publish({ factoryId: acme.factoryId, kind: 'inspection.progress', id: inspection.id, data: { iteration: 25, totalIterations: 100, loss: 0.125 } });
    await waitUntil(() => training.length > 1 && inversion.length > 0);
    for (const stop of stops) stop();
    expect(failures).toEqual([]);
    expect(training).toEqual([
      { runId: run.id, kind: 'training.progress', step: 100, totalSteps: 400, phase: null, losses: { d: 1.5, g: 0.5, dReal: 0.75, dFake: 0.75 }, sampleUrl: null, data: expect.objectContaining({ step: 100 }) },
      { runId: run.id, kind: 'training.phase', step: 400, totalSteps: 400, phase: 'calibration', losses: null, sampleUrl: null, data: expect.objectContaining({ done: 30, total: 100 }) },
    ]);
    expect(inversion).toEqual([{ inspectionId: inspection.id, kind: 'inspection.progress', iteration: 25, totalIterations: 100, loss: 0.125, previewUrl: null, data: { iteration: 25, totalIterations: 100, loss: 0.125 } }]);
  });

  it('gives up with TIMEOUT when no verdict comes', async () => {
    const { inspection } = await inspectImage(client, { productId, bytes: await pngImage(32, 6) });
    const error = await rejection(waitForInspection(client, inspection.id, { mode: 'poll', pollIntervalMs: 50, timeoutMs: 300 }));
    expect(error.code).toBe('TIMEOUT');
  });
});

async function waitUntil(done: () => boolean, ms = 10_000) {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
}
