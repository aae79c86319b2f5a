import { describe, expect, it } from 'vitest';
import { areaUnder, confusionAt, rocCurve, scoreHistogram } from './threshold-math';

const scores = [
  { defective: false, score: 0.1 },
  { defective: false, score: 0.4 },
  { defective: false, score: 0.9 },
  { defective: true, score: 0.8 },
  { defective: true, score: 1.5 },
];

describe('threshold what-if arithmetic', () => {
  it('counts false alarms and misses at a threshold (above it is FAIL)', () => {
    expect(confusionAt(scores, 0.85)).toEqual({ truePositive: 1, falsePositive: 1, trueNegative: 2, falseNegative: 1, falseAlarmRate: 1 / 3, missRate: 0.5 });
    // Lower, the defect at 0.8 is caught; the qualified 0.4 still passes.
    expect(confusionAt(scores, 0.5)).toMatchObject({ truePositive: 2, falsePositive: 1, falseNegative: 0, missRate: 0 });
    expect(confusionAt(scores, 0.8).truePositive).toBe(1); // equal to the threshold passes
  });

  it('draws the ROC curve from (0,0) to (1,1) with the AUROC of the ranking', () => {
    const roc = rocCurve(scores);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc[roc.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
    // Pairs (defective above qualified): 1.5 beats 3, 0.8 beats 2 of 3 -> 5 of 6.
    expect(areaUnder(roc)).toBeCloseTo(5 / 6, 10);
    expect(rocCurve(scores.filter((s) => !s.defective))).toEqual([]);
  });

  it('puts every score in one bin of a histogram that also spans the threshold', () => {
    const h = scoreHistogram(scores, 2, 10);
    expect(h.reduce((n, b) => n + b.qualified, 0)).toBe(3);
    expect(h.reduce((n, b) => n + b.defective, 0)).toBe(2);
    expect(h[h.length - 1]!.upper).toBeCloseTo(2, 10);
  });
});
