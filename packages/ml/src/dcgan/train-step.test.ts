// The training step against the textbook formulation, and seeded initialisation.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { allVariables, buildDcgan, disposeDcgan, type Dcgan } from './dcgan-model';
import { discriminatorForward, disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward, generatorForward, type StatUpdates } from './forward';
import { configureKernels } from '../kernels/kernel-settings';
import { createTrainer, disposeTrainer, trainStep, type GanTrainer } from './train-step';

// The step as first written: G runs once off any tape for D's update and again on G's tape
// for its own. trainStep reuses one G forward (outsideTape); the updates must not change.
async function twoForwardStep(t: GanTrainer, real: tf.Tensor4D, z: tf.Tensor2D): Promise<void> {
  const { generator: g, discriminator: d } = t.model;
  const updates: StatUpdates = [];
  tf.tidy(() => {
    const fake = generatorForward(g, z, true, updates);
    const dStep = tf.variableGrads(() => {
      const lr = discriminatorForward(d, real, true, updates);
      const lf = discriminatorForward(d, fake, true);
      return tf.add(tf.losses.sigmoidCrossEntropy(tf.onesLike(lr), lr), tf.losses.sigmoidCrossEntropy(tf.zerosLike(lf), lf)) as tf.Scalar;
    }, t.dOptimizer.vars);
    t.dOptimizer.apply(t.dOptimizer.vars.map((v) => dStep.grads[v.name]!));
    const gStep = tf.variableGrads(() => {
      const lf = discriminatorForward(d, generatorForward(g, z, true), true);
      return tf.losses.sigmoidCrossEntropy(tf.onesLike(lf), lf) as tf.Scalar;
    }, t.gOptimizer.vars);
    t.gOptimizer.apply(t.gOptimizer.vars.map((v) => gStep.grads[v.name]!));
  });
  for (const [v, value] of updates) {
    v.assign(value);
    value.dispose();
  }
}

async function weights(m: Dcgan): Promise<Float32Array[]> {
  return Promise.all(allVariables(m).map(async (v) => (await v.data()) as Float32Array));
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => { m = Math.max(m, Math.abs(v - b[i]![j]!)); }));
  return m;
}

describe('trainStep', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  it.each(['wasm', 'cpu'])('on %s, equals the two-forward step (weights, moments and running statistics) and leaks nothing', async (backend) => {
    await tf.setBackend(backend);
    const cfg = { size: 16, nf: 4, zdim: 8, channels: 1 };
    const a = buildDcgan(cfg, 2);
    const b = buildDcgan(cfg, 2);
    const ta = createTrainer(a);
    const tb = createTrainer(b);
    const real = tf.randomUniform([6, 16, 16, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    for (let i = 0; i < 3; i++) {
      const z = tf.randomNormal([6, 8], 0, 1, 'float32', 10 + i) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      await trainStep(ta, real, z);
      if (i > 0) expect(tf.memory().numTensors).toBe(before); // step 1 allocates Adam's moments
      await twoForwardStep(tb, real, z);
      z.dispose();
    }
    const wa = await weights(a);
    expect(maxAbsDiff(wa, await weights(buildDcgan(cfg, 2)))).toBeGreaterThan(1e-4); // it trained
    expect(maxAbsDiff(wa, await weights(b))).toBeLessThan(1e-6);
    const moments = (t: GanTrainer) => [...t.gOptimizer.getState().m, ...t.dOptimizer.getState().v];
    const ma = moments(ta);
    const mb = moments(tb);
    expect(maxAbsDiff(await Promise.all(ma.map((x) => x.data() as Promise<Float32Array>)), await Promise.all(mb.map((x) => x.data() as Promise<Float32Array>)))).toBeLessThan(1e-6);
    tf.dispose([real, ...ma, ...mb]);
    disposeTrainer(ta);
    disposeTrainer(tb);
    disposeDcgan(a);
    disposeDcgan(b);
  });

  it('the same seed gives the same initial weights, seed 0 included', async () => {
    await tf.setBackend('wasm');
    for (const seed of [0, 7]) {
      const a = buildDcgan({ size: 16, nf: 4, zdim: 8 }, seed);
      const b = buildDcgan({ size: 16, nf: 4, zdim: 8 }, seed);
      expect(maxAbsDiff(await weights(a), await weights(b))).toBe(0);
      disposeDcgan(a);
      disposeDcgan(b);
    }
  });
});

// Backends without our fused kernels (tfjs-node, webgl) train through the composed tf ops:
// the same step must come out of both paths.
describe('trainStep with the fused kernels off (the composed ops other backends run)', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  function relativeError(a: Float32Array[], b: Float32Array[]): number {
    let num = 0;
    let den = 0;
    a.forEach((x, i) => x.forEach((v, j) => { num += (v - b[i]![j]!) ** 2; den += b[i]![j]! ** 2; }));
    return Math.sqrt(num / den);
  }

  it.each(['wasm', 'cpu'])('on %s: the same losses, gradients (Adam moments) and generator output', async (backend) => {
    await tf.setBackend(backend);
    const cfg = { size: 16, nf: 4, zdim: 8, channels: 1 };
    const real = tf.randomUniform([6, 16, 16, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    const z = tf.randomNormal([6, 8], 0, 1, 'float32', 10) as tf.Tensor2D;
    const run = async (fused: boolean) => {
      const before = configureKernels({ fused });
      try {
        const m = buildDcgan(cfg, 2);
        const t = createTrainer(m);
        const metrics = await trainStep(t, real, z);
        const state = [...t.gOptimizer.getState().m, ...t.dOptimizer.getState().m];
        const moments = await Promise.all(state.map((x) => x.data() as Promise<Float32Array>));
        const frozen = freezeGenerator(m.generator);
        const image = frozenGeneratorForward(frozen, z);
        const out = { metrics, moments, weights: await weights(m), image: (await image.data()) as Float32Array };
        tf.dispose([...state, image]);
        disposeFrozenGenerator(frozen);
        disposeTrainer(t);
        disposeDcgan(m);
        return out;
      } finally {
        configureKernels(before);
      }
    };
    const composed = await run(false);
    const fused = await run(true);
    for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) expect(fused.metrics[k]).toBeCloseTo(composed.metrics[k], 5);
    // Adam's first moments are (1 - beta1) times the gradients: the gradients agree.
    expect(relativeError(fused.moments, composed.moments)).toBeLessThan(1e-4);
    expect(relativeError(fused.weights, composed.weights)).toBeLessThan(1e-5);
    // G in inference through the phase filters and pixel shuffle (JS kernels vs matMul + transpose).
    expect(relativeError([fused.image], [composed.image])).toBeLessThan(1e-5);
    tf.dispose([real, z]);
  });
});
