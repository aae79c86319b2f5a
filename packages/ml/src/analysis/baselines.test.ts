import { describe, expect, it } from 'vitest';
import { GaussianMixtureDetector } from './gaussian-mixture';
import { LocalOutlierFactorDetector } from './local-outlier-factor';
import { OneClassSvmDetector, scaleGamma } from './one-class-svm';
import { auroc } from './roc';
import { createRng } from './random';

/** Qualified samples from two tight clusters in 5-D; defects scattered between and around them. */
function clusters(seed: number) {
  const rng = createRng(seed);
  const centres = [
    [3, 0, 0, 0, 0],
    [-3, 1, 0, 0, 0],
  ];
  const good = (n: number) => Array.from({ length: n }, (_, i) => Float64Array.from(centres[i % 2]!, (c) => c + 0.5 * rng.normal()));
  const train = good(300);
  const testGood = good(100);
  const defects = Array.from({ length: 100 }, () => Float64Array.from({ length: 5 }, () => 4 * rng.normal()));
  return { train, test: [...testGood, ...defects], labels: [...testGood.map(() => 0), ...defects.map(() => 1)] };
}

// Same small data set scored by scikit-learn 1.2.1 (OneClassSVM(nu=0.5, gamma='scale', tol=1e-6)
// and LocalOutlierFactor(n_neighbors=5, novelty=True)); the values below come from that run.
const idx = Array.from({ length: 40 }, (_, i) => i);
const small = idx.map((i) => [2 * Math.sin(0.7 * i), Math.cos(1.3 * i) + (0.1 * i) / 40]);
const queries = [[0, 0], [1.5, 0.5], [3, 3], [-2, -1]];

describe('GaussianMixtureDetector', () => {
  it('separates off-cluster samples and recovers a known two-cluster likelihood', () => {
    const { train, test, labels } = clusters(1);
    const gmm = new GaussianMixtureDetector({ components: 2, seed: 3 }).fit(train);
    expect(auroc(gmm.score(test), labels)).toBeGreaterThan(0.95);
    // -log p at a cluster centre: equal weights, isotropic sd 0.5 in 5-D.
    const expected = -Math.log(0.5) + 0.5 * 5 * Math.log(2 * Math.PI * 0.25);
    expect(gmm.score([[3, 0, 0, 0, 0]])[0]).toBeCloseTo(expected, 0);
  });

  it('is deterministic for a seed and supports diagonal covariances', () => {
    const { train, test } = clusters(2);
    const a = new GaussianMixtureDetector({ components: 3, seed: 5, restarts: 2 }).fit(train).score(test);
    const b = new GaussianMixtureDetector({ components: 3, seed: 5, restarts: 2 }).fit(train).score(test);
    expect(Array.from(a)).toEqual(Array.from(b));
    const diag = new GaussianMixtureDetector({ components: 2, covariance: 'diag', seed: 1 }).fit(train);
    expect(diag.score(test).every(Number.isFinite)).toBe(true);
    expect(() => new GaussianMixtureDetector({ components: 2 }).score(test)).toThrow(/fit/);
  });
});

describe('OneClassSvmDetector', () => {
  it('matches scikit-learn decision values on a small data set', () => {
    const svm = new OneClassSvmDetector({ tolerance: 1e-6 }).fit(small);
    expect(scaleGamma(small, 2)).toBeCloseTo(0.3986085783026517, 12);
    const expected = [-0.561919, -0.667456, 5.724722, 1.667297];
    Array.from(svm.score(queries)).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 4));
  });

  it('honours nu: about a nu share of training points fall outside, and defects score higher', () => {
    const { train, test, labels } = clusters(3);
    for (const nu of [0.1, 0.3]) {
      const svm = new OneClassSvmDetector({ nu }).fit(train);
      const outside = Array.from(svm.score(train)).filter((s) => s > 1e-9).length / train.length;
      expect(outside).toBeLessThanOrEqual(nu + 0.02);
      expect(outside).toBeGreaterThan(nu / 2);
      expect(auroc(svm.score(test), labels)).toBeGreaterThan(0.9);
    }
  });
});

describe('LocalOutlierFactorDetector', () => {
  it('matches scikit-learn novelty scores on a small data set', () => {
    const lof = new LocalOutlierFactorDetector(5).fit(small);
    const expected = [0.978967, 0.991417, 3.824414, 1.052555];
    Array.from(lof.score(queries)).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 5));
  });

  it('scores inliers near 1 and defects higher', () => {
    const { train, test, labels } = clusters(4);
    const scores = new LocalOutlierFactorDetector(20).fit(train).score(test);
    expect(auroc(scores, labels)).toBeGreaterThan(0.9);
    const inlierMedian = Array.from(scores.slice(0, 100)).sort((a, b) => a - b)[50]!;
    expect(inlierMedian).toBeGreaterThan(0.8);
    expect(inlierMedian).toBeLessThan(1.3);
  });
});
