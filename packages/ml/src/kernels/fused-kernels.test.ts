// The fused JS kernels (BatchNorm + activation, bias + activation, Adam) against the tf ops
// they replace, on both backends that run them: values and gradients, relative error < 1e-4.
// The kernels run their WebAssembly SIMD loops here (Node 20 has SIMD; simd-loops.test.ts
// checks they are on and agree with the plain JS loops, the fallback).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { batchNormActivation, biasActivation } from './batch-norm-activation';
import { fusedAdamUpdate } from './adam-update';
import { randomArray, relativeError } from './kernel-test-arrays';

const EPS = 1e-5;
const act = (p: tf.Tensor, alpha: number) => (alpha === 1 ? p : alpha === 0 ? tf.relu(p) : tf.leakyRelu(p, alpha));

function composedBn(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, alpha: number) {
  const mean = tf.mean(x, [0, 1, 2]);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
  const y = act(tf.add(tf.mul(tf.sub(x, mean), tf.mul(tf.rsqrt(tf.add(variance, EPS)), gamma)), beta), alpha);
  return { y, mean, variance };
}

// Shapes: channels a multiple of 4 (the grouped loops) and not (the plain loops); an offset
// mean, so the one-pass variance is exercised away from zero.
const shapes: [number, number, number, number][] = [[4, 6, 6, 8], [3, 5, 4, 6], [2, 4, 4, 3]];
const alphas = [0, 0.2, 1];

interface BnResult { y: Float32Array; mean: Float32Array; variance: Float32Array; dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array }

async function bnCase(backend: string, fused: boolean, shape: [number, number, number, number], alpha: number, seed: number): Promise<BnResult> {
  await tf.setBackend(backend);
  const c = shape[3];
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomArray(size, seed, 4, 1.5), shape);
  const gamma = tf.tensor1d(randomArray(c, seed + 1, 1, 1));
  const beta = tf.tensor1d(randomArray(c, seed + 2));
  const g = tf.tensor4d(randomArray(size, seed + 3), shape);
  const f = (xv: tf.Tensor, gv: tf.Tensor, bv: tf.Tensor) =>
    fused ? batchNormActivation(xv, gv as tf.Tensor1D, bv as tf.Tensor1D, alpha, EPS) : composedBn(xv, gv, bv, alpha);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const { y, mean, variance } = f(x, gamma, beta);
    const [dx, dgamma, dbeta] = tf.grads((xv: tf.Tensor, gv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(f(xv, gv, bv).y, g)))([x, gamma, beta]);
    return [y, mean, variance, dx!, dgamma!, dbeta!];
  });
  const [y, mean, variance, dx, dgamma, dbeta] = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, gamma, beta, g]);
  return { y: y!, mean: mean!, variance: variance!, dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
}

describe('fused JS kernels', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  for (const backend of ['cpu', 'wasm']) {
    for (const shape of shapes) {
      it.each(alphas)(`BatchNorm + activation on ${backend}, ${shape.join('x')}, alpha %s: values and gradients match the composed ops`, async (alpha) => {
        const ref = await bnCase('cpu', false, shape, alpha, 17);
        const got = await bnCase(backend, true, shape, alpha, 17);
        for (const key of Object.keys(ref) as (keyof BnResult)[]) {
          expect(relativeError(got[key], ref[key]), key).toBeLessThan(1e-4);
        }
        // The gradient is not trivially zero (a wrong sign mask would still be caught above).
        expect(Math.max(...Array.from(got.dgamma, Math.abs))).toBeGreaterThan(1e-3);
      });
    }

    it.each(alphas)(`bias + activation on ${backend}, alpha %s: values and gradients match the composed ops`, async (alpha) => {
      const run = async (fused: boolean) => {
        await tf.setBackend(backend);
        const x = tf.tensor4d(randomArray(3 * 5 * 5 * 8, 9), [3, 5, 5, 8]);
        const bias = tf.tensor1d(randomArray(8, 10));
        const g = tf.tensor4d(randomArray(3 * 5 * 5 * 8, 11), [3, 5, 5, 8]);
        const f = (xv: tf.Tensor, bv: tf.Tensor) => (fused ? biasActivation(xv, bv as tf.Tensor1D, alpha) : act(tf.add(xv, bv), alpha));
        const out = tf.tidy(() => {
          const [dx, db] = tf.grads((xv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(f(xv, bv), g)))([x, bias]);
          return [f(x, bias), dx!, db!];
        });
        const data = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
        tf.dispose([...out, x, bias, g]);
        return data;
      };
      const ref = await run(false);
      const got = await run(true);
      ref.forEach((r, i) => expect(relativeError(got[i]!, r)).toBeLessThan(1e-4));
    });

    it(`Adam update on ${backend} matches the composed arithmetic`, async () => {
      await tf.setBackend(backend);
      const n = 1000;
      const [p, g, m] = [1, 2, 3].map((s) => tf.tensor1d(randomArray(n, s)));
      const v = tf.tensor1d(randomArray(n, 4, 0.01, 0.01));
      const a = { stepSize: 3e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
      const ref = tf.tidy(() => {
        const mN = tf.add(tf.mul(m!, a.beta1), tf.mul(g!, 1 - a.beta1));
        const vN = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g!), 1 - a.beta2));
        return [tf.sub(p!, tf.mul(tf.div(mN, tf.add(tf.sqrt(vN), a.epsilon)), a.stepSize)), mN, vN];
      });
      const got = fusedAdamUpdate(p!, g!, m!, v, a);
      for (let i = 0; i < 3; i++) expect(relativeError(await got[i]!.data(), await ref[i]!.data())).toBeLessThan(1e-6);
      // The parameter moved.
      expect(relativeError(await got[0]!.data(), await p!.data())).toBeGreaterThan(1e-5);
      tf.dispose([p!, g!, m!, v, ...ref, ...got]);
    });
  }
});
