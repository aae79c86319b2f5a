// Inversion options a caller relies on beyond the defaults: reconstruction previews on request
// (the live view of an inspection) and the momentum optimiser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { generatorForward } from '../dcgan/forward';
import { invertLatents, type InversionResult } from './invert-latents';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const dispose = (r: InversionResult) => tf.dispose([r.z, r.reconstructions, r.residuals]);

describe('invertLatents options', () => {
  let model: Dcgan;
  let target: tf.Tensor4D;
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    model = buildDcgan({ size: 32, nf: 8, zdim: 16 }, 4);
    target = tf.tidy(() => generatorForward(model.generator, tf.randomNormal([2, 16], 0, 1, 'float32', 9) as tf.Tensor2D, false));
    dispose(await invertLatents(model.generator, target, { iterations: 1 })); // shared constants allocate once
  });
  afterAll(() => {
    target.dispose();
    disposeDcgan(model);
  });

  it('hands G(z) to the callback every N iterations only, equal to the final reconstruction at the last one, and frees it', async () => {
    const previews: { iteration: number; shape: number[] }[] = [];
    let last: tf.Tensor4D | undefined;
    const before = tf.memory().numTensors;
    const res = await invertLatents(model.generator, target, {
      iterations: 6, reconstructionEvery: 3, lr: 0.05, seed: 2,
      onIteration: (p) => {
        if (!p.reconstruction) return;
        previews.push({ iteration: p.iteration, shape: p.reconstruction.shape });
        last?.dispose();
        last = p.reconstruction.clone();
      },
    });
    expect(previews.map((p) => p.iteration)).toEqual([3, 6]);
    expect(previews[0]!.shape).toEqual([2, 32, 32, 1]);
    // The preview after the last step is G at the final z*, i.e. what the result reports.
    expect(maxAbsDiff(last!, res.reconstructions)).toBeLessThan(1e-5);
    last!.dispose();
    // Only the three result tensors remain: every preview was disposed after its callback.
    expect(tf.memory().numTensors).toBe(before + 3);
    dispose(res);
  });

  it('momentum 0 is plain SGD, and momentum 0.9 takes different, larger steps that still lower the loss', async () => {
    const opts = { iterations: 20, lr: 0.01, seed: 5, loss: 'lap1' as const };
    const sgd = await invertLatents(model.generator, target, { ...opts, optimizer: 'sgd' });
    const still = await invertLatents(model.generator, target, { ...opts, optimizer: 'momentum', momentum: 0 });
    const heavy = await invertLatents(model.generator, target, { ...opts, optimizer: 'momentum', momentum: 0.9 });
    const start = await invertLatents(model.generator, target, { ...opts, iterations: 0 });
    expect(maxAbsDiff(still.z, sgd.z)).toBeLessThan(1e-5);
    // Momentum accumulates velocity: from the same start it travels further than SGD in 20 steps.
    const travelled = (r: InversionResult) => tf.tidy(() => tf.norm(tf.sub(r.z, start.z)).dataSync()[0]!);
    expect(travelled(heavy)).toBeGreaterThan(1.5 * travelled(sgd));
    heavy.losses.forEach((v, i) => expect(v).toBeLessThan(start.losses[i]!));
    for (const r of [sgd, still, heavy, start]) dispose(r);
  });
});
