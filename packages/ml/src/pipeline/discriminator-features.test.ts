// AnoGAN's discrimination residual rests on D's features: they must be exactly the activations
// D's final layer reads (inference mode), and the residual must measure how far apart two
// images look to D.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { discriminatorForward } from '../dcgan/forward';
import { trainGan } from '../dcgan/train-gan';
import { discriminatorFeatures, featureResidual } from './discriminator-features';

describe('discriminator features', () => {
  let model: Dcgan;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    model = buildDcgan({ size: 32, nf: 8, zdim: 16 }, 6);
    x = tf.randomUniform([6, 32, 32, 1], -1, 1, 'float32', 7) as tf.Tensor4D;
    // A few steps so BatchNorm's running statistics differ from the identity.
    await trainGan(model, x, { steps: 3, batchSize: 6, seed: 1 });
  });
  afterAll(() => {
    x.dispose();
    disposeDcgan(model);
  });

  it("are what D's last layer reads: features x W + b equals D's logit in inference mode", () => {
    const [fromFeatures, logits] = tf.tidy(() => {
      const f = discriminatorFeatures(model.discriminator, x);
      return [tf.add(tf.matMul(f, model.discriminator.denseW as tf.Tensor2D), model.discriminator.denseB), discriminatorForward(model.discriminator, x, false)];
    });
    expect(fromFeatures!.shape).toEqual([6, 1]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fromFeatures!, logits!))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([fromFeatures!, logits!]);
  });

  it('give a residual of 0 for identical images that grows with the difference, and leak nothing', () => {
    const before = tf.memory().numTensors;
    const residuals = tf.tidy(() =>
      [0, 0.05, 0.2, 0.8].map((amount) => {
        const other = tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, amount, 'float32', 8)), -1, 1) as tf.Tensor4D;
        return Array.from(featureResidual(model.discriminator, x, other).dataSync());
      }),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(residuals[0]!.every((v) => v === 0)).toBe(true);
    // Per image, more noise moves D's features further (compared on every image, not on average).
    for (let i = 0; i < 6; i++) {
      expect(residuals[1]![i]!).toBeGreaterThan(0);
      expect(residuals[2]![i]!).toBeGreaterThan(residuals[1]![i]!);
      expect(residuals[3]![i]!).toBeGreaterThan(residuals[2]![i]!);
    }
  });
});
