import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { l1PerImage, laplacianL1PerImage } from './reconstruction-loss';

// The peer's laplacian_l1 for one single-channel image, in plain JS (reflect pad, 5x5 binomial).
function peerLaplacianL1(a: number[][], b: number[][], levels: number): number {
  const k1 = [1, 4, 6, 4, 1].map((v) => v / 16);
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
  const blur = (x: number[][]) => x.map((row, i) => row.map((_, j) => {
    let s = 0;
    for (let u = -2; u <= 2; u++) for (let v = -2; v <= 2; v++) s += k1[u + 2]! * k1[v + 2]! * x[reflect(i + u, x.length)]![reflect(j + v, row.length)]!;
    return s;
  }));
  const meanAbs = (x: number[][]) => x.flat().reduce((s, v) => s + Math.abs(v), 0) / x.flat().length;
  let loss = 0;
  for (let l = 0; l < levels - 1; l++) {
    const ba = blur(a);
    const bb = blur(b);
    loss += meanAbs(a.map((r, i) => r.map((v, j) => v - ba[i]![j]! - (b[i]![j]! - bb[i]![j]!))));
    const down = (x: number[][]) => x.filter((_, i) => i % 2 === 0).map((r) => r.filter((_, j) => j % 2 === 0));
    a = down(ba);
    b = down(bb);
  }
  return loss + meanAbs(a.map((r, i) => r.map((v, j) => v - b[i]![j]!)));
}

describe('reconstruction losses', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  it.each([[16, 16, 4], [16, 12, 3], [9, 11, 2], [8, 8, 1]])('lap1 matches the peer formula on %ix%i with %i levels', async (h, w, levels) => {
    const a = tf.randomUniform([2, h, w, 1], -1, 1, 'float32', h) as tf.Tensor4D;
    const b = tf.randomUniform([2, h, w, 1], -1, 1, 'float32', w + 100) as tf.Tensor4D;
    const gotT = laplacianL1PerImage(a, b, levels);
    const got = await gotT.data();
    gotT.dispose();
    const aa = (await a.array()) as number[][][][];
    const bb = (await b.array()) as number[][][][];
    for (let i = 0; i < 2; i++) {
      const ref = peerLaplacianL1(aa[i]!.map((r) => r.map((p) => p[0]!)), bb[i]!.map((r) => r.map((p) => p[0]!)), levels);
      expect(Math.abs(got[i]! - ref) / ref).toBeLessThan(1e-5);
    }
    tf.dispose([a, b]);
  });

  it('lap1 gradient matches a central finite difference, borders included', async () => {
    const a = tf.randomUniform([1, 12, 12, 1], -1, 1, 'float32', 21) as tf.Tensor4D;
    const b = tf.randomUniform([1, 12, 12, 1], -1, 1, 'float32', 22) as tf.Tensor4D;
    const f = (x: tf.Tensor) => tf.sum(laplacianL1PerImage(x as tf.Tensor4D, b, 3));
    const g = tf.grad(f)(a);
    // One direction per pixel region: a corner pixel, an edge pixel and an interior pixel,
    // where tfjs' own MirrorPad gradient would be wrong at the first two.
    for (const [i, j] of [[0, 0], [0, 5], [6, 6]] as const) {
      const e = tf.tidy(() => tf.mul(tf.oneHot(i * 12 + j, 144).reshape([1, 12, 12, 1]), 1e-3));
      const fd = tf.tidy(() => tf.div(tf.sub(f(tf.add(a, e)), f(tf.sub(a, e))), 2e-3).dataSync()[0]!);
      const an = (await g.data())[i * 12 + j]!;
      // The MirrorPad-based version of this loss was off by 20% at the corner; this is float noise.
      expect(Math.abs(an - fd)).toBeLessThan(1e-4 + 0.03 * Math.abs(fd));
      e.dispose();
    }
    tf.dispose([a, b, g]);
  });

  it('treats colour channels separately and is zero only for identical images', async () => {
    const a = tf.randomUniform([3, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const sameT = laplacianL1PerImage(a, a);
    expect(Array.from(await sameT.data())).toEqual([0, 0, 0]);
    sameT.dispose();
    const b = tf.tidy(() => tf.add(a, tf.mul(tf.oneHot([0, 0, 0], 3).reshape([3, 1, 1, 3]), 0.5))) as tf.Tensor4D;
    const l1T = l1PerImage(a, b);
    const l1 = await l1T.data();
    l1T.dispose();
    // Only channel 0 differs by 0.5 everywhere: the L1 is 0.5 / 3 for each image.
    l1.forEach((v) => expect(v).toBeCloseTo(0.5 / 3, 5));
    // b is the only new tensor (the blur kernel is a shared constant made on first use).
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);
    tf.dispose([a, b]);
  });
});
