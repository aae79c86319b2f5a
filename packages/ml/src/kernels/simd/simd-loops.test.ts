// The WebAssembly SIMD loops against the plain JS loops they replace (the reference), on random
// data: every loop, channel counts 1, 3, 4, 8, 32 and 256 (lengths not a multiple of 4 where c
// allows), a mean 1000 times the spread, and inputs staged before the module's memory grows.
// Relative error < 1e-5 (RMS of the difference over RMS of the reference).
import { describe, expect, it } from 'vitest';
import { jsActivationLoops } from '../batch-norm-activation';
import { jsAdamLoop } from '../adam-update';
import { simdActivationLoops, simdAdamLoop } from './simd-loops';
import { simdUnavailableReason } from './simd-module';
import { randomArray, relativeError } from '../kernel-test-arrays';

const TOL = 1e-5;
const channels = [1, 3, 4, 8, 32, 256];
// 37 rows: for c = 1 and 3 the length is not a multiple of 4, and rows are odd (the sums'
// two-rows-at-a-time loop ends on a single row).
const ROWS = 37;
const alphas = [0, 0.2, 1];

describe('WebAssembly SIMD loops', () => {
  it('are available on this runtime (Node 20 has WebAssembly SIMD)', () => {
    expect(simdUnavailableReason).toBeNull();
    expect(simdActivationLoops).not.toBeNull();
    expect(simdAdamLoop).not.toBeNull();
  });

  const simd = simdActivationLoops!;
  const js = jsActivationLoops;

  for (const c of channels) {
    const n = ROWS * c;

    it(`channelSums, c = ${c}: same sums and sums of squares`, () => {
      const x = randomArray(n, c, 4, 1.5);
      const [s1, q1, s2, q2] = [new Float64Array(c), new Float64Array(c), new Float64Array(c), new Float64Array(c)];
      js.channelSums(x, c, s1, q1);
      simd.channelSums(x, c, s2, q2);
      expect(relativeError(s2, s1)).toBeLessThan(TOL);
      expect(relativeError(q2, q1)).toBeLessThan(TOL);
      // The sums are of every element, each counted once (catches a skipped row or tail).
      expect(s2.reduce((a, b) => a + b, 0)).toBeCloseTo(x.reduce((a, b) => a + b, 0), 2);
    });

    it.each(alphas)(`gradSums, c = ${c}, alpha %s: same sums, with and without x`, (alpha) => {
      const [dy, y, x] = [randomArray(n, 1 + c), randomArray(n, 2 + c), randomArray(n, 3 + c, 2, 0.5)];
      const ref = [new Float64Array(c), new Float64Array(c)] as const;
      const got = [new Float64Array(c), new Float64Array(c)] as const;
      js.gradSums(dy, y, x, alpha, c, ref[0], ref[1]);
      simd.gradSums(dy, y, x, alpha, c, got[0], got[1]);
      expect(relativeError(got[0], ref[0])).toBeLessThan(TOL);
      expect(relativeError(got[1], ref[1])).toBeLessThan(TOL);
      const sdOnly = new Float64Array(c);
      const untouched = new Float64Array(c).fill(7);
      simd.gradSums(dy, y, null, alpha, c, sdOnly, untouched);
      expect(relativeError(sdOnly, ref[0])).toBeLessThan(TOL);
      expect(Array.from(untouched)).toEqual(new Array(c).fill(7));
    });

    it.each(alphas)(`affineAct and biasActForward, c = ${c}, alpha %s: same outputs`, (alpha) => {
      const x = randomArray(n, 5 + c, 3);
      const [scale, shift] = [randomArray(c, 6, 2, 0.5), randomArray(c, 7)];
      const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
      js.affineAct(x, scale, shift, alpha, y1);
      simd.affineAct(x, scale, shift, alpha, y2);
      expect(relativeError(y2, y1)).toBeLessThan(TOL);
      const [b1, b2] = [new Float32Array(n), new Float32Array(n)];
      js.biasActForward(x, shift, alpha, b1);
      simd.biasActForward(x, shift, alpha, b2);
      expect(relativeError(b2, b1)).toBeLessThan(TOL);
      // The activation took effect (ReLU: no negative outputs, and some cut to zero).
      if (alpha === 0) expect([y2.every((v) => v >= 0), y2.some((v) => v === 0)]).toEqual([true, true]);
    });

    it.each(alphas)(`bnGradDx and biasActBackward, c = ${c}, alpha %s: same gradients`, (alpha) => {
      const [dy, y, x] = [randomArray(n, 8 + c), randomArray(n, 9 + c), randomArray(n, 10 + c, 2)];
      const [ca, cb, cc] = [randomArray(c, 11), randomArray(c, 12), randomArray(c, 13)];
      const [d1, d2] = [new Float32Array(n), new Float32Array(n)];
      js.bnGradDx(dy, y, x, ca, cb, cc, alpha, d1);
      simd.bnGradDx(dy, y, x, ca, cb, cc, alpha, d2);
      expect(relativeError(d2, d1)).toBeLessThan(TOL);
      const [g1, g2, db1, db2] = [new Float32Array(n), new Float32Array(n), new Float32Array(c), new Float32Array(c)];
      js.biasActBackward(dy, y, alpha, g1, db1);
      simd.biasActBackward(dy, y, alpha, g2, db2);
      expect(relativeError(g2, g1)).toBeLessThan(TOL);
      expect(relativeError(db2, db1)).toBeLessThan(TOL);
    });
  }

  it('a mean 1000 times the spread: statistics and normalised outputs as accurate as the JS doubles', () => {
    const c = 8;
    const n = 1024 * c;
    const x = randomArray(n, 21, 1, 1000);
    const [s1, q1, s2, q2] = [new Float64Array(c), new Float64Array(c), new Float64Array(c), new Float64Array(c)];
    js.channelSums(x, c, s1, q1);
    simd.channelSums(x, c, s2, q2);
    const m = n / c;
    const variance = (s: Float64Array, q: Float64Array) => Array.from(s, (sk, k) => q[k]! / m - (sk / m) ** 2);
    // The exact variance, two-pass in doubles: both one-pass versions agree with it.
    const exact = Array.from(s1, (sk, k) => {
      let t = 0;
      for (let i = k; i < n; i += c) t += (x[i]! - sk / m) ** 2;
      return t / m;
    });
    expect(relativeError(variance(s1, q1), exact)).toBeLessThan(TOL);
    expect(relativeError(variance(s2, q2), exact)).toBeLessThan(TOL);
    // Normalising: x * scale + shift nearly cancels; outputs are O(1) from inputs near 1000.
    const scale = Float32Array.from(exact, (v) => 1 / Math.sqrt(v));
    const shift = Float32Array.from(s1, (sk, k) => -(sk / m) * scale[k]!);
    const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
    js.affineAct(x, scale, shift, 0.2, y1);
    simd.affineAct(x, scale, shift, 0.2, y2);
    expect(relativeError(y2, y1)).toBeLessThan(TOL);
    // And the backward's second pass, where cb nearly cancels cc * x the same way.
    const dy = randomArray(n, 22);
    const ca = Float32Array.from(scale);
    const cc = Float32Array.from(scale, (s) => s * 0.5);
    const cb = Float32Array.from(s1, (sk, k) => (sk / m) * cc[k]!);
    const [d1, d2] = [new Float32Array(n), new Float32Array(n)];
    js.bnGradDx(dy, y1, x, ca, cb, cc, 0.2, d1);
    simd.bnGradDx(dy, y1, x, ca, cb, cc, 0.2, d2);
    expect(relativeError(d2, d1)).toBeLessThan(TOL);
  });

  it('staged inputs stay valid when a later loop grows the module memory', () => {
    // Larger than anything before in this file, so the output's scratch must grow the memory.
    const c = 32;
    const n = 1 << 21;
    const x = randomArray(n, 31, 2, 0.3);
    const [scale, shift] = [randomArray(c, 32, 1, 1), randomArray(c, 33)];
    const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
    js.affineAct(x, scale, shift, 0.2, y1);
    const staged = simd.stage(x);
    try {
      const s = new Float64Array(c);
      simd.channelSums(staged, c, s, new Float64Array(c));
      simd.affineAct(staged, scale, shift, 0.2, y2);
      // The growth detached the staged view: the case this test is about.
      expect(staged.length).toBe(0);
      const s1 = new Float64Array(c);
      js.channelSums(x, c, s1, new Float64Array(c));
      expect(relativeError(s, s1)).toBeLessThan(TOL);
    } finally {
      simd.release();
    }
    expect(relativeError(y2, y1)).toBeLessThan(TOL);
  });

  it('Adam: same parameters and moments, length not a multiple of 4', () => {
    const n = 1001;
    const [p, g, m] = [randomArray(n, 41), randomArray(n, 42), randomArray(n, 43, 0.1)];
    const v = randomArray(n, 44, 0.01, 0.01);
    const a = { stepSize: 3e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
    const ref = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    const got = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    jsAdamLoop(p, g, m, v, a, ...ref);
    simdAdamLoop!(p, g, m, v, a, ...got);
    for (let i = 0; i < 3; i++) expect(relativeError(got[i]!, ref[i]!), `output ${i}`).toBeLessThan(TOL);
    // The step itself (p' - p) agrees too, not only p' (which is mostly p).
    const step = (out: Float32Array) => out.map((q, i) => q - p[i]!);
    expect(relativeError(step(got[0]), step(ref[0]))).toBeLessThan(1e-3);
    expect(Math.max(...step(got[0]).map(Math.abs))).toBeGreaterThan(1e-4);
  });
});
