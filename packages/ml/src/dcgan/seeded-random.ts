// Stateless seeded randomness: every draw is a pure function of (seed, step, purpose), so the
// whole RNG state of a training run is just its seed and step count, and a resumed run draws
// exactly what an uninterrupted one would.
import * as tf from '@tensorflow/tfjs';

/** A 32-bit mix of the inputs (splitmix-style); stable across platforms. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Latents N(0, 1) of shape [n, zdim] determined by (seed, step, stream). */
export function seededLatents(n: number, zdim: number, seed: number, step: number, stream = 0): tf.Tensor2D {
  return tf.randomNormal([n, zdim], 0, 1, 'float32', mixSeed(seed, step, stream)) as tf.Tensor2D;
}

/** `count` indices in [0, size) determined by (seed, step); an epoch-wise shuffle of the data. */
export function seededBatchIndices(size: number, count: number, seed: number, step: number): Int32Array {
  const perEpoch = Math.max(1, Math.floor(size / count));
  const epoch = Math.floor(step / perEpoch);
  const slot = step % perEpoch;
  // Fisher-Yates with a mulberry32 stream keyed by (seed, epoch).
  let s = mixSeed(seed, epoch, 0x5eed);
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const perm = new Int32Array(size);
  for (let i = 0; i < size; i++) perm[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = perm[(slot * count + i) % size]!;
  return out;
}
