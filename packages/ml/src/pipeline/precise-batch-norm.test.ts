// Precise BatchNorm statistics: after them, D in inference mode must score a set of images as
// D in training mode scores the whole set as one batch, whatever batches the statistics were
// gathered in, and nothing but the running statistics may change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { discriminatorForward } from '../dcgan/forward';
import { trainGan } from '../dcgan/train-gan';
import type { PipelineImage } from './measure-images';
import { setPreciseDiscriminatorStatistics } from './precise-batch-norm';

function toImages(x: tf.Tensor4D): PipelineImage[] {
  const [n, h, w, c] = x.shape;
  const data = x.dataSync() as Float32Array;
  return Array.from({ length: n }, (_, i) => ({ width: w, height: h, channels: c, data: data.slice(i * h * w * c, (i + 1) * h * w * c) }));
}

const runningStats = (m: Dcgan) => m.discriminator.blocks.map((b) => [Array.from(b.bn.movingMean.dataSync()), Array.from(b.bn.movingVar.dataSync())]);

describe('precise discriminator statistics', () => {
  let model: Dcgan;
  let x: tf.Tensor4D;
  let images: PipelineImage[];
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    model = buildDcgan({ size: 32, nf: 8, zdim: 16 }, 3);
    // Shifted and scaled so that the data's statistics are far from BatchNorm's initial 0 / 1.
    x = tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.randomNormal([40, 32, 32, 1], 0, 1, 'float32', 4), 0.3), 0.4), -1, 1)) as tf.Tensor4D;
    images = toImages(x);
    await trainGan(model, x, { steps: 4, batchSize: 8, seed: 2 });
  });
  afterAll(() => {
    x.dispose();
    disposeDcgan(model);
  });

  it("make D's inference-mode logits those of the whole set as one training batch, and leak nothing", () => {
    const before = runningStats(model);
    const weightsBefore = Array.from(model.discriminator.denseW.dataSync());
    const tensors = tf.memory().numTensors;
    setPreciseDiscriminatorStatistics(model.discriminator, images, 7);
    expect(tf.memory().numTensors).toBe(tensors);
    // The running statistics moved; the weights did not.
    const after = runningStats(model);
    expect(after.flat(2).some((v, i) => Math.abs(v - before.flat(2)[i]!) > 1e-3)).toBe(true);
    expect(Array.from(model.discriminator.denseW.dataSync())).toEqual(weightsBefore);
    const [inference, wholeBatch] = tf.tidy(() => [
      Array.from(discriminatorForward(model.discriminator, x, false).dataSync()),
      Array.from(discriminatorForward(model.discriminator, x, true).dataSync()),
    ]);
    const spread = Math.max(...wholeBatch!) - Math.min(...wholeBatch!);
    expect(spread).toBeGreaterThan(0);
    // Training mode divides by the biased variance, the running one is unbiased: n / (n - 1)
    // with n >= 40 * 4 * 4 values per channel, well under 1% of the logits' spread.
    const worst = Math.max(...inference!.map((v, i) => Math.abs(v - wholeBatch![i]!)));
    expect(worst / spread).toBeLessThan(1e-2);
  });

  it('do not depend on the batches they are gathered in', () => {
    setPreciseDiscriminatorStatistics(model.discriminator, images, 64);
    const whole = runningStats(model).flat(2);
    setPreciseDiscriminatorStatistics(model.discriminator, images, 3);
    const small = runningStats(model).flat(2);
    const scale = Math.max(...whole.map(Math.abs));
    expect(Math.max(...small.map((v, i) => Math.abs(v - whole[i]!))) / scale).toBeLessThan(1e-5);
  });

  it('refuse an empty image set and change nothing', () => {
    const before = runningStats(model);
    expect(() => setPreciseDiscriminatorStatistics(model.discriminator, [])).toThrow(RangeError);
    expect(runningStats(model)).toEqual(before);
  });
});
