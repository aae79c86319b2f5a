import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createDefectType, createImage, createInspection, createModel, recordInspectionResult, updateModel } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let manager: string;
let productId: string;
let crackId: string;
const at = new Date(Date.UTC(2026, 10, 20, 10));
const range = { f: '2026-11-01T00:00:00Z', t: '2026-12-01T00:00:00Z' };

// Inspections as the worker leaves them: station, verdict and normalised score.
async function inspected(n: number, station: string, verdict: 'PASS' | 'FAIL', score: number, defect: string | null = null) {
  const db = t.database.db;
  const { image } = await createImage(db, acme.factoryId, {
    productId, blobKey: `factories/${acme.factoryId}/images/s/${n}.png`, sha256: sha256(Buffer.from(`stats ${n}`)),
    width: 32, height: 32, contentType: 'image/png', byteSize: 10, label: defect ? 'DEFECTIVE' : 'QUALIFIED', defectTypeId: defect,
  });
  const { inspection } = await createInspection(db, acme.factoryId, { imageId: image.id, station });
  await recordInspectionResult(db, acme.factoryId, inspection.id, { status: 'DONE', verdict, normalizedScore: score });
  await db.inspection.update({ where: { id: inspection.id }, data: { createdAt: at } });
}

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  manager = await t.login(acme.adminEmail);
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: manager });
  productId = product.json.data!.createProduct.id;
  crackId = (await createDefectType(t.database.db, acme.factoryId, productId, { name: 'crack' })).id;
  const model = await createModel(t.database.db, acme.factoryId, { productId });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY' });
  await activateModel(t.database.db, acme.factoryId, model.id);
  await inspected(1, 'S1', 'PASS', 0.2);
  await inspected(2, 'S1', 'PASS', 0.5);
  await inspected(3, 'S1', 'FAIL', 1.4, crackId);
  await inspected(4, 'S2', 'FAIL', 7.5, crackId);
});
afterAll(() => t.stop());

describe('inspection statistics for managers', () => {
  it('breaks judged inspections down by station and by labelled defect type, in SQL', async () => {
    const query = 'query($f: DateTime!, $t: DateTime!, $g: BreakdownGroup!) { defectBreakdown(from: $f, to: $t, groupBy: $g) { key total pass fail defectRate } }';
    const stations = await t.gql(query, { ...range, g: 'STATION' }, { token: manager });
    expect(stations.json.data!.defectBreakdown).toEqual([
      { key: 'S1', total: 3, pass: 2, fail: 1, defectRate: 1 / 3 },
      { key: 'S2', total: 1, pass: 0, fail: 1, defectRate: 1 },
    ]);
    const defects = await t.gql(query, { ...range, g: 'DEFECT_TYPE' }, { token: manager });
    expect(defects.json.data!.defectBreakdown).toEqual([
      { key: crackId, total: 2, pass: 0, fail: 2, defectRate: 1 },
      { key: null, total: 2, pass: 2, fail: 0, defectRate: 0 },
    ]);
  });

  it('gives a histogram of normalised scores with the overflow in the last bin', async () => {
    const query = 'query($f: DateTime!, $t: DateTime!, $p: ID) { scoreDistribution(from: $f, to: $t, productId: $p, bins: 3, maxScore: 3) { lower upper pass fail } }';
    const res = await t.gql(query, { ...range, p: productId }, { token: manager });
    expect(res.json.data!.scoreDistribution).toEqual([
      { lower: 0, upper: 1, pass: 2, fail: 0 },
      { lower: 1, upper: 2, pass: 0, fail: 1 },
      { lower: 2, upper: 3, pass: 0, fail: 1 },
    ]);
    expect(errorCode(await t.gql(query.replace('bins: 3', 'bins: 500'), range, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query, { f: '2020-01-01T00:00:00Z', t: range.t }, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query, { ...range, p: 'not-a-product' }, { token: manager }))).toBe('NOT_FOUND');
  });
});
