// A mutation whose job cannot be queued fails and leaves nothing behind (issue 13, item 6):
// startTraining used to leave a QUEUED model that refused every later training as busy,
// startEvaluation a QUEUED evaluation that refused every later one, closeLot a closed lot that
// would never be measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, createModel, updateModel } from '@gansight/db';
import type { JobQueue } from '@gansight/contracts';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let productId: string;
let queueDown = true;
const queued: string[] = [];

// The queue is graphile-worker's tables; this one answers as they do when unreachable, until told otherwise.
const jobs: JobQueue = {
  add: async (task) => {
    if (queueDown) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    queued.push(task);
  },
};

beforeAll(async () => {
  t = await startTestApi({ services: { jobs } });
  acme = await t.createFactory('Queue Tiles');
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: acme.keyToken });
  productId = product.json.data!.createProduct.id;
  for (let i = 0; i < 8; i++) {
    await createImage(t.database.db, acme.factoryId, {
      productId, blobKey: `factories/${acme.factoryId}/images/t/${i}.png`, sha256: sha256(Buffer.from(`train ${i}`)),
      width: 32, height: 32, contentType: 'image/png', byteSize: 10, label: 'QUALIFIED', split: 'TRAIN',
    });
  }
});
afterAll(() => t.stop());

const START = 'mutation($p: ID!) { startTraining(productId: $p, preset: FAST) { model { id version } } }';

describe('mutations whose job cannot be queued', () => {
  it('startTraining leaves no model behind, so the next try is not refused as busy', async () => {
    const failed = await t.gql(START, { p: productId }, { token: acme.keyToken });
    expect(errorCode(failed)).toBe('INTERNAL_SERVER_ERROR');
    expect(await t.database.db.model.count({ where: { factoryId: acme.factoryId } })).toBe(0);
    expect(await t.database.db.trainingRun.count({ where: { factoryId: acme.factoryId } })).toBe(0);
    queueDown = false;
    const retried = await t.gql(START, { p: productId }, { token: acme.keyToken });
    expect(retried.json.data?.startTraining.model.version, JSON.stringify(retried.json)).toBe(1);
    expect(queued).toEqual(['train']);
    queueDown = true;
  });

  it('startEvaluation leaves no evaluation behind, so the next try is not refused as busy', async () => {
    const model = await createModel(t.database.db, acme.factoryId, { productId });
    await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY', threshold: 1 });
    const start = 'mutation($m: ID!) { startEvaluation(modelId: $m) { id status } }';
    expect(errorCode(await t.gql(start, { m: model.id }, { token: acme.keyToken }))).toBe('INTERNAL_SERVER_ERROR');
    expect(await t.database.db.evaluation.count({ where: { modelId: model.id } })).toBe(0);
    queueDown = false;
    const retried = await t.gql(start, { m: model.id }, { token: acme.keyToken });
    expect(retried.json.data?.startEvaluation.status, JSON.stringify(retried.json)).toBe('QUEUED');
    queueDown = true;
  });

  it('closeLot leaves the lot open, so closing it again measures it', async () => {
    const lot = (await t.gql('mutation($p: ID!) { createLot(productId: $p, name: "L-1") { id } }', { p: productId }, { token: acme.keyToken })).json.data!.createLot;
    const close = 'mutation($id: ID!) { closeLot(id: $id) { id status } }';
    expect(errorCode(await t.gql(close, { id: lot.id }, { token: acme.keyToken }))).toBe('INTERNAL_SERVER_ERROR');
    expect(await t.database.db.lot.findUniqueOrThrow({ where: { id: lot.id } })).toMatchObject({ status: 'OPEN', closedAt: null });
    queueDown = false;
    const retried = await t.gql(close, { id: lot.id }, { token: acme.keyToken });
    expect(retried.json.data?.closeLot.status, JSON.stringify(retried.json)).toBe('CLOSED');
    expect(queued.at(-1)).toBe('lot');
  });
});
