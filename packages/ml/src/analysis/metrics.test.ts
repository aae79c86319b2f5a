import { describe, expect, it } from 'vitest';
import { classificationMetrics, detectionRateByType, predictAnomalous } from './classification-metrics';
import { auroc, pixelAuroc, rocCurve } from './roc';
import { createRng } from './random';

/** O(n^2) reference: P(pos > neg) + 0.5 P(tie). */
function bruteAuroc(scores: number[], labels: number[]): number {
  let s = 0;
  let pairs = 0;
  scores.forEach((a, i) => {
    if (!labels[i]) return;
    scores.forEach((b, j) => {
      if (labels[j]) return;
      pairs++;
      s += a > b ? 1 : a === b ? 0.5 : 0;
    });
  });
  return s / pairs;
}

describe('auroc', () => {
  it('is 1 for perfect separation, 0 for inverted, 0.5 when every score ties', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts ties as half exactly (Mann-Whitney) and agrees with a brute-force count on random data', () => {
    expect(auroc([1, 2, 2, 3], [0, 0, 1, 1])).toBe((1 + 0.5 + 1 + 1) / 4);
    const rng = createRng(5);
    const scores = Array.from({ length: 300 }, () => Math.round(rng.next() * 20) / 20);
    const labels = scores.map((s) => (rng.next() < 0.3 + 0.4 * s ? 1 : 0));
    expect(auroc(scores, labels)).toBeCloseTo(bruteAuroc(scores, labels), 12);
  });

  it('accepts booleans and rejects a single class or NaN', () => {
    expect(auroc([0, 1], [false, true])).toBe(1);
    expect(() => auroc([1, 2], [0, 0])).toThrow(/positive and one negative/);
    expect(() => auroc([NaN, 2], [0, 1])).toThrow(/NaN/);
  });

  it('pixelAuroc handles two million pixels quickly', () => {
    const n = 2_000_000;
    const rng = createRng(1);
    const maps = new Float32Array(n);
    const masks = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      masks[i] = rng.next() < 0.05 ? 1 : 0;
      maps[i] = rng.normal() + (masks[i] ? 1 : 0);
    }
    const started = performance.now();
    const a = pixelAuroc(maps, masks);
    expect(performance.now() - started).toBeLessThan(5000);
    // Two unit-variance normals one sd apart: AUROC = Phi(1 / sqrt 2) = 0.7602.
    expect(a).toBeCloseTo(0.7602, 2);
  });
});

describe('rocCurve', () => {
  it('runs from (0,0) to (1,1), moves tied scores together, and its trapezoid area is the AUROC', () => {
    const scores = [0.1, 0.4, 0.4, 0.35, 0.8, 0.9];
    const labels = [0, 0, 1, 1, 0, 1];
    const pts = rocCurve(scores, labels);
    expect(pts[0]).toMatchObject({ falsePositiveRate: 0, truePositiveRate: 0 });
    expect(pts.at(-1)).toMatchObject({ falsePositiveRate: 1, truePositiveRate: 1 });
    expect(pts).toHaveLength(1 + 5);
    let area = 0;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      area += (b.falsePositiveRate - a.falsePositiveRate) * (a.truePositiveRate + b.truePositiveRate) / 2;
    }
    expect(area).toBeCloseTo(auroc(scores, labels), 12);
  });
});

describe('classificationMetrics', () => {
  it('computes the confusion matrix and rates of a known example', () => {
    const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const preds = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];
    const m = classificationMetrics(labels, preds);
    expect(m).toMatchObject({ truePositives: 3, falseNegatives: 1, falsePositives: 1, trueNegatives: 5 });
    expect(m.accuracy).toBeCloseTo(0.8, 12);
    expect(m.precision).toBeCloseTo(0.75, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
    expect(m.specificity).toBeCloseTo(5 / 6, 12);
    expect(m.balancedAccuracy).toBeCloseTo((0.75 + 5 / 6) / 2, 12);
    expect(m.f1).toBeCloseTo(0.75, 12);
  });

  it('does not divide by zero when nothing is predicted defective', () => {
    const m = classificationMetrics([1, 0, 0], [0, 0, 0]);
    expect(m.precision).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('predicts defective strictly above the threshold and reports detection per defect type', () => {
    expect(predictAnomalous([0.5, 0.6, 0.4], 0.5)).toEqual([false, true, false]);
    const rates = detectionRateByType([
      { defectType: 'crack', flagged: true },
      { defectType: 'crack', flagged: false },
      { defectType: null, flagged: true },
      { defectType: null, flagged: false },
      { defectType: null, flagged: false },
      { defectType: 'break', flagged: true },
    ]);
    expect(rates).toEqual({
      crack: { count: 2, flagged: 1, rate: 0.5 },
      good: { count: 3, flagged: 1, rate: 1 / 3 },
      break: { count: 1, flagged: 1, rate: 1 },
    });
  });
});
