import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward, generatorForward } from '../dcgan/forward';
import { trainGan } from '../dcgan/train-gan';
import { invertLatents } from './invert-latents';

describe('invertLatents', () => {
  let model: Dcgan;
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    model = buildDcgan({ size: 32, nf: 8, zdim: 16 }, 2);
    // A few steps so the BatchNorm running statistics are not the identity.
    const data = tf.randomUniform([16, 32, 32, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    await trainGan(model, data, { steps: 3, batchSize: 8, seed: 2 });
    data.dispose();
  });

  it('the frozen (BatchNorm-folded) generator equals G in inference mode, values and z-gradients', async () => {
    const z = tf.randomNormal([4, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    const frozen = freezeGenerator(model.generator);
    const [a, b] = tf.tidy(() => [generatorForward(model.generator, z, false), frozenGeneratorForward(frozen, z)]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a!, b!))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-4);
    const w = tf.randomNormal(a!.shape, 0, 1, 'float32', 6);
    const [ga, gb] = tf.tidy(() => [
      tf.grad((zz: tf.Tensor) => tf.sum(tf.mul(generatorForward(model.generator, zz as tf.Tensor2D, false), w)))(z),
      tf.grad((zz: tf.Tensor) => tf.sum(tf.mul(frozenGeneratorForward(frozen, zz as tf.Tensor2D), w)))(z),
    ]);
    const rel = tf.tidy(() => tf.div(tf.norm(tf.sub(ga!, gb!)), tf.norm(ga!)).dataSync()[0]!);
    expect(rel).toBeLessThan(1e-4);
    tf.dispose([z, a!, b!, w, ga!, gb!]);
    disposeFrozenGenerator(frozen);
  });

  it('recovers an image G can produce, returns consistent outputs and leaks nothing', async () => {
    const target = tf.tidy(() => generatorForward(model.generator, tf.randomNormal([3, 16], 0, 1, 'float32', 7) as tf.Tensor2D, false));
    // One warm-up call creates the shared blur-kernel constant.
    const warm = await invertLatents(model.generator, target, { iterations: 1 });
    tf.dispose([warm.z, warm.reconstructions, warm.residuals]);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const res = await invertLatents(model.generator, target, {
      iterations: 60, lr: 0.05, optimizer: 'adam', loss: 'lap1', seed: 1,
      onIteration: (p) => { seen.push(p.meanLoss); },
    });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(res.z.shape).toEqual([3, 16]);
    expect(res.reconstructions.shape).toEqual([3, 32, 32, 1]);
    expect(seen).toHaveLength(60);
    expect(seen[59]!).toBeLessThan(seen[0]! * 0.5);
    // The residual map is |x - G(z*)| exactly.
    const check = tf.tidy(() => tf.max(tf.abs(tf.sub(res.residuals, tf.abs(tf.sub(target, res.reconstructions))))).dataSync()[0]!);
    expect(check).toBe(0);
    expect(res.losses.length).toBe(3);
    tf.dispose([res.z, res.reconstructions, res.residuals, target]);
  });

  it('more restarts never do worse per image, and zClip bounds the latents', async () => {
    const images = tf.randomUniform([2, 32, 32, 1], -1, 1, 'float32', 8) as tf.Tensor4D;
    const one = await invertLatents(model.generator, images, { iterations: 5, restarts: 1, seed: 4, loss: 'l1' });
    const three = await invertLatents(model.generator, images, { iterations: 5, restarts: 3, seed: 4, loss: 'l1', zClip: 0.5 });
    const onePlain = await invertLatents(model.generator, images, { iterations: 5, restarts: 3, seed: 4, loss: 'l1' });
    onePlain.losses.forEach((v, i) => expect(v).toBeLessThanOrEqual(one.losses[i]! + 1e-6));
    expect(tf.tidy(() => tf.max(tf.abs(three.z)).dataSync()[0]!)).toBeLessThanOrEqual(0.5);
    for (const r of [one, three, onePlain]) tf.dispose([r.z, r.reconstructions, r.residuals]);
    images.dispose();
  });

  it('starts from given latents: the true z needs no iterations, and continuing an inversion equals running it longer', async () => {
    const zTrue = tf.randomNormal([2, 16], 0, 1, 'float32', 11) as tf.Tensor2D;
    const target = tf.tidy(() => generatorForward(model.generator, zTrue, false));
    const before = tf.memory().numTensors;
    const exact = await invertLatents(model.generator, target, { iterations: 0, init: zTrue, loss: 'l1' });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(zTrue.isDisposed).toBe(false); // the caller's tensor is read, not taken
    const random = await invertLatents(model.generator, target, { iterations: 0, seed: 1, loss: 'l1' });
    // (G after 3 training steps varies little with z, hence the relative comparison.)
    exact.losses.forEach((v, i) => expect(v).toBeLessThan(random.losses[i]! * 0.01));
    // Plain SGD has no state, so 10 iterations then 5 more from that z* equal 15 in one go
    // (a large rate because this barely trained G has small z-gradients).
    const sgd = { optimizer: 'sgd' as const, lr: 40, loss: 'l1' as const, seed: 9 };
    const first = await invertLatents(model.generator, target, { ...sgd, iterations: 10 });
    const more = await invertLatents(model.generator, target, { ...sgd, iterations: 5, init: first.z });
    const once = await invertLatents(model.generator, target, { ...sgd, iterations: 15 });
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(more.z, once.z))).dataSync()[0]!);
    expect(gap).toBeLessThan(1e-5);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(first.z, once.z))).dataSync()[0]!)).toBeGreaterThan(1e-3);
    // With restarts, restart 0 starts at init, so the best is never worse than init's own run.
    const withRestarts = await invertLatents(model.generator, target, { ...sgd, iterations: 5, init: first.z, restarts: 3 });
    withRestarts.losses.forEach((v, i) => expect(v).toBeLessThanOrEqual(more.losses[i]! + 1e-6));
    for (const r of [exact, random, first, more, once, withRestarts]) tf.dispose([r.z, r.reconstructions, r.residuals]);
    expect(tf.memory().numTensors).toBe(before);
    await expect(invertLatents(model.generator, target, { iterations: 1, init: tf.zeros([3, 16]) as tf.Tensor2D })).rejects.toThrow(/initial latents/);
    tf.dispose([zTrue, target]);
  });

  it('rejects images that do not match the generator', async () => {
    const wrong = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
    await expect(invertLatents(model.generator, wrong, { iterations: 1 })).rejects.toThrow(/do not match/);
    wrong.dispose();
  });

  it('cleans up the model', () => {
    disposeDcgan(model);
  });
});
