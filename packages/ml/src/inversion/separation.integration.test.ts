// Quality check: a small DCGAN trained on synthetic qualified textures, then inverted; images
// with planted defects must leave a larger reconstruction residual than qualified ones.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan } from '../dcgan/dcgan-model';
import { trainGan } from '../dcgan/train-gan';
import { invertLatents } from './invert-latents';

const SIZE = 32;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Wood-like grain: tilted sinusoidal rings with a slow warp and fine noise, values in [-1, 1].
function grain(r: () => number): Float32Array {
  const img = new Float32Array(SIZE * SIZE);
  const angle = (r() - 0.5) * 0.6;
  const freq = 0.55 + r() * 0.25;
  const phase = r() * Math.PI * 2;
  const warp = 1.5 + r() * 1.5;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const u = x * Math.cos(angle) + y * Math.sin(angle);
      const v = -x * Math.sin(angle) + y * Math.cos(angle);
      const ring = Math.sin(u * freq + warp * Math.sin(v * 0.15) + phase);
      img[y * SIZE + x] = Math.max(-1, Math.min(1, 0.6 * ring + 0.08 * (r() * 2 - 1)));
    }
  }
  return img;
}

// A defect: a dark round stain or a bright thin scratch at a random place.
function plantDefect(img: Float32Array, r: () => number): Float32Array {
  const out = img.slice();
  const cx = 6 + r() * (SIZE - 12);
  const cy = 6 + r() * (SIZE - 12);
  if (r() < 0.5) {
    const rad = 2.5 + r() * 2;
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 < rad * rad) out[y * SIZE + x] = -1;
    }
  } else {
    const a = r() * Math.PI;
    for (let t = -8; t <= 8; t += 0.25) {
      const x = Math.round(cx + t * Math.cos(a));
      const y = Math.round(cy + t * Math.sin(a));
      if (x >= 0 && x < SIZE && y >= 0 && y < SIZE) out[y * SIZE + x] = 1;
    }
  }
  return out;
}

function stack(images: Float32Array[]): tf.Tensor4D {
  const data = new Float32Array(images.length * SIZE * SIZE);
  images.forEach((im, i) => data.set(im, i * SIZE * SIZE));
  return tf.tensor4d(data, [images.length, SIZE, SIZE, 1]);
}

/** AUROC of scores where positives should score higher (ties count half). */
function auroc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

describe('separation of planted defects (synthetic wood grain, 32 px)', () => {
  const scores: Record<'mean' | 'maxBlur' | 'loss', { good: number[]; bad: number[] }> = {
    mean: { good: [], bad: [] }, maxBlur: { good: [], bad: [] }, loss: { good: [], bad: [] },
  };

  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    const r = rng(7);
    const train = stack(Array.from({ length: 256 }, () => grain(r)));
    const model = buildDcgan({ size: SIZE, nf: 16, zdim: 32 }, 1);
    const t0 = performance.now();
    await trainGan(model, train, { steps: 800, batchSize: 32, seed: 1 });
    console.log('separation: training s', ((performance.now() - t0) / 1000).toFixed(1));
    train.dispose();
    const good = Array.from({ length: 24 }, () => grain(r));
    const bad = Array.from({ length: 24 }, () => plantDefect(grain(r), r));
    for (const [name, set] of [['good', good], ['bad', bad]] as const) {
      const x = stack(set);
      const res = await invertLatents(model.generator, x, { iterations: 100, lr: 0.05, optimizer: 'adam', loss: 'lap1', restarts: 1, seed: 3 });
      const perImage = tf.tidy(() => {
        const mean = tf.mean(res.residuals, [1, 2, 3]);
        // A 3x3 box blur first, so the max reflects a defect-sized blob, not one noisy pixel.
        const maxBlur = tf.max(tf.avgPool(res.residuals, 3, 1, 'valid'), [1, 2, 3]);
        return [mean, maxBlur];
      });
      scores.mean[name].push(...(await perImage[0]!.data()));
      scores.maxBlur[name].push(...(await perImage[1]!.data()));
      scores.loss[name].push(...res.losses);
      tf.dispose([...perImage, res.z, res.reconstructions, res.residuals, x]);
    }
    disposeDcgan(model);
  }, 600_000);

  it('defective images score higher than qualified ones', () => {
    const result = Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, auroc(s.bad, s.good)]));
    // Printed so the figure lands in the test log and in PERFORMANCE-NOTES.md.
    console.log('separation AUROC', JSON.stringify(result));
    // Measured 0.905 (max of blurred residual), 0.84 (lap1 loss), 0.67 (mean residual); the margin
    // below keeps the test from flaking on a different BLAS summation order.
    expect(result.maxBlur).toBeGreaterThan(0.85);
    expect(result.mean).toBeGreaterThan(0.5);
  });
});
