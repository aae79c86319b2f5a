import { describe, expect, it } from 'vitest';
import { combineScores, fitScoreStatistics, standardiseScore } from './combined-score';
import { classificationMetrics, predictAnomalous } from './classification-metrics';
import { createRng } from './random';
import { calibrateThreshold, f1OptimalThreshold, fitScoreNormalisation, judgeScore, normaliseScore, quantile } from './threshold';

describe('quantile and calibrateThreshold', () => {
  it('interpolates linearly like numpy.percentile', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 1)).toBe(10);
    // numpy.percentile(range(1, 101), 95) = 95.05
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBeCloseTo(95.05, 12);
  });

  it('lets about the target share of qualified scores through as false alarms', () => {
    const rng = createRng(3);
    const calib = Array.from({ length: 2000 }, () => rng.normal());
    const fresh = Array.from({ length: 20000 }, () => rng.normal());
    for (const rate of [0.01, 0.05, 0.2]) {
      const t = calibrateThreshold(calib, rate);
      const falseAlarms = fresh.filter((s) => s > t).length / fresh.length;
      expect(Math.abs(falseAlarms - rate)).toBeLessThan(0.01 + rate * 0.25);
    }
    expect(() => calibrateThreshold([], 0.05)).toThrow(/no scores/);
    expect(() => calibrateThreshold([1, 2], 1.5)).toThrow(RangeError);
    expect(() => calibrateThreshold([1, Infinity], 0.05)).toThrow(/not finite/);
  });
});

describe('f1OptimalThreshold', () => {
  it('finds the cut that separates separable classes (F1 = 1)', () => {
    const { threshold, f1 } = f1OptimalThreshold([0.1, 0.2, 0.3, 0.7, 0.8], [0, 0, 0, 1, 1]);
    expect(f1).toBe(1);
    expect(threshold).toBeGreaterThan(0.3);
    expect(threshold).toBeLessThan(0.7);
  });

  it('reaches the best F1 of any threshold on overlapping data', () => {
    const rng = createRng(8);
    const labels = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const scores = labels.map((y) => rng.normal() + 1.2 * y);
    const { threshold, f1 } = f1OptimalThreshold(scores, labels);
    expect(classificationMetrics(labels, predictAnomalous(scores, threshold)).f1).toBeCloseTo(f1, 12);
    for (const t of scores) expect(classificationMetrics(labels, predictAnomalous(scores, t)).f1).toBeLessThanOrEqual(f1 + 1e-12);
    expect(() => f1OptimalThreshold([1, 2], [0, 0])).toThrow(/defective/);
  });

  it('gives the hand-computed answer on overlapping classes', () => {
    // Flagging the top 1..6: F1 0.5, 0.8, 0.667, 0.857, 0.75, 0.667; the best keeps 0.3 and
    // above (one false alarm at 0.4), so the cut lies halfway between 0.2 and 0.3.
    const { threshold, f1 } = f1OptimalThreshold([0.6, 0.1, 0.5, 0.4, 0.3, 0.2], [1, 0, 1, 0, 1, 0]);
    expect(f1).toBeCloseTo(6 / 7, 12);
    expect(threshold).toBeCloseTo(0.25, 12);
  });

  it('never splits tied scores, and of equally good cuts keeps the one with fewer false alarms', () => {
    // A defective and a qualified image tie at 2: a cut between them does not exist.
    const tied = f1OptimalThreshold([1, 2, 2, 3], [0, 0, 1, 1]);
    expect(tied).toEqual({ threshold: 1.5, f1: 0.8 });
    // Flagging only 10 and flagging 10, 9, 8, 7 both reach F1 2/3; the first flags no qualified image.
    const equal = f1OptimalThreshold([7, 1, 9, 10, 8], [1, 0, 0, 1, 0]);
    expect(equal.f1).toBeCloseTo(2 / 3, 12);
    expect(equal.threshold).toBe(9.5);
    expect(classificationMetrics([1, 0, 0, 1, 0], predictAnomalous([7, 1, 9, 10, 8], equal.threshold)).falsePositives).toBe(0);
  });

  it('puts the cut between distinct scores, or below the lowest when flagging all is best', () => {
    const { threshold, f1 } = f1OptimalThreshold([5, 4], [1, 0]);
    expect(f1).toBe(1);
    expect(threshold).toBe(4.5);
    const low = f1OptimalThreshold([3, 2, 1], [1, 1, 0]);
    expect(low.threshold).toBe(1.5);
    const all = f1OptimalThreshold([0.5, 0.5, 0.5], [1, 0, 1]);
    expect(all.f1).toBeCloseTo(0.8, 12);
    expect(all.threshold).toBeLessThan(0.5);
  });

  it('refuses one-class, mismatched or non-finite input', () => {
    expect(() => f1OptimalThreshold([1, 2, 3], [0, 0, 0])).toThrow(/defective/);
    expect(() => f1OptimalThreshold([1, 2, 3], [1, 1, 1])).toThrow(/qualified/);
    expect(() => f1OptimalThreshold([1, 2], [1])).toThrow(/labels/);
    expect(() => f1OptimalThreshold([1, NaN, 2], [1, 0, 0])).toThrow(/finite/);
    expect(() => f1OptimalThreshold([1, Infinity, 2], [1, 0, 0])).toThrow(/finite/);
  });
});

describe('normaliseScore', () => {
  it('maps the threshold to 0.5, keeps order, and clips to [0, 1]', () => {
    const n = fitScoreNormalisation([0, 2, 4, 10], 3);
    expect(normaliseScore(3, n)).toBe(0.5);
    expect(normaliseScore(0, n)).toBeCloseTo(0.2, 12);
    expect(normaliseScore(10, n)).toBeCloseTo(1, 12);
    expect(normaliseScore(-100, n)).toBe(0);
    expect(normaliseScore(100, n)).toBe(1);
    expect(normaliseScore(2, n)).toBeLessThan(normaliseScore(4, n));
    expect(normaliseScore(3.0001, n) > 0.5).toBe(true);
  });

  it('judgeScore agrees with the threshold and the normalised score on both sides', () => {
    const rng = createRng(4);
    const n = fitScoreNormalisation(Array.from({ length: 50 }, () => rng.normal()), 0.3);
    for (const s of [-2, 0.29, 0.3, 0.31, 5]) {
      const v = judgeScore(s, n);
      expect(v.anomalous).toBe(s > 0.3);
      expect(v.normalisedScore > 0.5).toBe(v.anomalous);
    }
    expect(() => judgeScore(NaN, n)).toThrow(RangeError);
  });
});

describe('combined anomaly score', () => {
  it('standardises each score against qualified statistics before weighting', () => {
    const stats = fitScoreStatistics({ residual: [1, 2, 3], latent: [100, 200, 300] });
    expect(stats.residual).toEqual({ mean: 2, std: 1 });
    expect(stats.latent).toEqual({ mean: 200, std: 100 });
    expect(standardiseScore(4, stats.residual!)).toBe(2);
    // Units no longer matter: 2 sd up on one score and 0 on the other averages to 1.
    expect(combineScores({ residual: 4, latent: 200 }, stats)).toBe(1);
    expect(combineScores({ residual: 4, latent: 200 }, stats, { residual: 3, latent: 1 })).toBe(1.5);
    expect(() => combineScores({ residual: 4 }, stats)).toThrow(/latent/);
    expect(() => fitScoreStatistics({ residual: [1] })).toThrow(/two/);
  });
});
