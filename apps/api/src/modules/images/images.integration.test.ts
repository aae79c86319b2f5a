import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let key: string; // an all-scopes API key, as a line integration would use
let productId: string;
let crackId: string;

const REQUEST = 'mutation($p: ID!, $t: String!) { requestImageUpload(productId: $p, contentType: $t) { key url method headers maxBytes } }';
const REGISTER = 'mutation($i: RegisterImageInput!) { registerImage(input: $i) { duplicate image { id width height sha256 contentType label defectTypeId url } } }';
const UPLOAD = 'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate image { id width label split url } } }';

async function putUpload(bytes: Buffer, contentType = 'image/png') {
  const res = await t.gql(REQUEST, { p: productId, t: contentType }, { token: key });
  const upload = res.json.data!.requestImageUpload;
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(bytes) });
  expect(put.status).toBeLessThan(300);
  return upload.key as string;
}

async function imageCount() {
  return t.database.db.image.count({ where: { factoryId: acme.factoryId } });
}

async function storedBlobs(area: string) {
  const keys: string[] = [];
  for await (const entry of t.blobs.list(`factories/${acme.factoryId}/${area}/`)) keys.push(entry.key);
  return keys;
}

beforeAll(async () => {
  t = await startTestApi({ maxBodyBytes: 2_000_000 });
  acme = await t.createFactory('Acme Tiles');
  key = acme.keyToken;
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: key });
  productId = product.json.data!.createProduct.id;
  const crack = await t.gql('mutation($p: ID!) { createDefectType(productId: $p, name: "crack") { id } }', { p: productId }, { token: key });
  crackId = crack.json.data!.createDefectType.id;
});
afterAll(() => t.stop());

