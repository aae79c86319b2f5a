import { squaredDistance, type Vectors } from './matrix';
import type { Rng } from './random';

/** Picks k initial centres by k-means++ (D^2 sampling) with `trials` candidates per step, as scikit-learn does. */
export function kMeansPlusPlus(samples: Vectors, k: number, rng: Rng, trials = 2 + Math.floor(Math.log(k))): Float64Array[] {
  const n = samples.length;
  if (k < 1 || k > n) throw new RangeError(`kMeansPlusPlus: cannot pick ${k} centres from ${n} samples`);
  const centres = [Float64Array.from(samples[rng.int(n)] as ArrayLike<number>)];
  const closest = Float64Array.from(samples, (s) => squaredDistance(s, centres[0] as Float64Array));
  while (centres.length < k) {
    let total = closest.reduce((a, b) => a + b, 0);
    let bestIndex = -1;
    let bestPotential = Infinity;
    let bestClosest = closest;
    for (let t = 0; t < trials; t++) {
      let r = rng.next() * total;
      let pick = 0;
      if (total > 0) {
        while (pick < n - 1 && r >= (closest[pick] as number)) r -= closest[pick++] as number;
      } else pick = rng.int(n);
      const cand = samples[pick] as ArrayLike<number>;
      const next = Float64Array.from(closest, (c, i) => Math.min(c, squaredDistance(samples[i] as ArrayLike<number>, cand)));
      const potential = next.reduce((a, b) => a + b, 0);
      if (potential < bestPotential) {
        bestPotential = potential;
        bestIndex = pick;
        bestClosest = next;
      }
    }
    centres.push(Float64Array.from(samples[bestIndex] as ArrayLike<number>));
    closest.set(bestClosest);
    total = bestPotential;
  }
  return centres;
}

/** Lloyd's k-means from k-means++ centres; returns centres and each sample's cluster. */
export function kMeans(samples: Vectors, k: number, rng: Rng, maxIterations = 300): { centres: Float64Array[]; labels: Int32Array } {
  const centres = kMeansPlusPlus(samples, k, rng);
  const d = (centres[0] as Float64Array).length;
  const labels = new Int32Array(samples.length).fill(-1);
  for (let iter = 0; iter < maxIterations; iter++) {
    let changed = false;
    samples.forEach((s, i) => {
      let best = 0;
      let bestD = Infinity;
      centres.forEach((c, j) => {
        const dist = squaredDistance(s, c);
        if (dist < bestD) {
          bestD = dist;
          best = j;
        }
      });
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    });
    if (!changed) break;
    const sums = centres.map(() => new Float64Array(d));
    const counts = new Int32Array(k);
    samples.forEach((s, i) => {
      const l = labels[i] as number;
      counts[l] = (counts[l] as number) + 1;
      const sum = sums[l] as Float64Array;
      for (let t = 0; t < d; t++) sum[t] = (sum[t] as number) + (s[t] as number);
    });
    // An emptied cluster keeps its old centre rather than becoming NaN.
    sums.forEach((sum, j) => {
      const c = counts[j] as number;
      if (c > 0) centres[j] = sum.map((v) => v / c);
    });
  }
  return { centres, labels };
}
