import { describe, expect, it } from 'vitest';
import { eigenSymmetric } from './eigen-symmetric';
import { frechetDistance, frechetDistanceToPoint } from './frechet-distance';
import { covarianceMatrix, fitGaussian, mahalanobisDistance, meanVector } from './gaussian';
import { fromRows, matMul, transpose } from './matrix';
import { createRng } from './random';
import { gaussianSamples, randomSpd } from './test-fixtures';

const diag = (v: number[]) => fromRows(v.map((x, i) => v.map((_, j) => (i === j ? x : 0))));

describe('frechetDistance', () => {
  it('is 0 for identical Gaussians, even with a singular covariance', () => {
    const cov = randomSpd(20, createRng(4));
    const g = { mean: new Float64Array(20).fill(0.3), covariance: cov };
    expect(frechetDistance(g, g)).toBeLessThan(1e-7);
    const singular = fromRows([[1, 1], [1, 1]]);
    expect(frechetDistance({ mean: Float64Array.of(0, 0), covariance: singular }, { mean: Float64Array.of(0, 0), covariance: singular })).toBeLessThan(1e-6);
  });

  it('matches the 1-D closed form (mu1 - mu2)^2 + (s1 - s2)^2', () => {
    const a = { mean: Float64Array.of(1), covariance: fromRows([[4]]) };
    const b = { mean: Float64Array.of(-2), covariance: fromRows([[9]]) };
    expect(frechetDistance(a, b, { eps: 0 })).toBeCloseTo(9 + (2 - 3) ** 2, 10);
  });

  it('matches the closed form for diagonal covariances: sum (sqrt(a_i) - sqrt(b_i))^2', () => {
    const va = [1, 4, 0.25, 9];
    const vb = [2, 1, 1, 16];
    const a = { mean: Float64Array.of(0, 1, 2, 3), covariance: diag(va) };
    const b = { mean: Float64Array.of(1, 1, 0, 3), covariance: diag(vb) };
    const expected = 1 + 4 + va.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(vb[i] as number)) ** 2, 0);
    expect(frechetDistance(a, b, { eps: 0 })).toBeCloseTo(expected, 10);
  });

  it('matches the closed form for commuting (same eigenvectors) covariances and is symmetric', () => {
    // An orthonormal basis from a random symmetric matrix's eigenvectors.
    const basis = eigenSymmetric(randomSpd(6, createRng(9))).vectors;
    const la = [1, 2, 3, 4, 5, 6];
    const lb = [6, 1, 0.5, 2, 9, 1];
    const a = { mean: new Float64Array(6), covariance: matMul(matMul(basis, diag(la)), transpose(basis)) };
    const b = { mean: new Float64Array(6), covariance: matMul(matMul(basis, diag(lb)), transpose(basis)) };
    const expected = la.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(lb[i] as number)) ** 2, 0);
    expect(frechetDistance(a, b, { eps: 0 })).toBeCloseTo(expected, 8);
    expect(frechetDistance(b, a, { eps: 0 })).toBeCloseTo(expected, 8);
  });

  it('grows with a mean shift and separates a shifted sample set from the reference', () => {
    const ref = fitGaussian(gaussianSamples(400, [0, 0, 0], [1, 1, 1], 1));
    const same = fitGaussian(gaussianSamples(400, [0, 0, 0], [1, 1, 1], 2));
    const shifted = fitGaussian(gaussianSamples(400, [2, 0, 0], [1, 1, 1], 3));
    expect(frechetDistance(ref, same)).toBeLessThan(0.2);
    expect(frechetDistance(ref, shifted)).toBeGreaterThan(3);
  });
});

describe('fitGaussian, point distance and Mahalanobis', () => {
  it('estimates mean and covariance of generated data', () => {
    const xs = gaussianSamples(5000, [1, -2], [2, 0.5], 11);
    const g = fitGaussian(xs);
    expect(g.mean[0]).toBeCloseTo(1, 1);
    expect(g.mean[1]).toBeCloseTo(-2, 1);
    expect(g.covariance.data[0]).toBeCloseTo(4, 0);
    expect(g.covariance.data[3]).toBeCloseTo(0.25, 1);
    expect(Math.abs(g.covariance.data[1] as number)).toBeLessThan(0.05);
    expect(g.count).toBe(5000);
  });

  it('uses n - 1, and shrinkage keeps the trace while pulling towards a scaled identity', () => {
    const xs = [[0, 0], [2, 2]];
    expect(Array.from(covarianceMatrix(xs).data)).toEqual([2, 2, 2, 2]);
    const shrunk = covarianceMatrix(xs, { shrinkage: 0.5 });
    expect(Array.from(shrunk.data)).toEqual([2, 1, 1, 2]);
    expect(Array.from(covarianceMatrix(xs, { ridge: 0.1 }).data)).toEqual([2.1, 2, 2, 2.1]);
    expect(Array.from(meanVector(xs))).toEqual([1, 1]);
    expect(() => fitGaussian([[1, 2], [1]])).toThrow(/expected 2/);
  });

  it('frechetDistanceToPoint equals the Frechet distance to a zero-covariance Gaussian', () => {
    const g = { mean: Float64Array.of(1, 2), covariance: fromRows([[2, 0.5], [0.5, 1]]) };
    const x = [3, 0];
    expect(frechetDistanceToPoint(x, g)).toBeCloseTo(4 + 4 + 3, 12);
    const point = { mean: Float64Array.from(x), covariance: fromRows([[0, 0], [0, 0]]) };
    expect(frechetDistance(point, g, { eps: 0 })).toBeCloseTo(frechetDistanceToPoint(x, g), 8);
  });

  it('Mahalanobis distance scales by the covariance (known values)', () => {
    const g = { mean: Float64Array.of(0, 0), covariance: fromRows([[4, 0], [0, 1]]), count: 2 };
    expect(mahalanobisDistance([2, 0], g, 0)).toBeCloseTo(1, 12);
    expect(mahalanobisDistance([0, 2], g, 0)).toBeCloseTo(2, 12);
    const corr = { mean: Float64Array.of(0, 0), covariance: fromRows([[1, 0.8], [0.8, 1]]), count: 2 };
    // Along the correlation a point is "closer" than across it.
    expect(mahalanobisDistance([1, 1], corr, 0)).toBeLessThan(mahalanobisDistance([1, -1], corr, 0));
    expect(mahalanobisDistance([1, 1], corr, 0)).toBeCloseTo(Math.sqrt(2 / 1.8), 10);
  });
});
