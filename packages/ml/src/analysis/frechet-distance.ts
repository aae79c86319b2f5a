import { eigenSymmetric } from './eigen-symmetric';
import { sqrtmPsd } from './matrix-functions';
import { addToDiagonal, matMul, trace, type Matrix } from './matrix';
import type { Gaussian } from './gaussian';

/** Mean and covariance of a Gaussian, as Frechet distance needs them. */
export type GaussianMoments = Pick<Gaussian, 'mean' | 'covariance'>;

/**
 * Frechet distance between two Gaussians, ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 * The cross term is Tr((A S2 A)^(1/2)) with A = S1^(1/2): both square roots are of symmetric PSD
 * matrices, so symmetric eigendecompositions apply and the result never goes complex (the
 * scipy.linalg.sqrtm route in FID code does). eps * I is added to both covariances first.
 */
export function frechetDistance(a: GaussianMoments, b: GaussianMoments, options: { eps?: number } = {}): number {
  const d = a.mean.length;
  if (b.mean.length !== d || a.covariance.rows !== d || b.covariance.rows !== d) {
    throw new RangeError(`frechetDistance: dimensions differ (${d} vs ${b.mean.length})`);
  }
  const eps = options.eps ?? 1e-9;
  const s1 = eps > 0 ? addToDiagonal(a.covariance, eps) : a.covariance;
  const s2 = eps > 0 ? addToDiagonal(b.covariance, eps) : b.covariance;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += ((a.mean[j] as number) - (b.mean[j] as number)) ** 2;
  const root1 = sqrtmPsd(s1);
  const inner: Matrix = matMul(matMul(root1, s2), root1);
  const { values } = eigenSymmetric(inner);
  let crossTrace = 0;
  for (const l of values) crossTrace += Math.sqrt(Math.max(l, 0));
  // Rounding can leave a tiny negative result for identical Gaussians; the distance is >= 0.
  return Math.max(0, meanTerm + trace(s1) + trace(s2) - 2 * crossTrace);
}

/** Frechet distance of a single point (a Gaussian with zero covariance) to a Gaussian: ||x - mu||^2 + Tr(S). */
export function frechetDistanceToPoint(x: ArrayLike<number>, gaussian: GaussianMoments): number {
  const d = gaussian.mean.length;
  if (x.length !== d) throw new RangeError(`frechetDistanceToPoint: vector has ${x.length} values, expected ${d}`);
  let s = 0;
  for (let j = 0; j < d; j++) s += ((x[j] as number) - (gaussian.mean[j] as number)) ** 2;
  return s + trace(gaussian.covariance);
}
