import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { randomArray, relativeError } from './kernel-test-arrays';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface Case { n: number; h: number; w: number; ci: number; co: number; k: [number, number]; s: [number, number] | number; pad: Pad }

const cases: Case[] = [
  { n: 1, h: 5, w: 5, ci: 1, co: 1, k: [3, 3], s: 1, pad: 'valid' },
  { n: 2, h: 8, w: 8, ci: 3, co: 4, k: [4, 4], s: 2, pad: 'same' },
  { n: 3, h: 9, w: 7, ci: 2, co: 5, k: [3, 2], s: 2, pad: 'same' },
  { n: 2, h: 9, w: 11, ci: 4, co: 3, k: [4, 4], s: 2, pad: 'valid' },
  { n: 4, h: 16, w: 12, ci: 8, co: 16, k: [4, 4], s: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { n: 2, h: 7, w: 10, ci: 3, co: 2, k: [5, 5], s: 1, pad: 'same' },
  { n: 1, h: 10, w: 6, ci: 2, co: 2, k: [2, 3], s: [2, 1], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { n: 8, h: 16, w: 16, ci: 32, co: 64, k: [4, 4], s: 2, pad: 'same' },
  // Phase-split input gradients (8+ input channels) at odd sizes: the pixel shuffle crops.
  { n: 2, h: 9, w: 11, ci: 8, co: 4, k: [4, 4], s: 2, pad: 'same' },
  // Stride above the kernel size: some phases have no tap and are zero.
  { n: 2, h: 7, w: 8, ci: 8, co: 3, k: [1, 1], s: 2, pad: 'valid' },
  { n: 1, h: 10, w: 9, ci: 12, co: 2, k: [2, 2], s: 3, pad: 'valid' },
];

// Filter gradient of sum(conv2d(x, w) * g) with respect to w: exercises Conv2DBackpropFilter.
async function filterGrad(backend: string, c: Case, seed: number): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomArray(c.n * c.h * c.w * c.ci, seed), [c.n, c.h, c.w, c.ci]);
  const w = tf.tensor4d(randomArray(c.k[0] * c.k[1] * c.ci * c.co, seed + 1), [c.k[0], c.k[1], c.ci, c.co]);
  const y = tf.conv2d(x, w, c.s, c.pad);
  const g = tf.tensor4d(randomArray(y.size, seed + 2), y.shape);
  const dw = tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wv as tf.Tensor4D, c.s, c.pad), g)))(w);
  const out = (await dw.data()) as Float32Array;
  tf.dispose([x, w, y, g, dw]);
  return out;
}

// Input gradient of the same function: exercises Conv2DBackpropInput (replaced on wasm).
async function inputGrad(backend: string, c: Case, seed: number): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomArray(c.n * c.h * c.w * c.ci, seed), [c.n, c.h, c.w, c.ci]);
  const w = tf.tensor4d(randomArray(c.k[0] * c.k[1] * c.ci * c.co, seed + 1), [c.k[0], c.k[1], c.ci, c.co]);
  const y = tf.conv2d(x, w, c.s, c.pad);
  const g = tf.tensor4d(randomArray(y.size, seed + 2), y.shape);
  const dx = tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, w, c.s, c.pad), g)))(x);
  const out = (await dx.data()) as Float32Array;
  tf.dispose([x, w, y, g, dx]);
  return out;
}

describe('conv2d gradient kernels on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i matches the cpu backend', async (i, c) => {
    const ref = await filterGrad('cpu', c, 11 * i + 1);
    const before = (await tf.setBackend('wasm'), tf.memory().numTensors);
    const got = await filterGrad('wasm', c, 11 * i + 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.length).toBe(ref.length);
    expect(relativeError(got, ref)).toBeLessThan(1e-4);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i input gradient matches the cpu backend', async (i, c) => {
    const ref = await inputGrad('cpu', c, 7 * i + 3);
    const before = (await tf.setBackend('wasm'), tf.memory().numTensors);
    const got = await inputGrad('wasm', c, 7 * i + 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(relativeError(got, ref)).toBeLessThan(1e-4);
  });

  it('conv2dTranspose (k4 s2 same, the generator layer) matches the cpu backend', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(randomArray(3 * 5 * 6 * 8, 5), [3, 5, 6, 8]);
      const f = tf.tensor4d(randomArray(4 * 4 * 4 * 8, 6), [4, 4, 4, 8]);
      const y = tf.conv2dTranspose(x, f, [3, 10, 12, 4], 2, 'same');
      const out = (await y.data()) as Float32Array;
      tf.dispose([x, f, y]);
      return out;
    };
    const ref = await run('cpu');
    expect(relativeError(await run('wasm'), ref)).toBeLessThan(1e-4);
  });

  it('does not free the caller\'s inputs', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 3, 3, 4]) as tf.Tensor4D;
    const a = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 3, 4],
    }) as tf.Tensor;
    expect(a.shape).toEqual([4, 4, 3, 4]);
    // Inputs stay readable after the kernel ran and its wrappers were disposed.
    expect((await x.data()).length).toBe(2 * 6 * 6 * 3);
    expect((await dy.data()).length).toBe(2 * 3 * 3 * 4);
    tf.dispose([x, dy, a]);
  });
});
