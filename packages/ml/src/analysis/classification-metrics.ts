import type { Labels } from './roc';

/** Confusion counts and the usual rates; "positive" means defective. */
export interface ClassificationMetrics {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  accuracy: number;
  /** Mean of recall and specificity: fair when classes are imbalanced. */
  balancedAccuracy: number;
  /** 0 when nothing is predicted positive. */
  precision: number;
  /** True positive rate; 0 when there are no positives. */
  recall: number;
  /** True negative rate; 0 when there are no negatives. */
  specificity: number;
  f1: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Confusion matrix and accuracy, balanced accuracy, precision, recall, specificity and F1. */
export function classificationMetrics(labels: Labels, predictions: Labels): ClassificationMetrics {
  if (labels.length !== predictions.length) throw new RangeError(`${labels.length} labels but ${predictions.length} predictions`);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = Boolean(labels[i]);
    const p = Boolean(predictions[i]);
    if (y && p) tp++;
    else if (!y && p) fp++;
    else if (!y && !p) tn++;
    else fn++;
  }
  const recall = ratio(tp, tp + fn);
  const specificity = ratio(tn, tn + fp);
  const precision = ratio(tp, tp + fp);
  const bothClasses = tp + fn > 0 && tn + fp > 0;
  return {
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    accuracy: ratio(tp + tn, labels.length),
    balancedAccuracy: bothClasses ? (recall + specificity) / 2 : tp + fn > 0 ? recall : specificity,
    precision,
    recall,
    specificity,
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}

/** Predictions (score > threshold means defective) for a list of scores. */
export function predictAnomalous(scores: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(scores, (s) => s > threshold);
}

/** Per group: how many images, how many were flagged defective, and the share. */
export interface DetectionRate {
  count: number;
  flagged: number;
  rate: number;
}

/**
 * Detection rate per defect type ("good" reports its false-alarm rate), from each image's
 * defect type (null for qualified) and whether it was flagged.
 */
export function detectionRateByType(
  items: ReadonlyArray<{ defectType: string | null; flagged: boolean }>,
): Record<string, DetectionRate> {
  const out: Record<string, DetectionRate> = {};
  for (const { defectType, flagged } of items) {
    const key = defectType ?? 'good';
    const r = (out[key] ??= { count: 0, flagged: 0, rate: 0 });
    r.count++;
    if (flagged) r.flagged++;
  }
  for (const r of Object.values(out)) r.rate = r.flagged / r.count;
  return out;
}
