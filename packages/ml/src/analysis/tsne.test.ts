import { describe, expect, it } from 'vitest';
import { interpolateLatents } from './interpolate-latents';
import { createRng } from './random';
import { tsne } from './tsne';

function blobs(seed: number) {
  const rng = createRng(seed);
  const centre = (k: number) => Array.from({ length: 20 }, (_, j) => (j === k ? 10 : 0));
  return Array.from({ length: 90 }, (_, i) => Float64Array.from(centre(i % 3), (c) => c + rng.normal()));
}

describe('tsne', () => {
  it('keeps well-separated clusters apart in 2-D', () => {
    const xs = blobs(1);
    const ys = tsne(xs, { perplexity: 15, iterations: 500, seed: 2 });
    expect(ys).toHaveLength(90);
    const cluster = (i: number) => i % 3;
    // Every point's nearest embedded neighbour belongs to its own cluster.
    let agree = 0;
    ys.forEach((p, i) => {
      let best = -1;
      let bestD = Infinity;
      ys.forEach((q, j) => {
        const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
        if (j !== i && d < bestD) {
          bestD = d;
          best = j;
        }
      });
      if (cluster(best) === cluster(i)) agree++;
    });
    expect(agree).toBe(90);
  });

  it('is deterministic for a seed and different for another seed', () => {
    const xs = blobs(3);
    const a = tsne(xs, { iterations: 200, seed: 7 });
    const b = tsne(xs, { iterations: 200, seed: 7 });
    const c = tsne(xs, { iterations: 200, seed: 8 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.flat().every(Number.isFinite)).toBe(true);
    expect(() => tsne(xs.slice(0, 2))).toThrow(/three/);
  });
});

describe('interpolateLatents', () => {
  it('returns k evenly spaced vectors from one latent to the other, both included', () => {
    const path = interpolateLatents([0, 10], [1, 30], 5);
    expect(path).toHaveLength(5);
    expect(Array.from(path[0]!)).toEqual([0, 10]);
    expect(Array.from(path[4]!)).toEqual([1, 30]);
    expect(Array.from(path[2]!)).toEqual([0.5, 20]);
    const steps = path.slice(1).map((v, i) => v[1]! - path[i]![1]!);
    expect(new Set(steps)).toEqual(new Set([5]));
    expect(interpolateLatents(new Float32Array(100), new Float32Array(100).fill(1), 64)).toHaveLength(64);
    expect(() => interpolateLatents([0], [1, 2], 4)).toThrow(RangeError);
    expect(() => interpolateLatents([0], [1], 1)).toThrow(RangeError);
  });
});
