// Colour (3-channel) training: the rest of the suite trains grayscale models, so this checks
// that a colour GAN learns its data's colours, not only that its tensors have three channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from './dcgan-model';
import { generatorForward } from './forward';
import { trainGan } from './train-gan';

describe('a colour DCGAN', () => {
  let model: Dcgan;
  let data: tf.Tensor4D;
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    model = buildDcgan({ size: 32, nf: 8, zdim: 16, channels: 3 }, 1);
    // Reddish parts: red high, green middling, blue low, with a little per-pixel noise.
    data = tf.tidy(() => {
      const colour = tf.tensor1d([0.7, 0.0, -0.7]).reshape([1, 1, 1, 3]);
      return tf.clipByValue(tf.add(colour, tf.randomNormal([64, 32, 32, 3], 0, 0.1, 'float32', 4)), -1, 1) as tf.Tensor4D;
    });
  });
  afterAll(() => {
    data.dispose();
    disposeDcgan(model);
  });

  const channelMeans = () =>
    tf.tidy(() => Array.from(tf.mean(generatorForward(model.generator, tf.randomNormal([32, 16], 0, 1, 'float32', 9) as tf.Tensor2D, false), [0, 1, 2]).dataSync()));

  it('learns the colours of its training images, with 3-channel sample grids and no leaked tensors', async () => {
    const [r0, , b0] = channelMeans();
    expect(Math.abs(r0! - b0!)).toBeLessThan(0.2); // an untrained generator has no colour cast
    const grids: number[][] = [];
    const counts: number[] = [];
    await trainGan(model, data, {
      steps: 120, batchSize: 16, seed: 3, sampleEvery: 60,
      onSample: (_step, grid) => { grids.push(grid.shape); grid.dispose(); },
      onStep: () => { counts.push(tf.memory().numTensors); },
    });
    expect(grids).toHaveLength(2);
    expect(grids[0]![2]).toBe(3);
    // Constant tensor count from step to step: a training step leaks nothing.
    expect(new Set(counts.slice(5)).size).toBe(1);
    const [r, g, b] = channelMeans();
    // The data's channel means are 0.7, 0 and -0.7; samples land near each (about 0.5, 0, -0.5
    // after 120 steps) and in that order.
    expect(r!).toBeGreaterThan(g! + 0.3);
    expect(g!).toBeGreaterThan(b! + 0.3);
    for (const [got, want] of [[r!, 0.7], [g!, 0], [b!, -0.7]] as const) expect(Math.abs(got - want)).toBeLessThan(0.3);
  }, 120_000);
});
