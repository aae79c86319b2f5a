import { eigenSymmetric } from './eigen-symmetric';
import { zeros, type Matrix } from './matrix';

/** Square root of a symmetric PSD matrix, V diag(sqrt(max(l, 0))) V^T: tiny negative eigenvalues from rounding are clamped to 0. */
export function sqrtmPsd(a: Matrix): Matrix {
  return spectralMap(a, (l) => Math.sqrt(Math.max(l, 0)));
}

/** f applied to a symmetric matrix through its eigenvalues: V diag(f(l)) V^T. */
export function spectralMap(a: Matrix, f: (eigenvalue: number) => number): Matrix {
  const n = a.rows;
  const { values, vectors } = eigenSymmetric(a);
  const V = vectors.data;
  const fl = values.map(f);
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (V[i * n + k] as number) * (fl[k] as number) * (V[j * n + k] as number);
      out.data[i * n + j] = s;
      out.data[j * n + i] = s;
    }
  }
  return out;
}

/** Lower-triangular L with L L^T = a; throws RangeError when a is not positive definite. */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('cholesky: matrix is not square');
  const L = zeros(n, n);
  const l = L.data;
  for (let j = 0; j < n; j++) {
    let s = a.data[j * n + j] as number;
    for (let k = 0; k < j; k++) s -= (l[j * n + k] as number) ** 2;
    if (!(s > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${j} = ${s})`);
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a.data[i * n + j] as number;
      for (let k = 0; k < j; k++) t -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = t / d;
    }
  }
  return L;
}

/** Solves L y = b for lower-triangular L (forward substitution). */
export function forwardSubstitute(L: Matrix, b: ArrayLike<number>): Float64Array {
  const n = L.rows;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L.data[i * n + k] as number) * (y[k] as number);
    y[i] = s / (L.data[i * n + i] as number);
  }
  return y;
}

/** log det(a) for a symmetric positive definite a, from its Cholesky factor. */
export function logDeterminantSpd(a: Matrix): number {
  const L = cholesky(a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += Math.log(L.data[i * a.rows + i] as number);
  return 2 * s;
}

/** Solves a x = b for a general square a (LU with partial pivoting); throws RangeError when a is singular. */
export function solve(a: Matrix, b: ArrayLike<number>): Float64Array {
  const n = a.rows;
  if (a.cols !== n || b.length !== n) throw new RangeError('solve: shapes do not match');
  const lu = a.data.slice();
  const x = Float64Array.from(b as ArrayLike<number>);
  const scale = lu.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c] as number) > Math.abs(lu[p * n + c] as number)) p = r;
    if (Math.abs(lu[p * n + c] as number) <= 1e-14 * scale) throw new RangeError('solve: matrix is singular');
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = lu[c * n + k] as number;
        lu[c * n + k] = lu[p * n + k] as number;
        lu[p * n + k] = t;
      }
      const t = x[c] as number;
      x[c] = x[p] as number;
      x[p] = t;
    }
    const piv = lu[c * n + c] as number;
    for (let r = c + 1; r < n; r++) {
      const f = (lu[r * n + c] as number) / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) lu[r * n + k] = (lu[r * n + k] as number) - f * (lu[c * n + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let k = r + 1; k < n; k++) s -= (lu[r * n + k] as number) * (x[k] as number);
    x[r] = s / (lu[r * n + r] as number);
  }
  return x;
}

/** The inverse of a square matrix (column by column through `solve`). */
export function inverse(a: Matrix): Matrix {
  const n = a.rows;
  const out = zeros(n, n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = solve(a, e);
    for (let i = 0; i < n; i++) out.data[i * n + j] = col[i] as number;
  }
  return out;
}
