import type { Labels } from './roc';

function finiteSorted(scores: ArrayLike<number>, what: string): Float64Array {
  if (scores.length === 0) throw new RangeError(`${what}: no scores given`);
  const out = Float64Array.from(scores as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i] as number)) throw new RangeError(`${what}: score ${i} is not finite`);
  return out.sort();
}

/** The q-quantile (0..1) with linear interpolation between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const s = finiteSorted(values, 'quantile');
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/**
 * Threshold from held-out qualified scores such that about `falseAlarmRate` of qualified images
 * score above it (verdict: defective when score > threshold). 0.05 = the 95th percentile.
 */
export function calibrateThreshold(qualifiedScores: ArrayLike<number>, falseAlarmRate = 0.05): number {
  if (!(falseAlarmRate >= 0 && falseAlarmRate < 1)) throw new RangeError(`falseAlarmRate must be in [0, 1), got ${falseAlarmRate}`);
  return quantile(qualifiedScores, 1 - falseAlarmRate);
}

/**
 * The F1-optimal threshold on labelled scores and the F1 it reaches (verdict: defective when
 * score > threshold). Tied scores are never split: the cut falls halfway between two distinct
 * scores. Among cuts of equal F1 the highest wins (fewest flagged, so the lower false-alarm rate).
 * Needs both classes: with no qualified example "flag everything" is trivially optimal.
 */
export function f1OptimalThreshold(scores: ArrayLike<number>, labels: Labels): { threshold: number; f1: number } {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  if (positives === 0) throw new RangeError('f1OptimalThreshold needs at least one defective (positive) example');
  if (positives === labels.length) throw new RangeError('f1OptimalThreshold needs at least one qualified (negative) example');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let tp = 0;
  let fp = 0;
  let best = { threshold: Infinity, f1: 0 };
  for (let k = 0; k < order.length; ) {
    const v = scores[order[k] as number] as number;
    if (!Number.isFinite(v)) throw new RangeError('f1OptimalThreshold: scores must be finite');
    while (k < order.length && scores[order[k] as number] === v) {
      if (labels[order[k] as number]) tp++;
      else fp++;
      k++;
    }
    const f1 = (2 * tp) / (2 * tp + fp + (positives - tp));
    if (f1 > best.f1) {
      // Cut halfway to the next lower score so that "score > threshold" keeps exactly this set.
      const next = k < order.length ? (scores[order[k] as number] as number) : v - Math.max(1, Math.abs(v)) * 1e-6;
      best = { threshold: (v + next) / 2, f1 };
    }
  }
  return best;
}

/** What maps raw scores to [0, 1] with the threshold at 0.5. */
export interface ScoreNormalisation {
  threshold: number;
  min: number;
  max: number;
}

/** Normalisation statistics from a reference set of scores (e.g. the validation set) and a threshold. */
export function fitScoreNormalisation(scores: ArrayLike<number>, threshold: number): ScoreNormalisation {
  const s = finiteSorted(scores, 'fitScoreNormalisation');
  return { threshold, min: Math.min(s[0] as number, threshold), max: Math.max(s[s.length - 1] as number, threshold) };
}

/**
 * Normalised score in [0, 1] as anomalib computes it: (score - threshold) / (max - min) + 0.5,
 * clipped. The threshold maps to exactly 0.5, so "> 0.5" is the same verdict as "> threshold".
 */
export function normaliseScore(score: number, n: ScoreNormalisation): number {
  const span = n.max - n.min;
  const v = span > 0 ? (score - n.threshold) / span + 0.5 : score > n.threshold ? 1 : score < n.threshold ? 0 : 0.5;
  return Math.min(1, Math.max(0, v));
}

/** An image's verdict: defective when the raw score is above the threshold; normalised score for display. */
export interface Verdict {
  anomalous: boolean;
  score: number;
  normalisedScore: number;
}

/** Judges one raw score against a calibrated normalisation (threshold, min, max). */
export function judgeScore(score: number, n: ScoreNormalisation): Verdict {
  if (!Number.isFinite(score)) throw new RangeError(`judgeScore: score must be finite, got ${score}`);
  return { anomalous: score > n.threshold, score, normalisedScore: normaliseScore(score, n) };
}
