// requestInterpolation and Model.interpolations: what the API checks before it queues a strip,
// what it queues, and how a drawn strip is served (a fresh signed URL of the stored PNG).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, createModel, createProduct, recordLatentInterpolationResult, updateModel } from '@gansight/db';
import type { JobQueue } from '@gansight/contracts';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let token: string;
let modelId: string;
const images: string[] = [];
let otherProductImage: string;
const queued: { task: string; payload: object; jobKey?: string }[] = [];
let failQueue = false;

const jobs: JobQueue = {
  add: async (task, payload, options) => {
    if (failQueue) throw new Error('queue unavailable');
    queued.push({ task, payload, jobKey: options?.jobKey });
  },
};

const REQUEST = 'mutation($m: ID!, $f: ID!, $t: ID!, $s: Int) { requestInterpolation(modelId: $m, fromImageId: $f, toImageId: $t, steps: $s) { id status steps url fromImage { id } toImage { id } } }';
const LIST = 'query($m: ID!) { model(id: $m) { interpolations(first: 10) { id status url error } } }';

async function image(productId: string, i: number): Promise<string> {
  const { image } = await createImage(t.database.db, acme.factoryId, {
    productId, blobKey: `factories/${acme.factoryId}/images/i/${productId}-${i}.png`, sha256: sha256(Buffer.from(`${productId} ${i}`)),
    width: 32, height: 32, contentType: 'image/png', byteSize: 10, label: 'QUALIFIED', split: 'TRAIN',
  });
  return image.id;
}

beforeAll(async () => {
  t = await startTestApi({ services: { jobs } });
  acme = await t.createFactory('Acme Tiles');
  token = await t.login(acme.adminEmail);
  const product = await createProduct(t.database.db, acme.factoryId, { name: 'Cell', slug: 'cell', imageSize: 32, channels: 1 });
  const model = await createModel(t.database.db, acme.factoryId, { productId: product.id });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY' });
  modelId = model.id;
  for (let i = 0; i < 6; i++) images.push(await image(product.id, i));
  const other = await createProduct(t.database.db, acme.factoryId, { name: 'Other', slug: 'other', imageSize: 32, channels: 1 });
  otherProductImage = await image(other.id, 0);
});
afterAll(() => t.stop());

const request = (f: string, to: string, s?: number) => t.gql(REQUEST, { m: modelId, f, t: to, ...(s !== undefined ? { s } : {}) }, { token });

describe('latent interpolations', () => {
  it('refuses bad steps, one image twice, an image of another product and a model that is not READY, queueing nothing', async () => {
    for (const s of [2, 17, 0, -1]) expect(errorCode(await request(images[0]!, images[1]!, s)), `steps ${s}`).toBe('BAD_USER_INPUT');
    const same = await request(images[0]!, images[0]!);
    expect(errorCode(same)).toBe('BAD_USER_INPUT');
    expect(same.json.errors![0]!.message).toMatch(/two different images/);
    const foreign = await request(images[0]!, otherProductImage);
    expect(errorCode(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.json.errors![0]!.message).toMatch(/another product/);
    expect(errorCode(await request(images[0]!, 'no-such-image'))).toBe('NOT_FOUND');
    const training = await createModel(t.database.db, acme.factoryId, { productId: (await t.database.db.model.findFirstOrThrow({ where: { id: modelId } })).productId });
    const notReady = await t.gql(REQUEST, { m: training.id, f: images[0], t: images[1] }, { token });
    expect(errorCode(notReady)).toBe('BAD_USER_INPUT');
    expect(notReady.json.errors![0]!.message).toMatch(/QUEUED; only a READY model/);
    expect(queued).toEqual([]);
    expect(await t.database.db.latentInterpolation.count()).toBe(0);
  });

  it('queues one job per strip with the tenant in it; the same request returns the same strip', async () => {
    const res = await request(images[0]!, images[1]!, 5);
    const strip = res.json.data!.requestInterpolation;
    expect(strip).toMatchObject({ status: 'QUEUED', steps: 5, url: null, fromImage: { id: images[0] }, toImage: { id: images[1] } });
    expect(queued).toEqual([{ task: 'interpolate', payload: { factoryId: acme.factoryId, interpolationId: strip.id }, jobKey: `interpolate:${strip.id}` }]);
    const again = await request(images[0]!, images[1]!, 5);
    expect(again.json.data!.requestInterpolation.id).toBe(strip.id);
    expect(queued).toHaveLength(1);
    // The default is 8 steps.
    expect((await request(images[1]!, images[0]!)).json.data!.requestInterpolation.steps).toBe(8);
  });

  it('holds a model to 4 strips being drawn at once (CONFLICT), and leaves nothing behind when the queue fails', async () => {
    await request(images[2]!, images[3]!);
    await request(images[3]!, images[4]!);
    const fifth = await request(images[4]!, images[5]!);
    expect(errorCode(fifth)).toBe('CONFLICT');
    await t.database.db.latentInterpolation.updateMany({ data: { status: 'FAILED', error: 'INTERNAL: test' } });
    failQueue = true;
    const refused = await request(images[4]!, images[5]!);
    failQueue = false;
    expect(refused.json.errors).toBeDefined();
    expect(await t.database.db.latentInterpolation.count({ where: { status: 'QUEUED' } })).toBe(0);
  });

  it('lists a model\'s strips newest first; a drawn one has a URL that serves its PNG', async () => {
    const queuedStrip = (await request(images[0]!, images[5]!, 3)).json.data!.requestInterpolation;
    const stripKey = `factories/${acme.factoryId}/models/${modelId}/interpolations/${queuedStrip.id}.png`;
    const png = await pngImage(40, 3);
    await t.blobs.put(stripKey, png, { contentType: 'image/png' });
    await recordLatentInterpolationResult(t.database.db, acme.factoryId, queuedStrip.id, { status: 'SUCCEEDED', stripKey, completedAt: new Date() });
    const list = (await t.gql(LIST, { m: modelId }, { token })).json.data!.model.interpolations as { id: string; status: string; url: string | null; error: string | null }[];
    expect(list[0]).toMatchObject({ id: queuedStrip.id, status: 'SUCCEEDED' });
    expect(list.slice(1).every((s) => s.url === null && s.status === 'FAILED' && s.error === 'INTERNAL: test')).toBe(true);
    const served = await fetch(list[0]!.url!);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    expect(errorCode(await t.gql('query($m: ID!) { model(id: $m) { interpolations(first: 21) { id } } }', { m: modelId }, { token }))).toBe('BAD_USER_INPUT');
  });
});