describe('images', () => {
  it('uploads through a presigned PUT, verifies and registers it, and serves it back by URL', async () => {
    const bytes = await pngImage(48, 1);
    const uploadKey = await putUpload(bytes);
    const res = await t.gql(REGISTER, { i: { key: uploadKey, sha256: sha256(bytes), facts: { label: 'DEFECTIVE', defectTypeId: crackId } } }, { token: key });
    const { image, duplicate } = res.json.data!.registerImage;
    expect(duplicate).toBe(false);
    expect(image).toMatchObject({ width: 48, height: 48, sha256: sha256(bytes), contentType: 'image/png', label: 'DEFECTIVE', defectTypeId: crackId });
    const served = await fetch(image.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await storedBlobs('uploads')).toEqual([]);

    // The same bytes again: the existing image comes back, flagged, and nothing new is stored.
    const again = await putUpload(bytes);
    const dup = await t.gql(REGISTER, { i: { key: again, sha256: sha256(bytes) } }, { token: key });
    expect(dup.json.data!.registerImage).toMatchObject({ duplicate: true, image: { id: image.id } });
    expect(await storedBlobs('images')).toHaveLength(1);
  });

  it('refuses corrupt, truncated, non-image, too small and mismatching uploads with BAD_IMAGE, deleting them', async () => {
    const good = await pngImage(40, 2);
    const cases: [string, Buffer][] = [
      ['truncated', good.subarray(0, Math.floor(good.length * 0.6))],
      ['not an image', Buffer.from('%PDF-1.4 this is not an image at all')],
      ['too small', await pngImage(16, 3)],
    ];
    const before = await imageCount();
    for (const [, bytes] of cases) {
      const uploadKey = await putUpload(bytes);
      const res = await t.gql(REGISTER, { i: { key: uploadKey, sha256: sha256(bytes) } }, { token: key });
      expect(errorCode(res)).toBe('BAD_IMAGE');
      expect(res.json.errors![0]!.message.length).toBeGreaterThan(20);
    }
    const mismatch = await putUpload(good);
    const wrongHash = await t.gql(REGISTER, { i: { key: mismatch, sha256: sha256(Buffer.from('other')) } }, { token: key });
    expect(errorCode(wrongHash)).toBe('BAD_IMAGE');
    expect(await imageCount()).toBe(before);
    expect(await storedBlobs('uploads')).toEqual([]);
    expect(await storedBlobs('images')).toHaveLength(1);
  });

  it('keeps the upload when only the facts are wrong, so registering can be retried', async () => {
    const bytes = await pngImage(32, 4);
    const uploadKey = await putUpload(bytes);
    const bad = await t.gql(REGISTER, { i: { key: uploadKey, sha256: sha256(bytes), facts: { label: 'QUALIFIED', defectTypeId: crackId } } }, { token: key });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(await storedBlobs('uploads')).toHaveLength(1);
    const ok = await t.gql(REGISTER, { i: { key: uploadKey, sha256: sha256(bytes), facts: { label: 'QUALIFIED' } } }, { token: key });
    expect(ok.json.data!.registerImage.image.label).toBe('QUALIFIED');
    const missing = await t.gql(REGISTER, { i: { key: uploadKey, sha256: sha256(bytes) } }, { token: key });
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('takes small images directly as base64, with the same checks', async () => {
    const bytes = await pngImage(64, 5);
    const res = await t.gql(UPLOAD, { i: { productId, dataBase64: bytes.toString('base64'), sha256: sha256(bytes), facts: { split: 'TRAIN', label: 'QUALIFIED' } } }, { token: key });
    expect(res.json.data!.uploadImage).toMatchObject({ duplicate: false, image: { width: 64, label: 'QUALIFIED', split: 'TRAIN' } });
    const before = await imageCount();
    expect(errorCode(await t.gql(UPLOAD, { i: { productId, dataBase64: '***not base64***' } }, { token: key }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(UPLOAD, { i: { productId, dataBase64: Buffer.from('GIF89a garbage').toString('base64') } }, { token: key }))).toBe('BAD_IMAGE');
    expect(errorCode(await t.gql(UPLOAD, { i: { productId: 'nope', dataBase64: bytes.toString('base64') } }, { token: key }))).toBe('NOT_FOUND');
    expect(await imageCount()).toBe(before);
  });

  it('labels, relabels, splits, filters, pages and deletes images', async () => {
    for (let i = 10; i < 14; i++) {
      const bytes = await pngImage(32, i);
      await t.gql(UPLOAD, { i: { productId, dataBase64: bytes.toString('base64'), facts: { line: i % 2 ? 'L1' : 'L2' } } }, { token: key });
    }
    const list = async (filter: object, first = 20) =>
      (await t.gql('query($f: ImageFilter, $n: Int) { images(filter: $f, first: $n) { edges { node { id label split line defectTypeId } } pageInfo { hasNextPage } } }', { f: filter, n: first }, { token: key })).json.data!.images;
    const unlabeled = await list({ productId, label: 'UNLABELED', line: 'L1' });
    expect(unlabeled.edges).toHaveLength(2);
    const [a, b] = unlabeled.edges.map((e: { node: { id: string } }) => e.node.id);
    const label = 'mutation($id: ID!, $l: ImageLabel!, $d: ID) { labelImage(id: $id, label: $l, defectTypeId: $d) { label defectTypeId } }';
    expect((await t.gql(label, { id: a, l: 'DEFECTIVE', d: crackId }, { token: key })).json.data!.labelImage).toEqual({ label: 'DEFECTIVE', defectTypeId: crackId });
    expect((await t.gql(label, { id: a, l: 'QUALIFIED' }, { token: key })).json.data!.labelImage).toEqual({ label: 'QUALIFIED', defectTypeId: null });
    expect(errorCode(await t.gql(label, { id: a, l: 'QUALIFIED', d: crackId }, { token: key }))).toBe('BAD_USER_INPUT');
    const split = await t.gql('mutation($ids: [ID!]!) { assignImageSplit(ids: $ids, split: TEST) }', { ids: [a, b, 'not-an-image'] }, { token: key });
    expect(split.json.data!.assignImageSplit).toBe(2);
    expect((await list({ split: 'TEST' })).edges).toHaveLength(2);
    const page = await list({ productId }, 2);
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(errorCode(await t.gql('{ images(first: 101) { edges { cursor } } }', {}, { token: key }))).toBe('BAD_USER_INPUT');

    const deleted = await t.gql('mutation($id: ID!) { deleteImage(id: $id) { id } }', { id: b }, { token: key });
    expect(deleted.json.data!.deleteImage.id).toBe(b);
    expect(errorCode(await t.gql('query($id: ID!) { image(id: $id) { id } }', { id: b }, { token: key }))).toBe('NOT_FOUND');
  });

  it('refuses upload types it cannot decode and keys without the images scope', async () => {
    expect(errorCode(await t.gql(REQUEST, { p: productId, t: 'application/pdf' }, { token: key }))).toBe('BAD_USER_INPUT');
    const reader = await t.gql('mutation { createApiKey(name: "reader", scopes: ["results:read"]) { token } }', {}, { token: await t.login(acme.adminEmail) });
    const res = await t.gql(REQUEST, { p: productId, t: 'image/png' }, { token: reader.json.data!.createApiKey.token });
    expect(errorCode(res)).toBe('FORBIDDEN');
  });
});
