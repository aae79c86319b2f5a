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
  // Normalised as packages/ml does (anomalib): [0, 1], the threshold at 0.5, far outliers clipped to 1.
  await inspected(1, 'S1', 'PASS', 0.2);
  await inspected(2, 'S1', 'PASS', 0.45);
  await inspected(3, 'S1', 'FAIL', 0.62, crackId);
  await inspected(4, 'S2', 'FAIL', 1, crackId);
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

  it('trends one station or one labelled defect type, alone or together', async () => {
    const query = `query($f: DateTime!, $t: DateTime!, $s: String, $d: ID) {
      defectTrends(from: $f, to: $t, bucket: DAY, station: $s, defectTypeId: $d) { bucketStart total pass fail defectRate } }`;
    const day = '2026-11-20T00:00:00.000Z';
    const trend = async (v: { s?: string; d?: string }) => (await t.gql(query, { ...range, ...v }, { token: manager })).json.data!.defectTrends;
    expect(await trend({})).toEqual([{ bucketStart: day, total: 4, pass: 2, fail: 2, defectRate: 0.5 }]);
    expect(await trend({ s: 'S1' })).toEqual([{ bucketStart: day, total: 3, pass: 2, fail: 1, defectRate: 1 / 3 }]);
    expect(await trend({ d: crackId })).toEqual([{ bucketStart: day, total: 2, pass: 0, fail: 2, defectRate: 1 }]);
    expect(await trend({ s: 'S2', d: crackId })).toEqual([{ bucketStart: day, total: 1, pass: 0, fail: 1, defectRate: 1 }]);
    expect(await trend({ s: 'S9' })).toEqual([]);
    // Another factory's defect type (or none at all) is NOT_FOUND, not an empty chart.
    const other = await t.createFactory('Other Tiles');
    const otherProduct = await t.gql('mutation { createProduct(input: { name: "Wood", imageSize: 32, channels: 1 }) { id } }', {}, { token: other.keyToken });
    const foreign = await createDefectType(t.database.db, other.factoryId, otherProduct.json.data!.createProduct.id, { name: 'knot' });
    expect(errorCode(await t.gql(query, { ...range, d: foreign.id }, { token: manager }))).toBe('NOT_FOUND');
  });

  it('bins normalised scores over [0, 1] by default, so the threshold 0.5 splits passes from fails', async () => {
    // No maxScore: the default range must be the normalised one. A default above 1 would put
    // every score in the first bin; one with the threshold at 1 would call 0.62 a pass.
    const query = 'query($f: DateTime!, $t: DateTime!, $p: ID) { scoreDistribution(from: $f, to: $t, productId: $p, bins: 4) { lower upper pass fail } }';
    const res = await t.gql(query, { ...range, p: productId }, { token: manager });
    expect(res.json.data!.scoreDistribution).toEqual([
      { lower: 0, upper: 0.25, pass: 1, fail: 0 },
      { lower: 0.25, upper: 0.5, pass: 1, fail: 0 },
      { lower: 0.5, upper: 0.75, pass: 0, fail: 1 },
      // A clipped score of exactly 1 is counted, in the last bin.
      { lower: 0.75, upper: 1, pass: 0, fail: 1 },
    ]);
    const twenty = await t.gql(query.replace(', bins: 4', ''), { ...range, p: productId }, { token: manager });
    const bins = twenty.json.data!.scoreDistribution as { lower: number; upper: number }[];
    expect(bins).toHaveLength(20);
    expect(bins[9]!.upper).toBeCloseTo(0.5);
    expect(bins[19]!.upper).toBeCloseTo(1);
    expect(errorCode(await t.gql(query.replace('bins: 4', 'bins: 500'), range, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query.replace('bins: 4', 'bins: 4, maxScore: 3'), range, { token: manager }))).toBe('BAD_USER_INPUT');
    // Defaults apply to an argument left out; one sent as null is refused, not read as the default.
    expect(errorCode(await t.gql(query.replace('bins: 4', 'bins: null'), range, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query.replace('bins: 4', 'bins: 4, maxScore: null'), range, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query, { f: '2020-01-01T00:00:00Z', t: range.t }, { token: manager }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(query, { ...range, p: 'not-a-product' }, { token: manager }))).toBe('NOT_FOUND');
  });

  it('zooms into the low end with a smaller maxScore, the rest in the last bin', async () => {
    const query = 'query($f: DateTime!, $t: DateTime!) { scoreDistribution(from: $f, to: $t, bins: 2, maxScore: 0.5) { lower upper pass fail } }';
    const res = await t.gql(query, range, { token: manager });
    expect(res.json.data!.scoreDistribution).toEqual([
      { lower: 0, upper: 0.25, pass: 1, fail: 0 },
      { lower: 0.25, upper: 0.5, pass: 1, fail: 2 },
    ]);
  });
});
