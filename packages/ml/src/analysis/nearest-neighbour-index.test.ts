import { describe, expect, it } from 'vitest';
import { buildNearestNeighbourIndex, nearestSquaredDistance } from './nearest-neighbour-index';
import { createRng } from './random';

/** Nearest squared distance by checking every point. */
function bruteForce(points: Float64Array, groups: Int32Array, dim: number, q: ArrayLike<number>, exclude?: number): number {
  let best = Infinity;
  for (let i = 0; i < points.length / dim; i++) {
    if (groups[i] === exclude) continue;
    let s = 0;
    for (let j = 0; j < dim; j++) s += ((q[j] as number) - (points[i * dim + j] as number)) ** 2;
    best = Math.min(best, s);
  }
  return best;
}

describe('nearest-neighbour index', () => {
  it('finds exactly the nearest point, with and without leaving a group out, on spread and clustered data with ties', () => {
    const rng = createRng(7);
    const dim = 6;
    const n = 3000;
    // Decaying scales (like PCA coordinates), coarse values that tie, and 100 copies of one point.
    const points = Float64Array.from({ length: n * dim }, (_, i) =>
      Math.floor(i / dim) >= 2900 ? (i % dim) * 0.25 : Math.round((rng.normal() * 10) / (1 + (i % dim))) / 2);
    const groups = Int32Array.from({ length: n }, (_, i) => i % 37);
    const index = buildNearestNeighbourIndex(points, dim, groups, 8);
    for (let t = 0; t < 300; t++) {
      const q = t < 250 ? Float64Array.from({ length: dim }, (_, j) => rng.normal() * 12 / (1 + j)) : points.slice((t - 250) * 60 * dim, ((t - 250) * 60 + 1) * dim);
      expect(nearestSquaredDistance(index, q)).toBe(bruteForce(points, groups, dim, q));
      expect(nearestSquaredDistance(index, q, { excludeGroup: t % 37 })).toBe(bruteForce(points, groups, dim, q, t % 37));
    }
  });

  it('with stopAtOrBelow returns the exact distance when it is above the bound, and some distance at or below it otherwise', () => {
    const rng = createRng(3);
    const dim = 4;
    const points = Float64Array.from({ length: 2000 * dim }, () => rng.normal());
    const index = buildNearestNeighbourIndex(points, dim);
    const groups = new Int32Array(2000);
    for (let t = 0; t < 200; t++) {
      const q = Float64Array.from({ length: dim }, () => 2 * rng.normal());
      const exact = bruteForce(points, groups, dim, q);
      const bound = rng.next() * 0.5;
      const got = nearestSquaredDistance(index, q, { stopAtOrBelow: bound });
      if (exact > bound) expect(got).toBe(exact);
      else expect(got).toBeLessThanOrEqual(bound);
    }
  });

  it('reports Infinity when every point is left out, and rejects malformed input', () => {
    const index = buildNearestNeighbourIndex([0, 0, 1, 1], 2, [5, 5]);
    expect(nearestSquaredDistance(index, [0, 0], { excludeGroup: 5 })).toBe(Infinity);
    expect(nearestSquaredDistance(index, [1, 0])).toBe(1);
    expect(() => buildNearestNeighbourIndex([0, 0, 1], 2)).toThrow(RangeError);
    expect(() => buildNearestNeighbourIndex([0, Number.NaN], 2)).toThrow(/non-finite/);
    expect(() => nearestSquaredDistance(index, [0, 0, 0])).toThrow(RangeError);
  });
});
