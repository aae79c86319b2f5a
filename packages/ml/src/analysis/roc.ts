// Ranking metrics. Labels: 1 (or true) = defective/positive, 0 = qualified/negative.

/** Anything holding 0/1 (or boolean) labels. */
export type Labels = ArrayLike<number | boolean>;

function split(scores: ArrayLike<number>, labels: Labels): { pos: Float64Array; neg: Float64Array } {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  let nPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(labels.length - nPos);
  let p = 0;
  let q = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (Number.isNaN(s)) throw new RangeError(`score ${i} is NaN`);
    if (labels[i]) pos[p++] = s;
    else neg[q++] = s;
  }
  return { pos, neg };
}

/**
 * Area under the ROC curve = P(score of a positive > score of a negative) + 0.5 P(tie), exactly
 * (Mann-Whitney U). Sorts each class once and merges, so millions of pixels are fine.
 * Throws when either class is empty (AUROC is undefined then).
 */
export function auroc(scores: ArrayLike<number>, labels: Labels): number {
  const { pos, neg } = split(scores, labels);
  if (pos.length === 0 || neg.length === 0) throw new RangeError('auroc needs at least one positive and one negative');
  pos.sort();
  neg.sort();
  // For each positive, count negatives strictly below it and those equal to it.
  let below = 0;
  let upTo = 0;
  let sum = 0;
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i] as number;
    while (below < neg.length && (neg[below] as number) < v) below++;
    if (upTo < below) upTo = below;
    while (upTo < neg.length && (neg[upTo] as number) === v) upTo++;
    sum += below + 0.5 * (upTo - below);
  }
  return sum / (pos.length * neg.length);
}

/** Pixel-level AUROC of anomaly maps against masks (flat arrays of equal length, any number of images). */
export function pixelAuroc(maps: ArrayLike<number>, masks: Labels): number {
  return auroc(maps, masks);
}

/** A point of the ROC curve: predicting "defective" for score > threshold. */
export interface RocPoint {
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** ROC curve from (0, 0) to (1, 1), one point per distinct score (ties move together). */
export function rocCurve(scores: ArrayLike<number>, labels: Labels): RocPoint[] {
  const { pos, neg } = split(scores, labels);
  if (pos.length === 0 || neg.length === 0) throw new RangeError('rocCurve needs at least one positive and one negative');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const points: RocPoint[] = [{ threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; ) {
    const v = scores[order[k] as number] as number;
    while (k < order.length && scores[order[k] as number] === v) {
      if (labels[order[k] as number]) tp++;
      else fp++;
      k++;
    }
    // Everything >= v is now predicted positive, i.e. threshold just below v.
    points.push({ threshold: v, falsePositiveRate: fp / neg.length, truePositiveRate: tp / pos.length });
  }
  return points;
}
