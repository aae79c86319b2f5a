import { describe, expect, it } from 'vitest';
import { createRng } from './random';
import { runBaselines } from './run-baselines';

/** "Images" of 200 pixels: qualified ones are smooth gradients with noise, defective ones carry a bright spot. */
function images(seed: number) {
  const rng = createRng(seed);
  const make = (defect: boolean) => {
    const slope = rng.normal();
    const spot = rng.int(180);
    return Float64Array.from({ length: 200 }, (_, j) => slope * (j / 200) + 0.05 * rng.normal() + (defect && j >= spot && j < spot + 20 ? 3 : 0));
  };
  const train = Array.from({ length: 150 }, () => make(false));
  const test = [
    ...Array.from({ length: 60 }, () => ({ vector: make(false), defective: false, defectType: null })),
    ...Array.from({ length: 40 }, () => ({ vector: make(true), defective: true, defectType: 'spot' })),
  ];
  return { train, test };
}

describe('runBaselines', () => {
  it('fits on qualified images only and reports AUROC, thresholded metrics and per-type detection', () => {
    const { train, test } = images(1);
    const results = runBaselines(train, test, { pcaComponents: 10, gmmComponents: 2, gmmRestarts: 1, seed: 3 });
    expect(results.map((r) => r.name)).toEqual(['gmm', 'ocsvm', 'lof']);
    for (const r of results) {
      expect(r.auroc, r.name).toBeGreaterThan(0.8);
      expect(r.testScores).toHaveLength(100);
      expect(r.metrics.truePositives + r.metrics.falseNegatives).toBe(40);
      expect(r.detection.spot!.count).toBe(40);
      expect(r.detection.good!.count).toBe(60);
      expect(r.detection.spot!.rate).toBeCloseTo(r.metrics.recall, 12);
    }
  });

  it('is deterministic for a seed and runs only the requested baselines', () => {
    const { train, test } = images(2);
    const a = runBaselines(train, test, { pcaComponents: 8, gmmComponents: 2, seed: 1, only: ['gmm'] });
    const b = runBaselines(train, test, { pcaComponents: 8, gmmComponents: 2, seed: 1, only: ['gmm'] });
    expect(a).toHaveLength(1);
    expect(Array.from(a[0]!.testScores)).toEqual(Array.from(b[0]!.testScores));
    expect(a[0]!.threshold).toBe(b[0]!.threshold);
  });
});
