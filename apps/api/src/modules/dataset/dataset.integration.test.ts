import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage } from '../../testing/test-images';

// The dataset page's counts per label and split, and its "ready to train" state.
let t: TestApi;
let acme: TestFactory;
let other: TestFactory;
let admin: string;
let productId: string;

const SUMMARY = 'query($p: ID!) { datasetSummary(productId: $p) { counts { label split count } trainQualified validationQualified readyToTrain } }';

async function upload(seed: number, facts: Record<string, string>) {
  const bytes = await pngImage(32, seed);
  const res = await t.gql('mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id } } }', { i: { productId, dataBase64: bytes.toString('base64'), facts } }, { token: admin });
  expect(res.json.errors).toBeUndefined();
}

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  other = await t.createFactory('Other Works');
  admin = await t.login(acme.adminEmail);
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: admin });
  productId = product.json.data!.createProduct.id;
});
afterAll(() => t.stop());

describe('dataset summary', () => {
  it('counts images per label and split, and is ready to train with 8 TRAIN and 8 VALIDATION qualified images', async () => {
    for (let i = 0; i < 8; i++) await upload(i, { label: 'QUALIFIED', split: 'TRAIN' });
    await upload(50, { label: 'DEFECTIVE', split: 'TEST' });
    let res = await t.gql(SUMMARY, { p: productId }, { token: admin });
    expect(res.json.data!.datasetSummary).toEqual({
      counts: [
        { label: 'DEFECTIVE', split: 'TEST', count: 1 },
        { label: 'QUALIFIED', split: 'TRAIN', count: 8 },
      ],
      trainQualified: 8,
      validationQualified: 0,
      readyToTrain: false,
    });
    for (let i = 0; i < 8; i++) await upload(100 + i, { label: 'QUALIFIED', split: 'VALIDATION' });
    res = await t.gql(SUMMARY, { p: productId }, { token: admin });
    expect(res.json.data!.datasetSummary).toMatchObject({ validationQualified: 8, readyToTrain: true });
  });

  it("answers NOT_FOUND for another factory's product", async () => {
    expect(errorCode(await t.gql(SUMMARY, { p: productId }, { token: await t.login(other.adminEmail) }))).toBe('NOT_FOUND');
  });
});
