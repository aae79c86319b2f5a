import { describe, expect, it } from 'vitest';
import { fitPca, pcaInverseTransform, pcaTransform, PcaReconstructionDetector } from './pca';
import { auroc } from './roc';
import { createRng } from './random';

describe('fitPca', () => {
  it('finds the dominant axis and its variance', () => {
    const rng = createRng(1);
    const axis = [0.6, 0.8, 0];
    const xs = Array.from({ length: 2000 }, () => {
      const t = 3 * rng.normal();
      return axis.map((a) => 5 + a * t + 0.1 * rng.normal());
    });
    const pca = fitPca(xs, 2);
    const c = pca.components[0]!;
    expect(Math.abs(c[0]! * 0.6 + c[1]! * 0.8)).toBeCloseTo(1, 3);
    expect(pca.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(pca.explainedVariance[1]).toBeLessThan(0.02);
  });

  it('gives the same projection through the Gram matrix (d > n) as through the covariance (d <= n)', () => {
    const rng = createRng(2);
    const basis = Array.from({ length: 3 }, () => Array.from({ length: 30 }, () => rng.normal()));
    const make = (n: number) =>
      Array.from({ length: n }, () => {
        const w = [4 * rng.normal(), 2 * rng.normal(), rng.normal()];
        return Float64Array.from({ length: 30 }, (_, j) => w.reduce((s, wk, k) => s + wk * basis[k]![j]!, 0) + 0.01 * rng.normal());
      });
    const few = make(20);
    const gram = fitPca(few, 3); // d = 30 > n = 20: Gram path
    const cov = fitPca(few.concat(few.map((v) => Float64Array.from(v))), 3); // every sample twice, n = 40 >= d: covariance path
    for (let k = 0; k < 3; k++) {
      const g = gram.components[k]!;
      const c = cov.components[k]!;
      const cos = g.reduce((s, v, j) => s + v * c[j]!, 0);
      expect(Math.abs(cos)).toBeCloseTo(1, 6);
      // Duplicating every sample doubles the scatter and divides by 39 instead of 19.
      expect(cov.explainedVariance[k]! / gram.explainedVariance[k]!).toBeCloseTo((19 * 2) / 39, 6);
    }
    const back = pcaInverseTransform(gram, pcaTransform(gram, few));
    const err = few.reduce((m, v, i) => Math.max(m, ...Array.from(v, (x, j) => Math.abs(x - back[i]![j]!))), 0);
    expect(err).toBeLessThan(0.1);
  });

  it('whitening gives unit variance per component, and reconstruction error flags off-subspace samples', () => {
    const rng = createRng(3);
    const good = Array.from({ length: 200 }, () => {
      const t = rng.normal();
      return Float64Array.of(t, 2 * t, -t, 0.05 * rng.normal());
    });
    const white = pcaTransform(fitPca(good, 1, { whiten: true }), good);
    const variance = white.reduce((s, p) => s + p[0]! ** 2, 0) / (good.length - 1);
    expect(variance).toBeCloseTo(1, 6);
    const detector = new PcaReconstructionDetector(1).fit(good);
    const off = Array.from({ length: 50 }, () => Float64Array.of(rng.normal(), rng.normal(), rng.normal(), rng.normal()));
    const on = good.slice(0, 50);
    expect(auroc(detector.score([...on, ...off]), [...on.map(() => 0), ...off.map(() => 1)])).toBeGreaterThan(0.95);
  });
});
