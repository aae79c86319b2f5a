import { describe, expect, it } from 'vitest';
import { judgeWithModelRow } from './row-threshold';
import type { ImageScore } from './score-image';

// What the artifact's calibration said: threshold 2 over scores 0..4, so 1.5 passes.
const score = { anomalyScore: 1.5, normalizedScore: 0.375, threshold: 2, anomalous: false } as ImageScore;

describe('verdicts use the model row threshold (an engineer may have moved it)', () => {
  it('judges again with the row threshold when it differs from the artifact', () => {
    expect(judgeWithModelRow(score, { threshold: 1, min: 0, max: 4 })).toEqual({ anomalous: true, normalizedScore: 0.625, threshold: 1 });
  });

  it('keeps the artifact verdict when the row has no normalisation (models from before it was stored)', () => {
    expect(judgeWithModelRow(score, null)).toEqual({ anomalous: false, normalizedScore: 0.375, threshold: 2 });
    expect(judgeWithModelRow(score, { threshold: 'x' })).toMatchObject({ threshold: 2 });
  });
});
