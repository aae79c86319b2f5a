import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createImage, createInspection, createModel, recordInspectionResult, updateModel, type Db } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let admin: string;
let productId: string;
let imageIds: string[] = [];
let statements: string[] = [];

const SUBMIT = 'mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { created inspection { id status imageId idempotencyKey line image { source } } } }';

async function upload(seed: number) {
  const bytes = await pngImage(32, seed);
  const res = await t.gql('mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id } } }', { i: { productId, dataBase64: bytes.toString('base64') } }, { token: acme.keyToken });
  return res.json.data!.uploadImage.image.id as string;
}

async function readyModel(db: Db, factoryId: string, product: string) {
  const model = await createModel(db, factoryId, { productId: product });
  await updateModel(db, factoryId, model.id, { status: 'READY', threshold: 1 });
  return activateModel(db, factoryId, model.id);
}

beforeAll(async () => {
  t = await startTestApi({
    // Every SQL statement the API sends, for the N+1 bound below.
    onStatement: (sql) => void statements.push(sql),
  });
  acme = await t.createFactory('Acme Tiles');
  admin = await t.login(acme.adminEmail);
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: admin });
  productId = product.json.data!.createProduct.id;
  imageIds = [await upload(1), await upload(2)];
});
afterAll(() => t.stop());

