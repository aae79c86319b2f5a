// Generated data shared by the analysis tests (not part of the public surface).
import { fromRows, matMul, transpose, type Matrix } from './matrix';
import type { PatchImage } from './patch-nearest-neighbour';
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

/**
 * Striped surfaces of varying size and aspect (direction, period and phase jitter, sensor
 * noise); a defective one carries a 4 x 4 spot 1 brighter than its surroundings somewhere.
 */
export function stripedSurfaces(seed: number, count: number, defect: boolean): Array<PatchImage & { spot: [number, number] | null }> {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const width = 40 + rng.int(25);
    const height = 40 + rng.int(25);
    const angle = 0.3 + 0.2 * rng.next();
    const period = 7 + rng.next();
    const phase = 2 * Math.PI * rng.next();
    const data = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data[y * width + x] = 0.5 * Math.sin((2 * Math.PI * (x * Math.cos(angle) + y * Math.sin(angle))) / period + phase) + 0.03 * rng.normal();
    }
    let spot: [number, number] | null = null;
    if (defect) {
      spot = [4 + rng.int(width - 12), 4 + rng.int(height - 12)];
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data[(spot[1] + y) * width + spot[0] + x]! += 1;
    }
    return { width, height, channels: 1, data, spot };
  });
}
