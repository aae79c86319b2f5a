// One anomaly score from several (reconstruction loss, latent distance, ...): each is turned into a
// z-score against qualified images so that scores of different units can be added.

/** Mean and standard deviation of each named score over qualified images. */
export type ScoreStatistics = Record<string, { mean: number; std: number }>;

/** Fits per-score mean and standard deviation from qualified images' scores. */
export function fitScoreStatistics(qualified: Record<string, ArrayLike<number>>): ScoreStatistics {
  const out: ScoreStatistics = {};
  for (const [name, values] of Object.entries(qualified)) {
    if (values.length < 2) throw new RangeError(`fitScoreStatistics: score '${name}' needs at least two qualified values`);
    let mean = 0;
    for (let i = 0; i < values.length; i++) mean += values[i] as number;
    mean /= values.length;
    let ss = 0;
    for (let i = 0; i < values.length; i++) ss += ((values[i] as number) - mean) ** 2;
    const std = Math.sqrt(ss / (values.length - 1));
    if (!Number.isFinite(mean) || !Number.isFinite(std)) throw new RangeError(`fitScoreStatistics: score '${name}' has non-finite values`);
    out[name] = { mean, std };
  }
  return out;
}

/** z-score of one value; a constant qualified score (std 0) gives 0 at its value and large finite z-scores elsewhere. */
export function standardiseScore(value: number, stats: { mean: number; std: number }): number {
  const std = stats.std > 0 ? stats.std : Math.max(Math.abs(stats.mean), 1) * 1e-12;
  return (value - stats.mean) / std;
}

/**
 * Weighted mean of the z-scores of the named scores (weights default to 1). Every score that
 * has statistics must be present: a missing one would silently change the scale.
 */
export function combineScores(scores: Record<string, number>, stats: ScoreStatistics, weights: Record<string, number> = {}): number {
  let total = 0;
  let weightSum = 0;
  for (const [name, s] of Object.entries(stats)) {
    const value = scores[name];
    if (value === undefined || !Number.isFinite(value)) throw new RangeError(`combineScores: score '${name}' is missing or not finite`);
    const w = weights[name] ?? 1;
    total += w * standardiseScore(value, s);
    weightSum += w;
  }
  if (weightSum <= 0) throw new RangeError('combineScores: weights must add up to a positive number');
  return total / weightSum;
}
