// The verdict threshold is the model row's (Model.scoreNormalisation): training writes it at
// calibration, and an engineer may move it later (the API's setModelThreshold, ADR 0028). The
// stored artifact keeps the training-time calibration; a worker that cached it must still judge
// with the row's threshold, so the verdict is taken again here from the raw score.
import { judgeScore, type ScoreNormalisation } from '@gansight/ml';
import type { ImageScore } from './score-image';

function storedNormalisation(value: unknown): ScoreNormalisation | null {
  const n = value as Partial<ScoreNormalisation> | null;
  return n && [n.threshold, n.min, n.max].every((v) => typeof v === 'number' && Number.isFinite(v)) ? (n as ScoreNormalisation) : null;
}

/** The verdict, normalised score and threshold of `score` under the model row's normalisation (the artifact's when the row has none). */
export function judgeWithModelRow(score: ImageScore, rowNormalisation: unknown): { anomalous: boolean; normalizedScore: number; threshold: number } {
  const n = storedNormalisation(rowNormalisation);
  if (!n) return { anomalous: score.anomalous, normalizedScore: score.normalizedScore, threshold: score.threshold };
  const verdict = judgeScore(score.anomalyScore, n);
  return { anomalous: verdict.anomalous, normalizedScore: verdict.normalisedScore, threshold: n.threshold };
}
