import { cholesky, forwardSubstitute } from './matrix-functions';
import { addToDiagonal, trace, zeros, type Matrix, type Vectors } from './matrix';

/** A multivariate Gaussian fitted to samples. */
export interface Gaussian {
  mean: Float64Array;
  covariance: Matrix;
  /** How many samples it was fitted on. */
  count: number;
}

export interface CovarianceOptions {
  /** Shrink towards (tr(S)/d) I by this fraction in [0, 1] (stabilises few-sample estimates). */
  shrinkage?: number;
  /** Add this to the diagonal (ridge regularisation). */
  ridge?: number;
  /** Divide by n instead of n - 1 (maximum-likelihood estimate). */
  biased?: boolean;
}

function dimensionOf(vectors: Vectors): number {
  const first = vectors[0];
  if (!first) throw new RangeError('no vectors given');
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i] as ArrayLike<number>;
    if (v.length !== first.length) throw new RangeError(`vector ${i} has ${v.length} values, expected ${first.length}`);
    for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j] as number)) throw new RangeError(`vector ${i} has a non-finite value at ${j}`);
  }
  return first.length;
}

/** Component-wise mean of equally long vectors. */
export function meanVector(vectors: Vectors): Float64Array {
  const d = dimensionOf(vectors);
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (v[j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / vectors.length;
  return mean;
}

/** Sample covariance (n - 1 by default; 0 for a single sample), with optional shrinkage and ridge. */
export function covarianceMatrix(vectors: Vectors, options: CovarianceOptions = {}, mean = meanVector(vectors)): Matrix {
  const d = mean.length;
  const n = vectors.length;
  const cov = zeros(d, d);
  const c = cov.data;
  const centred = new Float64Array(d);
  for (const v of vectors) {
    for (let j = 0; j < d; j++) centred[j] = (v[j] as number) - (mean[j] as number);
    for (let i = 0; i < d; i++) {
      const ci = centred[i] as number;
      if (ci === 0) continue;
      for (let j = i; j < d; j++) c[i * d + j] = (c[i * d + j] as number) + ci * (centred[j] as number);
    }
  }
  const denom = options.biased || n < 2 ? n : n - 1;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = (c[i * d + j] as number) / denom;
      c[i * d + j] = v;
      c[j * d + i] = v;
    }
  }
  let out = cov;
  const alpha = options.shrinkage ?? 0;
  if (alpha < 0 || alpha > 1) throw new RangeError(`shrinkage must be in [0, 1], got ${alpha}`);
  if (alpha > 0) {
    const target = trace(cov) / d;
    for (let k = 0; k < c.length; k++) c[k] = (1 - alpha) * (c[k] as number);
    out = addToDiagonal(cov, alpha * target);
  }
  return options.ridge ? addToDiagonal(out, options.ridge) : out;
}

/** Fits a Gaussian (mean, covariance) to sample vectors, e.g. latent vectors of qualified images. */
export function fitGaussian(vectors: Vectors, options: CovarianceOptions = {}): Gaussian {
  const mean = meanVector(vectors);
  return { mean, covariance: covarianceMatrix(vectors, options, mean), count: vectors.length };
}

/** Mahalanobis distance sqrt((x - mu)^T (S + eps I)^-1 (x - mu)); eps keeps a singular S usable. */
export function mahalanobisDistance(x: ArrayLike<number>, gaussian: Gaussian, eps = 1e-6): number {
  return createMahalanobis(gaussian, eps)(x);
}

/** A reusable Mahalanobis distance to `gaussian` (factorises the covariance once). */
export function createMahalanobis(gaussian: Gaussian, eps = 1e-6): (x: ArrayLike<number>) => number {
  const L = cholesky(eps > 0 ? addToDiagonal(gaussian.covariance, eps) : gaussian.covariance);
  const d = gaussian.mean.length;
  return (x) => {
    if (x.length !== d) throw new RangeError(`mahalanobis: vector has ${x.length} values, expected ${d}`);
    const diff = new Float64Array(d);
    for (let j = 0; j < d; j++) diff[j] = (x[j] as number) - (gaussian.mean[j] as number);
    const y = forwardSubstitute(L, diff);
    let s = 0;
    for (const v of y) s += v * v;
    return Math.sqrt(s);
  };
}

