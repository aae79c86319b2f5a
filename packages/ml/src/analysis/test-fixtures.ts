// Generated data shared by the analysis tests (not part of the public surface).
import { fromRows, matMul, transpose, type Matrix } from './matrix';
import { createRng, type Rng } from './random';

/** A random symmetric positive definite d x d matrix (A A^T / d + floor I). */
export function randomSpd(d: number, rng: Rng, floor = 0.1): Matrix {
  const a = fromRows(Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal())));
  const m = matMul(a, transpose(a));
  for (let i = 0; i < d * d; i++) m.data[i] = (m.data[i] as number) / d;
  for (let i = 0; i < d; i++) m.data[i * d + i] = (m.data[i * d + i] as number) + floor;
  return m;
}

/** n samples from N(mean, diag(std^2)). */
export function gaussianSamples(n: number, mean: number[], std: number[], seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float64Array.from(mean, (m, j) => m + (std[j] as number) * rng.normal()));
}

/** Largest absolute element-wise difference between two matrices. */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return m;
}
