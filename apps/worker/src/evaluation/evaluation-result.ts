// Turns the pipeline's evaluation report into what the Evaluation row stores for the model card:
// headline metrics, the three baselines by name, and one entry per defect type (keyed by defect
// type id, 'good' for qualified images) with its detection rate, AUROC and latent Frechet distance.
import { auroc, type EvaluationReport } from '@gansight/ml';
import type { SkippedImage } from '../training/load-training-images';
import type { BaselineTrainSet } from './baseline-train-images';

export interface DefectGroupResult {
  name: string;
  count: number;
  /** Share flagged at the calibrated threshold (for 'good': the false-alarm rate). */
  detectionRate: number;
  /** Combined-score AUROC of this group against the qualified test images; null for 'good'. */
  auroc: number | null;
  /** Frechet distance of the group's latent Gaussian to the qualified reference; null under 2 images. */
  frechet: number | null;
  /** Each baseline's detection rate for this group. */
  baselines: Record<string, number>;
}

export interface StoredEvaluation {
  metrics: Record<string, unknown>;
  baselines: Record<string, { auroc: number; metrics: unknown; detection: unknown }>;
  perDefect: Record<string, DefectGroupResult>;
}

export function storedEvaluation(
  report: EvaluationReport,
  o: { groupNames: Record<string, string>; skippedImages: SkippedImage[]; baselineTrainCount: number; baselineTrainSet: BaselineTrainSet },
): StoredEvaluation {
  const good = report.items.filter((i) => i.defectType === null).map((i) => i.scores.combined);
  const perDefect: Record<string, DefectGroupResult> = {};
  for (const [group, detection] of Object.entries(report.calibrated.detection)) {
    const scores = report.items.filter((i) => (i.defectType ?? 'good') === group).map((i) => i.scores.combined);
    perDefect[group] = {
      name: o.groupNames[group] ?? group,
      count: detection.count,
      detectionRate: detection.rate,
      auroc: group === 'good' ? null : auroc([...good, ...scores], [...good.map(() => false), ...scores.map(() => true)]),
      frechet: report.frechetByType[group] ?? null,
      baselines: Object.fromEntries((report.baselines ?? []).map((b) => [b.name, b.detection[group]?.rate ?? 0])),
    };
  }
  const { metrics: calibratedMetrics, ...calibrated } = report.calibrated;
  return {
    metrics: {
      auroc: report.aurocByKind.combined,
      ...calibratedMetrics,
      threshold: calibrated.threshold,
      falseAlarmRate: calibrated.falseAlarmRate,
      aurocByKind: report.aurocByKind,
      f1Optimal: report.f1Optimal,
      counts: report.counts,
      inversionSeconds: report.inversionSeconds,
      baselineTrainImages: o.baselineTrainCount,
      // Which images the baselines learned from: the model's own training set, or (older models) not.
      baselineTrainSet: o.baselineTrainSet,
      skippedImages: o.skippedImages,
    },
    baselines: Object.fromEntries((report.baselines ?? []).map((b) => [b.name, { auroc: b.auroc, metrics: b.metrics, detection: b.detection }])),
    perDefect,
  };
}
