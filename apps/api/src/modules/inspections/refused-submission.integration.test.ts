// A submission that is refused stores nothing (issue 13, item 6): the image sent inside a
// submitInspection used to be stored before the idempotency key, model or lot were checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createModel, updateModel } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let productId: string;
let otherProductId: string;
let otherModelId: string;
let otherLotId: string;

const SUBMIT = 'mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { created inspection { id imageId } } }';

async function product(name: string): Promise<{ productId: string; modelId: string }> {
  const res = await t.gql('mutation($n: String!) { createProduct(input: { name: $n, imageSize: 32, channels: 1 }) { id } }', { n: name }, { token: acme.keyToken });
  const id = res.json.data!.createProduct.id as string;
  const model = await createModel(t.database.db, acme.factoryId, { productId: id });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY', threshold: 1 });
  await activateModel(t.database.db, acme.factoryId, model.id);
  return { productId: id, modelId: model.id };
}

/** What the factory has stored: image rows and image blobs. */
async function stored(): Promise<{ rows: number; blobs: number; inspections: number }> {
  let blobs = 0;
  for await (const _ of t.blobs.list(`factories/${acme.factoryId}/images/`)) blobs++;
  return {
    rows: await t.database.db.image.count({ where: { factoryId: acme.factoryId } }),
    blobs,
    inspections: await t.database.db.inspection.count({ where: { factoryId: acme.factoryId } }),
  };
}

const upload = async (seed: number) => ({ productId, dataBase64: (await pngImage(32, seed)).toString('base64') });

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Refused Tiles');
  ({ productId } = await product('Cell'));
  ({ productId: otherProductId, modelId: otherModelId } = await product('Wafer'));
  const lot = await t.gql('mutation($p: ID!) { createLot(productId: $p, name: "W-1") { id } }', { p: otherProductId }, { token: acme.keyToken });
  otherLotId = lot.json.data!.createLot.id;
});
afterAll(() => t.stop());

describe('a refused submitInspection changes nothing', () => {
  it('does not store the new image when the idempotency key was used for another image', async () => {
    const first = await t.gql(SUBMIT, { i: { upload: await upload(1), idempotencyKey: 'cam-7' } }, { token: acme.keyToken });
    expect(first.json.data?.submitInspection.created, JSON.stringify(first.json)).toBe(true);
    const before = await stored();
    expect(before).toEqual({ rows: 1, blobs: 1, inspections: 1 });

    const reused = await t.gql(SUBMIT, { i: { upload: await upload(2), idempotencyKey: 'cam-7' } }, { token: acme.keyToken });
    expect(errorCode(reused)).toBe('CONFLICT');
    expect(await stored()).toEqual(before);

    // The same image again under the same key is a replay: the first inspection, nothing new.
    const replay = await t.gql(SUBMIT, { i: { upload: await upload(1), idempotencyKey: 'cam-7' } }, { token: acme.keyToken });
    expect(replay.json.data!.submitInspection).toMatchObject({ created: false, inspection: { id: first.json.data!.submitInspection.inspection.id } });
    expect(await stored()).toEqual(before);
  });

  it('does not store the image when the model or lot is missing or belongs to another product', async () => {
    const before = await stored();
    const cases: [Record<string, unknown>, string][] = [
      [{ modelId: otherModelId }, 'BAD_USER_INPUT'],
      [{ lotId: otherLotId }, 'BAD_USER_INPUT'],
      [{ modelId: 'no-such-model' }, 'NOT_FOUND'],
      [{ lotId: 'no-such-lot' }, 'NOT_FOUND'],
    ];
    for (const [i, [extra, code]] of cases.entries()) {
      const res = await t.gql(SUBMIT, { i: { upload: await upload(10 + i), ...extra } }, { token: acme.keyToken });
      expect(errorCode(res), JSON.stringify(res.json)).toBe(code);
    }
    expect(await stored()).toEqual(before);
  });
});
