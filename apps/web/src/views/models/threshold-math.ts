// What a threshold does to an evaluation's labelled scores: the confusion matrix, the rates a
// line cares about, the ROC curve and score histograms. Pure, so the what-if updates as the
// threshold moves without asking the API anything.

export interface LabelledScore {
  defective: boolean;
  score: number;
}

export interface Confusion {
  /** Defective judged FAIL. */
  truePositive: number;
  /** Qualified judged FAIL: false alarms. */
  falsePositive: number;
  /** Qualified judged PASS. */
  trueNegative: number;
  /** Defective judged PASS: missed defects. */
  falseNegative: number;
  falseAlarmRate: number | null;
  missRate: number | null;
}

/** Above the threshold is FAIL, as the worker judges (packages/ml judgeScore). */
export function confusionAt(scores: LabelledScore[], threshold: number): Confusion {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (const s of scores) {
    const fail = s.score > threshold;
    if (s.defective) {
      if (fail) tp++;
      else fn++;
    } else if (fail) fp++;
    else tn++;
  }
  return {
    truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn,
    falseAlarmRate: fp + tn > 0 ? fp / (fp + tn) : null,
    missRate: tp + fn > 0 ? fn / (tp + fn) : null,
  };
}

/** ROC points (false-alarm rate, detection rate) from the strictest threshold to the loosest. */
export function rocCurve(scores: LabelledScore[]): Array<{ fpr: number; tpr: number; threshold: number }> {
  const positives = scores.filter((s) => s.defective).length;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return [];
  const sorted = [...scores].sort((a, b) => b.score - a.score);
  const points = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0, fp = 0;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (s.defective) tp++;
    else fp++;
    // Tied scores move together: one point per distinct score.
    if (i === sorted.length - 1 || sorted[i + 1]!.score !== s.score) points.push({ fpr: fp / negatives, tpr: tp / positives, threshold: s.score });
  }
  return points;
}

/** Area under the ROC curve by trapezoids (ties count half, as AUROC does). */
export function areaUnder(points: Array<{ fpr: number; tpr: number }>): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += (points[i]!.fpr - points[i - 1]!.fpr) * (points[i]!.tpr + points[i - 1]!.tpr) / 2;
  return area;
}

/** Histogram of qualified and defective scores over shared bins spanning both and the threshold. */
export function scoreHistogram(scores: LabelledScore[], threshold: number, bins = 30): Array<{ lower: number; upper: number; mid: number; qualified: number; defective: number }> {
  if (scores.length === 0) return [];
  const values = scores.map((s) => s.score);
  const lo = Math.min(threshold, ...values);
  const hi = Math.max(threshold, ...values);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const out = Array.from({ length: bins }, (_, i) => ({ lower: lo + i * width, upper: lo + (i + 1) * width, mid: lo + (i + 0.5) * width, qualified: 0, defective: 0 }));
  for (const s of scores) {
    const bin = out[Math.min(bins - 1, Math.floor((s.score - lo) / width))]!;
    if (s.defective) bin.defective++;
    else bin.qualified++;
  }
  return out;
}
