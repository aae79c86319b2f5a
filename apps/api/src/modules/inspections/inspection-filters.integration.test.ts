import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createImage, createInspection, createModel, recordInspectionResult, updateModel } from '@gansight/db';
import { startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

// The dashboard's inspection filters (kept in its URL): reviewed or not, and a normalised-score range.
let t: TestApi;
let acme: TestFactory;
let other: TestFactory;
let admin: string;
const ids: Record<string, string> = {};

const LIST = 'query($f: InspectionFilter) { inspections(filter: $f, first: 50) { edges { node { id normalizedScore reviewVerdict } } } }';

async function judged(f: TestFactory, name: string, score: number, reviewed: boolean) {
  const db = t.database.db;
  const product = await db.product.findFirstOrThrow({ where: { factoryId: f.factoryId } });
  const bytes = await pngImage(32, Object.keys(ids).length + 1);
  const { image } = await createImage(db, f.factoryId, {
    productId: product.id, blobKey: `factories/${f.factoryId}/images/${name}.png`, sha256: sha256(bytes), width: 32, height: 32,
    contentType: 'image/png', byteSize: bytes.length, label: 'UNLABELED', split: 'NONE', source: 'LINE',
  });
  const { inspection } = await createInspection(db, f.factoryId, { imageId: image.id });
  await recordInspectionResult(db, f.factoryId, inspection.id, { status: 'DONE', normalizedScore: score, anomalyScore: score, threshold: 0.5, verdict: score > 0.5 ? 'FAIL' : 'PASS' });
  if (reviewed) {
    const user = await db.user.findFirstOrThrow({ where: { email: f.adminEmail } });
    await db.inspection.update({ where: { id: inspection.id }, data: { reviewVerdict: 'PASS', reviewedAt: new Date(), reviewedById: user.id } });
  }
  ids[name] = inspection.id;
}

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  other = await t.createFactory('Other Works');
  admin = await t.login(acme.adminEmail);
  for (const f of [acme, other]) {
    const token = await t.login(f.adminEmail);
    await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token });
    const product = await t.database.db.product.findFirstOrThrow({ where: { factoryId: f.factoryId } });
    const model = await createModel(t.database.db, f.factoryId, { productId: product.id });
    await updateModel(t.database.db, f.factoryId, model.id, { status: 'READY', threshold: 1 });
    await activateModel(t.database.db, f.factoryId, model.id);
  }
  await judged(acme, 'low', 0.1, false);
  await judged(acme, 'near', 0.48, true);
  await judged(acme, 'high', 0.9, false);
  await judged(acme, 'close', 0.6, false);
  await judged(other, 'foreign', 0.5, false);
});
afterAll(() => t.stop());

const listed = async (filter: Record<string, unknown>) =>
  ((await t.gql(LIST, { f: filter }, { token: admin })).json.data!.inspections.edges as Array<{ node: { id: string } }>).map((e) => e.node.id).sort();

describe('inspection filters', () => {
  it('keeps reviewed or not-yet-reviewed inspections', async () => {
    expect(await listed({ reviewed: true })).toEqual([ids.near]);
    expect(await listed({ reviewed: false })).toEqual([ids.low, ids.high, ids.close].sort());
  });

  it('keeps a normalised-score range, inclusive, and never another factory\'s inspections', async () => {
    expect(await listed({ minScore: 0.4, maxScore: 0.55 })).toEqual([ids.near]);
    expect(await listed({ minScore: 0.4, maxScore: 0.6 })).toEqual([ids.near, ids.close].sort());
    expect(await listed({ minScore: 0.48 })).toEqual([ids.near, ids.high, ids.close].sort());
    expect(await listed({ maxScore: 0.1 })).toEqual([ids.low]);
    expect(await listed({ minScore: 0.5, maxScore: 0.5 })).toEqual([]);
  });
});

describe('review queue', () => {
  const QUEUE = 'query($p: ID) { reviewQueue(productId: $p, first: 10) { id normalizedScore } }';

  it('lists unreviewed judged inspections closest to the threshold first, of this factory only', async () => {
    const res = await t.gql(QUEUE, {}, { token: admin });
    // 'near' (0.48) is reviewed already; 'close' (0.6) is nearest; 0.1 and 0.9 are as far, the newer first.
    expect(res.json.data!.reviewQueue.map((i: { id: string }) => i.id)).toEqual([ids.close, ids.high, ids.low]);
  });

  it('is for managers and up, and checks the product', async () => {
    const invited = await t.gql('mutation { inviteMember(email: "vic@acme.example", role: VIEWER) { temporaryPassword } }', {}, { token: admin });
    const viewer = await t.login('vic@acme.example', invited.json.data!.inviteMember.temporaryPassword);
    expect((await t.gql(QUEUE, {}, { token: viewer })).json.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await t.gql(QUEUE, { p: 'nope' }, { token: admin })).json.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('refuses a page size sent as null (the default is for one left out)', async () => {
    const res = await t.gql(QUEUE.replace('first: 10', 'first: null'), {}, { token: admin });
    expect(res.json.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
