import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDcgan, disposeDcgan, selectBackend } from '@gansight/ml';
import { FsBlobStore } from '@gansight/storage';
import { generatorCheckMetrics, sampleGridKeys } from './model-card-metrics';

let root: string;
let blobs: FsBlobStore;

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 1 });
  root = await mkdtemp(path.join(os.tmpdir(), 'card-'));
  blobs = new FsBlobStore({ root });
  await blobs.ensureReady();
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('model card metrics', () => {
  it('records a generator check that cannot run as an error with its code, and logs it', async () => {
    const dcgan = buildDcgan({ size: 16, nf: 4, zdim: 8, channels: 1 }, 1);
    const logs: string[] = [];
    const image = { width: 16, height: 16, channels: 1 as const, data: new Float32Array(256) };
    const out = await generatorCheckMetrics({ dcgan, encoder: null, calibration: null, hyper: {} }, [image, image], 0, (l) => logs.push(l));
    disposeDcgan(dcgan);
    expect(out).toEqual({ error: expect.stringMatching(/^NOT_CALIBRATED: /) });
    expect(logs).toEqual([expect.stringMatching(/generator check failed: NOT_CALIBRATED/)]);
  });

  it("lists one run's sample grids by step, not another run's or another factory's", async () => {
    const put = (key: string) => blobs.put(key, Buffer.from('png'), { contentType: 'image/png' });
    await put('factories/f1/training-runs/r1/samples/step-0000020.png');
    await put('factories/f1/training-runs/r1/samples/step-0000010.png');
    await put('factories/f1/training-runs/r1/checkpoints/step-0000010/manifest.json');
    await put('factories/f1/training-runs/r2/samples/step-0000010.png');
    await put('factories/f2/training-runs/r1/samples/step-0000030.png');
    expect(await sampleGridKeys(blobs, 'f1', 'r1')).toEqual([
      { step: 10, key: 'factories/f1/training-runs/r1/samples/step-0000010.png' },
      { step: 20, key: 'factories/f1/training-runs/r1/samples/step-0000020.png' },
    ]);
  });
});
