// A trained model's verdict threshold chosen again on a labelled set (qualified and defective
// images, kept apart from any set it is evaluated on): F1-optimal, or at a target false-alarm
// rate of the set's qualified images. Only the threshold and the normalisation change; every
// score stays what it was (docs/adr/0018).
import {
  calibrateThreshold, classificationMetrics, f1OptimalThreshold, fitScoreNormalisation, predictAnomalous, type ClassificationMetrics,
} from '../analysis';
import { inspectImages } from './inspect-images';
import { thresholdSettingOf, type Calibration, type InspectionModel, type ThresholdSetting } from './inspection-model';
import type { PipelineImage } from './measure-images';
import { PipelineError } from './pipeline-error';

export type ThresholdRule = ThresholdSetting['rule'];
export const THRESHOLD_RULES: readonly ThresholdRule[] = ['f1', 'false-alarm'];

/**
 * Fewest images of a class a rule accepts. With fewer than 8 defects one image moves recall by
 * more than 12 points, so an F1-optimal cut is noise; 8 qualified images is what calibration at
 * training asks for too.
 */
export const MIN_LABELLED_PER_CLASS = 8;

export interface LabelledPipelineImage {
  image: PipelineImage;
  defective: boolean;
}

export interface RecalibrateOptions {
  rule: ThresholdRule;
  /** Target share of the set's qualified images flagged (rule 'false-alarm'; default the model's). */
  falseAlarmRate?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A verdict threshold and what it does on the labelled set. */
export interface ThresholdOutcome {
  threshold: number;
  metrics: ClassificationMetrics;
}

export interface Recalibration {
  /** The model's calibration with the new threshold, normalisation and setting (nothing else changed). */
  calibration: Calibration;
  /** On the labelled set: the threshold the model had, and the new one. */
  before: ThresholdOutcome;
  after: ThresholdOutcome;
}

/** Throws PipelineError BAD_INPUT unless the labels hold enough images of each class the rule needs. */
export function checkLabelledCounts(defective: boolean[], rule: ThresholdRule): void {
  if (!THRESHOLD_RULES.includes(rule)) throw new PipelineError('BAD_INPUT', `unknown threshold rule "${rule}": use ${THRESHOLD_RULES.join(' or ')}.`);
  const d = defective.filter(Boolean).length;
  const q = defective.length - d;
  if (q < MIN_LABELLED_PER_CLASS || (rule === 'f1' && d < MIN_LABELLED_PER_CLASS)) {
    const need = rule === 'f1'
      ? `at least ${MIN_LABELLED_PER_CLASS} qualified and ${MIN_LABELLED_PER_CLASS} defective images`
      : `at least ${MIN_LABELLED_PER_CLASS} qualified images`;
    const hint = rule === 'f1' && q >= MIN_LABELLED_PER_CLASS ? ' Add defect images, or use the false-alarm rule.' : '';
    throw new PipelineError('BAD_INPUT', `the ${rule} threshold rule needs ${need}; the labelled set has ${q} qualified and ${d} defective.${hint}`);
  }
}

/**
 * The calibration with a threshold chosen by `rule` on labelled combined scores. The
 * normalisation's range is refitted on the same scores, so defects spread over (0.5, 1] instead
 * of clipping at the top of the qualified range.
 */
export function calibrationWithThreshold(
  c: Calibration, combined: number[], defective: boolean[], rule: ThresholdRule, falseAlarmRate = c.falseAlarmRate,
): Calibration {
  if (combined.length !== defective.length) throw new PipelineError('BAD_INPUT', `${combined.length} scores but ${defective.length} labels.`);
  checkLabelledCounts(defective, rule);
  if (rule === 'false-alarm' && !(falseAlarmRate >= 0 && falseAlarmRate < 1)) {
    throw new PipelineError('BAD_INPUT', `the false-alarm rate must be in [0, 1), got ${falseAlarmRate}.`);
  }
  const counts = { qualified: defective.filter((d) => !d).length, defective: defective.filter(Boolean).length };
  let threshold: number;
  let setting: ThresholdSetting;
  if (rule === 'f1') {
    const best = f1OptimalThreshold(combined, defective);
    threshold = best.threshold;
    setting = { rule, from: 'labelled', ...counts, f1: best.f1 };
  } else {
    threshold = calibrateThreshold(combined.filter((_, i) => !defective[i]), falseAlarmRate);
    const f1 = counts.defective > 0 ? classificationMetrics(defective, predictAnomalous(combined, threshold)).f1 : undefined;
    setting = { rule, from: 'labelled', ...counts, falseAlarmRate, ...(f1 !== undefined ? { f1 } : {}) };
  }
  return { ...c, normalisation: fitScoreNormalisation(combined, threshold), thresholdSetting: setting };
}

/**
 * Scores a labelled set with the model (as inspections would) and returns its calibration with
 * the threshold chosen by the rule; the model itself is not changed. Throws PipelineError
 * NOT_CALIBRATED for an uncalibrated model and BAD_INPUT for too few images of a class, before
 * any image is scored.
 */
export async function recalibrateThreshold(model: InspectionModel, labelled: LabelledPipelineImage[], o: RecalibrateOptions): Promise<Recalibration> {
  const c = model.calibration;
  if (!c) throw new PipelineError('NOT_CALIBRATED', 'the model has no calibration; train it to the end (or run train --resume) before recalibrating.');
  const defective = labelled.map((l) => l.defective);
  checkLabelledCounts(defective, o.rule);
  const inspection = await inspectImages(model, labelled.map((l) => l.image), { onProgress: o.onProgress });
  const combined = inspection.images.map((r) => r.scores.combined);
  const calibration = calibrationWithThreshold(c, combined, defective, o.rule, o.falseAlarmRate ?? thresholdSettingOf(c).falseAlarmRate ?? c.falseAlarmRate);
  const outcome = (threshold: number): ThresholdOutcome => ({ threshold, metrics: classificationMetrics(defective, predictAnomalous(combined, threshold)) });
  return { calibration, before: outcome(c.normalisation.threshold), after: outcome(calibration.normalisation.threshold) };
}
