import { describe, expect, it } from 'vitest';
import { eigenSymmetric } from './eigen-symmetric';
import { cholesky, inverse, logDeterminantSpd, solve, sqrtmPsd } from './matrix-functions';
import { fromRows, identity, matMul, matVec, transpose, zeros } from './matrix';
import { createRng } from './random';
import { maxAbsDiff, randomSpd } from './test-fixtures';

describe('eigenSymmetric', () => {
  it('diagonalises a random symmetric matrix: A V = V diag(l), V orthonormal, values descending', () => {
    const rng = createRng(7);
    const n = 40;
    const a = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = rng.normal();
    const { values, vectors } = eigenSymmetric(a);
    const av = matMul(a, vectors);
    const vl = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vl.data[i * n + j] = (vectors.data[i * n + j] as number) * (values[j] as number);
    expect(maxAbsDiff(av, vl)).toBeLessThan(1e-10);
    expect(maxAbsDiff(matMul(transpose(vectors), vectors), identity(n))).toBeLessThan(1e-12);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1] as number);
  });

  it('finds the known eigenvalues of [[2,1],[1,2]] (3 and 1) and of a diagonal matrix', () => {
    expect(Array.from(eigenSymmetric(fromRows([[2, 1], [1, 2]])).values)).toEqual([expect.closeTo(3, 12), expect.closeTo(1, 12)]);
    expect(Array.from(eigenSymmetric(fromRows([[1, 0, 0], [0, 5, 0], [0, 0, -2]])).values)).toEqual([5, 1, -2]);
  });

  it('handles repeated eigenvalues and a 100 x 100 matrix well under a second', () => {
    const { values } = eigenSymmetric(identity(5));
    expect(Array.from(values)).toEqual([1, 1, 1, 1, 1]);
    const a = randomSpd(100, createRng(3));
    const started = performance.now();
    const { values: big } = eigenSymmetric(a);
    expect(performance.now() - started).toBeLessThan(1000);
    let tr = 0;
    for (let i = 0; i < 100; i++) tr += a.data[i * 100 + i] as number;
    expect(big.reduce((s, v) => s + v, 0)).toBeCloseTo(tr, 8);
  });

  it('rejects non-square and non-finite input', () => {
    expect(() => eigenSymmetric(zeros(2, 3))).toThrow(RangeError);
    expect(() => eigenSymmetric(fromRows([[NaN, 0], [0, 1]]))).toThrow(/non-finite/);
  });
});

describe('matrix functions', () => {
  it('sqrtmPsd squares back to the matrix and clamps tiny negative eigenvalues', () => {
    const a = randomSpd(12, createRng(1));
    const r = sqrtmPsd(a);
    expect(maxAbsDiff(matMul(r, r), a)).toBeLessThan(1e-10);
    // A rank-1 PSD matrix with rounding noise: a plain sqrt of its eigenvalues would give NaN.
    const v = [1, 2, 3];
    const rank1 = fromRows(v.map((x) => v.map((y) => x * y - (x === y ? 1e-15 : 0))));
    const r1 = sqrtmPsd(rank1);
    expect(r1.data.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(matMul(r1, r1), rank1)).toBeLessThan(1e-7);
  });

  it('cholesky, solve and inverse agree with each other and reject singular matrices', () => {
    const a = randomSpd(8, createRng(2));
    const L = cholesky(a);
    expect(maxAbsDiff(matMul(L, transpose(L)), a)).toBeLessThan(1e-12);
    const b = [1, -2, 3, 0.5, 0, 7, -1, 2];
    const x = solve(a, b);
    Array.from(matVec(a, x)).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 10));
    expect(maxAbsDiff(matMul(a, inverse(a)), identity(8))).toBeLessThan(1e-10);
    expect(logDeterminantSpd(fromRows([[2, 0], [0, 3]]))).toBeCloseTo(Math.log(6), 12);
    expect(() => solve(fromRows([[1, 2], [2, 4]]), [1, 1])).toThrow(/singular/);
    expect(() => cholesky(fromRows([[1, 2], [2, 1]]))).toThrow(/positive definite/);
  });
});
