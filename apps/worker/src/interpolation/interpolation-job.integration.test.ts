// The `interpolate` task end to end in a worker process: a tiny model trained on generated
// textures draws the strip between two of its product's images and stores it as one PNG; an
// unreadable image fails the row with the image's code and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createImage, createLatentInterpolation, getLatentInterpolation, listImages } from '@gansight/db';
import { blobKey } from '@gansight/storage';
import { queueTinyTraining, seedProduct, waitFor, type WorkerFixture } from '../testing/worker-fixture';
import { createWorkerStack, trainReadyModel, type WorkerStack } from '../testing/worker-stack';

let stack: WorkerStack;
let f: WorkerFixture;
let modelId: string;
let productId: string;
let imageIds: string[];

beforeAll(async () => {
  stack = await createWorkerStack();
  f = stack.f;
  ({ productId } = await seedProduct(f, { train: 10, validation: 8 }));
  await stack.startWorker();
  modelId = await trainReadyModel(stack, await queueTinyTraining(f, productId, { steps: 10 }));
  imageIds = (await listImages(f.db, f.factoryId, { productId, split: 'VALIDATION' })).items.map((i) => i.id);
});
afterAll(() => stack?.dispose());

async function draw(fromImageId: string, toImageId: string, steps: number) {
  const row = await createLatentInterpolation(f.db, f.factoryId, { modelId, fromImageId, toImageId, steps });
  await stack.queue.add('interpolate', { factoryId: f.factoryId, interpolationId: row.id });
  return waitFor(() => getLatentInterpolation(f.db, f.factoryId, row.id), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 120_000, 'interpolation');
}

describe('interpolation job', () => {
  it('stores one labelled PNG strip: the two real images and the frames between them', async () => {
    const done = await draw(imageIds[0]!, imageIds[1]!, 6);
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(done.stripKey).toBe(blobKey(f.factoryId, 'models', modelId, 'interpolations', `${done.id}.png`));
    const details = done.details as { path: string; crops: unknown; endLosses: number[] };
    expect(details.path).toBe('spherical');
    expect(details.crops).toBeNull();
    expect(details.endLosses).toHaveLength(2);
    const png = await sharp(await f.blobs.get(done.stripKey!)).metadata();
    expect(png.format).toBe('png');
    // 8 tiles of at least 64 px (32-px images drawn larger), a title band above and labels below.
    expect(png.width).toBeGreaterThanOrEqual(8 * 64);
    expect(png.height).toBeGreaterThan(64 + 40);
  });

  it('fails with BAD_IMAGE and no strip when an image cannot be read', async () => {
    const key = blobKey(f.factoryId, 'images', 'not-a-png.png');
    const bytes = Buffer.from('not an image at all');
    await f.blobs.put(key, bytes, { contentType: 'image/png' });
    const { image } = await createImage(f.db, f.factoryId, {
      productId, blobKey: key, sha256: createHash('sha256').update(bytes).digest('hex'), width: 32, height: 32,
      contentType: 'image/png', byteSize: bytes.length, label: 'QUALIFIED', split: 'TEST',
    });
    const done = await draw(imageIds[0]!, image.id, 4);
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatch(/^BAD_IMAGE: /);
    expect(done.stripKey).toBeNull();
  });
});
