// Per-factory quotas against the real API and PostgreSQL: each refusal is QUOTA_EXCEEDED naming
// the quota, its limit and the use, writes nothing, and holds when requests race (ADR 0059).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createDbClient, createImage, createModel, setQuotaOverrides, updateModel, type Db } from '@gansight/db';
import { startApiServer, type RunningApiServer } from '../../server';
import { errorCode, startTestApi, type GqlResponse, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage } from '../../testing/test-images';

let t: TestApi;
// A second API server on its own connection pool, as a second API process would have.
let secondDb: Db;
let second: RunningApiServer;

const UPLOAD = 'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate image { id } } }';
const USAGE = '{ factoryUsage { storedImages { used limit } concurrentTrainingRuns { used limit } inspectionsPerMinute { used limit } } }';

beforeAll(async () => {
  // Deployment defaults large enough for no test to meet them: each test sets its factory's own.
  t = await startTestApi({ services: { quotas: { maxStoredImages: 1000, maxConcurrentTrainingRuns: 10, maxInspectionsPerMinute: 1000 } } });
  secondDb = createDbClient(t.database.url, { maxConnections: 10 });
  second = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    services: { version: 'test', startedAt: Date.now(), db: secondDb, healthChecks: {}, blobs: t.blobs, quotas: { maxStoredImages: 1000, maxConcurrentTrainingRuns: 10, maxInspectionsPerMinute: 1000 } },
  });
});
afterAll(async () => {
  await second.stop();
  await secondDb.$disconnect();
  await t.stop();
});

async function product(f: TestFactory): Promise<string> {
  const res = await t.gql('mutation { createProduct(input: { name: "Tile", imageSize: 32, channels: 1 }) { id } }', {}, { token: f.keyToken });
  return res.json.data!.createProduct.id;
}

function upload(f: TestFactory, productId: string, bytes: Buffer) {
  return t.gql(UPLOAD, { i: { productId, dataBase64: bytes.toString('base64') } }, { token: f.keyToken });
}

/** Sorts responses into successes and QUOTA_EXCEEDED refusals; anything else fails the test. */
function tally(responses: GqlResponse[]) {
  const refused = responses.filter((r) => r.json.errors?.[0]?.extensions?.code === 'QUOTA_EXCEEDED');
  const ok = responses.filter((r) => !r.json.errors);
  expect(ok.length + refused.length, JSON.stringify(responses.find((r) => r.json.errors && !refused.includes(r))?.json)).toBe(responses.length);
  return { ok, refused };
}