describe('inspections', () => {
  it('refuses to queue an inspection before the product has an active model, changing nothing', async () => {
    const res = await t.gql(SUBMIT, { i: { imageId: imageIds[0], idempotencyKey: 'early' } }, { token: acme.keyToken });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.json.errors![0]!.message).toMatch(/active model/);
    const bytes = await pngImage(32, 7);
    const inline = await t.gql(SUBMIT, { i: { upload: { productId, dataBase64: bytes.toString('base64') } } }, { token: acme.keyToken });
    expect(errorCode(inline)).toBe('BAD_USER_INPUT');
    expect(await t.database.db.inspection.count()).toBe(0);
    expect(await t.database.db.image.count()).toBe(2);
    await readyModel(t.database.db, acme.factoryId, productId);
  });

  it('queues an inspection once per idempotency key', async () => {
    const first = await t.gql(SUBMIT, { i: { imageId: imageIds[0], idempotencyKey: 'cam1-000123', line: 'L1' } }, { token: acme.keyToken });
    const submitted = first.json.data!.submitInspection;
    expect(submitted).toMatchObject({ created: true, inspection: { status: 'QUEUED', imageId: imageIds[0], line: 'L1' } });
    const retry = await t.gql(SUBMIT, { i: { imageId: imageIds[0], idempotencyKey: 'cam1-000123' } }, { token: acme.keyToken });
    expect(retry.json.data!.submitInspection).toMatchObject({ created: false, inspection: { id: submitted.inspection.id } });
    const reused = await t.gql(SUBMIT, { i: { imageId: imageIds[1], idempotencyKey: 'cam1-000123' } }, { token: acme.keyToken });
    expect(errorCode(reused)).toBe('CONFLICT');
    expect(await t.database.db.inspection.count()).toBe(1);
    expect(errorCode(await t.gql(SUBMIT, { i: {} }, { token: acme.keyToken }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(SUBMIT, { i: { imageId: 'nope' } }, { token: acme.keyToken }))).toBe('NOT_FOUND');
  });

  it('takes the image inside the submission, stored as a LINE image', async () => {
    const bytes = await pngImage(32, 99);
    const res = await t.gql(SUBMIT, { i: { upload: { productId, dataBase64: bytes.toString('base64'), sha256: sha256(bytes) }, station: 'S4' } }, { token: acme.keyToken });
    expect(res.json.data!.submitInspection).toMatchObject({ created: true, inspection: { status: 'QUEUED', image: { source: 'LINE' } } });
    const bad = await t.gql(SUBMIT, { i: { upload: { productId, dataBase64: Buffer.from('garbage bytes').toString('base64') } } }, { token: acme.keyToken });
    expect(errorCode(bad)).toBe('BAD_IMAGE');
    expect(await t.database.db.inspection.count()).toBe(2);
  });

  it('lets managers review and read trends, not viewers or keys', async () => {
    const invite = async (email: string, role: string) => {
      const res = await t.gql('mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { temporaryPassword } }', { e: email, r: role }, { token: admin });
      return t.login(email, res.json.data!.inviteMember.temporaryPassword);
    };
    const manager = await invite('mia@acme.example', 'MANAGER');
    const viewer = await invite('vic@acme.example', 'VIEWER');
    const [inspection] = (await t.database.db.inspection.findMany({ where: { factoryId: acme.factoryId }, orderBy: { createdAt: 'asc' } }));
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12));
    await recordInspectionResult(t.database.db, acme.factoryId, inspection!.id, { status: 'DONE', verdict: 'FAIL', anomalyScore: 2 });
    await t.database.db.inspection.update({ where: { id: inspection!.id }, data: { createdAt: day(2) } });

    const review = 'mutation($id: ID!) { reviewInspection(id: $id, verdict: PASS, note: "scratch on the film, not the cell") { verdict reviewVerdict reviewNote } }';
    expect(errorCode(await t.gql(review, { id: inspection!.id }, { token: viewer }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(review, { id: inspection!.id }, { token: acme.keyToken }))).toBe('FORBIDDEN');
    const reviewed = await t.gql(review, { id: inspection!.id }, { token: manager });
    expect(reviewed.json.data!.reviewInspection).toEqual({ verdict: 'FAIL', reviewVerdict: 'PASS', reviewNote: 'scratch on the film, not the cell' });

    const trends = 'query($f: DateTime!, $t: DateTime!, $b: TrendBucket!) { defectTrends(from: $f, to: $t, bucket: $b) { bucketStart total pass fail defectRate } }';
    const range = { f: day(1).toISOString(), t: day(4).toISOString(), b: 'DAY' };
    const points = await t.gql(trends, range, { token: manager });
    expect(points.json.data!.defectTrends).toEqual([
      { bucketStart: new Date(Date.UTC(2026, 10, 2)).toISOString(), total: 1, pass: 1, fail: 0, defectRate: 0 },
    ]);
    expect(errorCode(await t.gql(trends, range, { token: viewer }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(trends, { ...range, f: '2020-01-01T00:00:00Z', b: 'HOUR' }, { token: manager }))).toBe('BAD_USER_INPUT');

    // The same inspection (12:00 UTC on 2 Nov) on a local calendar: the day starts at local
    // midnight, as an instant (Chicago is back on CST since 1 Nov; Kolkata is +05:30).
    const zoned = 'query($f: DateTime!, $t: DateTime!, $z: String) { defectTrends(from: $f, to: $t, bucket: DAY, timeZone: $z) { bucketStart total } }';
    for (const [z, start] of [['Asia/Shanghai', '2026-11-01T16:00:00.000Z'], ['America/Chicago', '2026-11-02T06:00:00.000Z'], ['Asia/Kolkata', '2026-11-01T18:30:00.000Z']]) {
      expect((await t.gql(zoned, { ...range, z }, { token: manager })).json.data!.defectTrends, z).toEqual([{ bucketStart: start, total: 1 }]);
    }
    for (const z of ['Mars/Olympus_Mons', '+08:00']) {
      const bad = await t.gql(zoned, { ...range, z }, { token: manager });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.json.errors![0]!.message).toMatch(/IANA/);
    }
  });

  it('loads the images of a page of inspections in one batched query, not one per row', async () => {
    for (let i = 0; i < 20; i++) {
      const { image } = await createImage(t.database.db, acme.factoryId, {
        productId, blobKey: `factories/${acme.factoryId}/images/x/${i}.png`, sha256: sha256(Buffer.from(`n+1 ${i}`)),
        width: 32, height: 32, contentType: 'image/png', byteSize: 10,
      });
      await createInspection(t.database.db, acme.factoryId, { imageId: image.id });
    }
    // Warm the API-key cache first, so the bound below is the page's own cost, not the key's.
    await t.gql('{ me { role } }', {}, { token: acme.keyToken });
    statements = [];
    const res = await t.gql('{ inspections(first: 20) { edges { node { id image { id width } } } } }', {}, { token: acme.keyToken });
    expect(res.json.data!.inspections.edges).toHaveLength(20);
    expect(new Set(res.json.data!.inspections.edges.map((e: { node: { image: { id: string } } }) => e.node.image.id)).size).toBe(20);
    // The page is one SELECT on Inspection and its 20 images one SELECT on Image (an N+1 would
    // send 21); one more charges the key's request limit, shared by every API process (ADR 0059),
    // and at most one more, should the key's last-used time be written.
    expect(statements.filter((sql) => /FROM "public"\."Inspection"/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /FROM "public"\."Image"/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /INTO "RateLimitBucket"/.test(sql))).toHaveLength(1);
    expect(statements.length).toBeLessThanOrEqual(4);
  });
});