describe('stored images quota', () => {
  it('lets exactly one of 20 parallel uploads at limit-1 through; the others store nothing', async () => {
    const f = await t.createFactory('Image Quota Works');
    const p = await product(f);
    await setQuotaOverrides(t.database.db, f.factoryId, { maxStoredImages: 5 });
    for (let i = 0; i < 4; i++) expect((await upload(f, p, await pngImage(32, i))).json.errors).toBeUndefined();

    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => pngImage(32, 100 + i)));
    const { ok, refused } = tally(await Promise.all(images.map((bytes) => upload(f, p, bytes))));
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    expect(refused[0]!.json.errors![0]!.message).toMatch(/^Quota exceeded: stored images: limit 5, in use 5\. To go on, delete images/);
    expect(refused[0]!.json.errors![0]!.extensions).toMatchObject({ quota: 'storedImages', limit: 5, used: 5 });
    expect(refused[0]!.json.data).toBeNull();

    expect(await t.database.db.image.count({ where: { factoryId: f.factoryId } })).toBe(5);
    // Refused uploads leave no blob behind.
    const blobKeys = [];
    for await (const entry of t.blobs.list(`factories/${f.factoryId}/images/`)) blobKeys.push(entry);
    expect(blobKeys).toHaveLength(5);
    // The same bytes again are the same image, not a new one: allowed at the limit.
    expect((await upload(f, p, await pngImage(32, 0))).json.data.uploadImage.duplicate).toBe(true);

    const admin = await t.login(f.adminEmail);
    const usage = await t.gql(USAGE, {}, { token: admin });
    expect(usage.json.data.factoryUsage.storedImages).toEqual({ used: 5, limit: 5 });
    // Deleting an image makes room again.
    await t.gql('mutation($i: ID!) { deleteImage(id: $i) { id } }', { i: ok[0]!.json.data.uploadImage.image.id }, { token: f.keyToken });
    expect((await upload(f, p, await pngImage(32, 999))).json.errors).toBeUndefined();
  });

  it('takes the same new image stored 10 times at once at limit-1 as one image, refusing none', async () => {
    const f = await t.createFactory('Duplicate Quota Works');
    const p = await product(f);
    expect((await upload(f, p, await pngImage(32, 1))).json.errors).toBeUndefined();
    // Straight to the function every upload path ends in, so that the ten really race.
    const row = { productId: p, blobKey: `factories/${f.factoryId}/images/${p}/same.png`, sha256: 'a'.repeat(64), width: 32, height: 32, contentType: 'image/png', byteSize: 1 };
    const results = await Promise.all(Array.from({ length: 10 }, () => createImage(t.database.db, f.factoryId, row, { maxStoredImages: 2 })));
    expect(new Set(results.map((r) => r.image.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});

describe('concurrent training runs quota', () => {
  it('refuses a training beyond the limit, also when two start at once, and creates no model for it', async () => {
    const f = await t.createFactory('Training Quota Works');
    await setQuotaOverrides(t.database.db, f.factoryId, { maxConcurrentTrainingRuns: 1 });
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (slug) => {
        const res = await t.gql(`mutation { createProduct(input: { name: "Part ${slug}", imageSize: 32, channels: 1 }) { id } }`, {}, { token: f.keyToken });
        return res.json.data!.createProduct.id as string;
      }),
    );
    // Eight qualified training images per product (rows only: starting a training reads no blob).
    for (const productId of ids) {
      for (let i = 0; i < 8; i++) {
        await createImage(t.database.db, f.factoryId, { productId, blobKey: `factories/${f.factoryId}/images/${productId}/${i}.png`, sha256: `${productId}-${i}`.padEnd(64, '0'), width: 32, height: 32, contentType: 'image/png', byteSize: 1, label: 'QUALIFIED', split: 'TRAIN' });
      }
    }
    const start = (productId: string) => t.gql('mutation($p: ID!) { startTraining(productId: $p, preset: FAST) { run { id } } }', { p: productId }, { token: f.keyToken });
    const { ok, refused } = tally(await Promise.all([start(ids[0]!), start(ids[1]!)]));
    expect(ok).toHaveLength(1);
    expect(refused[0]!.json.errors![0]!.message).toMatch(/^Quota exceeded: training runs queued or running at once: limit 1, in use 1\./);
    expect(await t.database.db.model.count({ where: { factoryId: f.factoryId } })).toBe(1);
    expect(errorCode(await start(ids[2]!))).toBe('QUOTA_EXCEEDED');
    expect(await t.database.db.trainingRun.count({ where: { factoryId: f.factoryId } })).toBe(1);

    // Cancelling the running one frees the slot.
    const runId = ok[0]!.json.data.startTraining.run.id;
    await t.gql('mutation($r: ID!) { cancelTraining(runId: $r) { status } }', { r: runId }, { token: f.keyToken });
    expect(errorCode(await start(ids[2]!))).toBeUndefined();
  });
});

describe('inspections per minute quota', () => {
  it('holds across two API servers: of 20 parallel submissions at limit-1 one passes, and a replay costs nothing', async () => {
    const f = await t.createFactory('Inspection Quota Works');
    const p = await product(f);
    const model = await createModel(t.database.db, f.factoryId, { productId: p });
    await updateModel(t.database.db, f.factoryId, model.id, { status: 'READY', threshold: 1, scoreNormalisation: { threshold: 1, min: 0, max: 2 } });
    await activateModel(t.database.db, f.factoryId, model.id);
    // 5 a minute: one token back every 12 s, far longer than this test takes.
    await setQuotaOverrides(t.database.db, f.factoryId, { maxInspectionsPerMinute: 5 });
    const imageId = (await upload(f, p, await pngImage(32, 7))).json.data.uploadImage.image.id;
    const submit = (key: string, api: 'first' | 'second' = 'first') =>
      gqlAt(api === 'first' ? t.api.url : second.url, 'mutation($i: ID!, $k: String) { submitInspection(input: { imageId: $i, idempotencyKey: $k }) { inspection { id } } }', { i: imageId, k: key }, f.keyToken);
    for (let i = 0; i < 4; i++) expect((await submit(`k${i}`, i % 2 ? 'second' : 'first')).json.errors).toBeUndefined();
    // A replay of an accepted key answers the same inspection and is not charged.
    expect((await submit('k0')).json.errors).toBeUndefined();

    const { ok, refused } = tally(await Promise.all(Array.from({ length: 20 }, (_, i) => submit(`burst-${i}`, i % 2 ? 'second' : 'first'))));
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const error = refused[0]!.json.errors![0]!;
    expect(error.message).toMatch(/^Quota exceeded: inspections per minute: limit 5, in use 5; retry in \d+ s\./);
    expect(error.extensions).toMatchObject({ quota: 'inspectionsPerMinute', limit: 5, used: 5 });
    expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await t.database.db.inspection.count({ where: { factoryId: f.factoryId } })).toBe(5);

    const admin = await t.login(f.adminEmail);
    const usage = (await t.gql(USAGE, {}, { token: admin })).json.data.factoryUsage;
    expect(usage.inspectionsPerMinute).toEqual({ used: 5, limit: 5 });
    // Another factory's quota is its own.
    const other = await t.createFactory('Unhurried Works');
    const otherUsage = (await t.gql(USAGE, {}, { token: await t.login(other.adminEmail) })).json.data.factoryUsage;
    expect(otherUsage).toEqual({ storedImages: { used: 0, limit: 1000 }, concurrentTrainingRuns: { used: 0, limit: 10 }, inspectionsPerMinute: { used: 0, limit: 1000 } });
  });
});

describe('who sets and sees quotas', () => {
  it('the factory admin cannot raise a quota through settings, and 0 means no limit', async () => {
    const f = await t.createFactory('Ambitious Works');
    await setQuotaOverrides(t.database.db, f.factoryId, { maxStoredImages: 1, maxConcurrentTrainingRuns: 0 });
    const admin = await t.login(f.adminEmail);
    await t.gql('mutation { updateFactory(settings: { quotas: { maxStoredImages: 1000 }, maxStoredImages: 1000 }) { id } }', {}, { token: admin });
    const usage = (await t.gql(USAGE, {}, { token: admin })).json.data.factoryUsage;
    expect(usage.storedImages).toEqual({ used: 0, limit: 1 });
    expect(usage.concurrentTrainingRuns).toEqual({ used: 0, limit: null });
    // API keys do not read quotas; engineers and admins do.
    expect(errorCode(await t.gql(USAGE, {}, { token: f.keyToken }))).toBe('FORBIDDEN');
  });
});

async function gqlAt(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<GqlResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, json: (await res.json()) as GqlResponse['json'], headers: res.headers };
}
