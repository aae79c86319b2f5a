// Calibration of a patch model on held-out qualified images: score statistics, the latent
// reference (cross-fitted, as whole-image models do), the combined score's threshold at the
// target false-alarm rate.
import { calibrateThreshold, combineScores, fitScoreNormalisation, fitScoreStatistics } from '../analysis';
import { MIN_CALIBRATION_IMAGES } from '../pipeline/calibrate-inspection';
import type { Calibration, InspectionModel, RawScoreKind, ScoringOptions } from '../pipeline/inspection-model';
import { fitLatentReference, latentScores, LATENT_SHRINKAGE } from '../pipeline/latent-reference';
import type { PipelineImage } from '../pipeline/measure-images';
import { PipelineError } from '../pipeline/pipeline-error';
import { measurePatchImages, PATCH_SCORE_KINDS, patchScoring, type PatchLot } from './inspect-patch-images';

/**
 * The default verdict score of a patch model: the defect map's robust maximum alone; the
 * residual's without a defect map. Chosen on the tune half of magnetic-tile-by-tile's test tiles
 * (docs/RESULTS.md): defectMap alone 0.762, with residualMax 0.660, with a latent distance
 * 0.66-0.70; confirmed on the hold half (0.709 against 0.691 for the pair).
 */
export function defaultPatchCombineKinds(hasDefectMap: boolean): RawScoreKind[] {
  return hasDefectMap ? ['defectMap'] : ['residualMax'];
}

export interface CalibratePatchOptions {
  scoring: ScoringOptions;
  falseAlarmRate?: number;
  combineKinds?: RawScoreKind[];
  folds?: number;
  /** Awaited after each validation image; throwing stops the work. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** Every patch score of each image, latent ones against a reference fitted without it (k folds). */
export function crossFittedPatchScores(lot: PatchLot, folds: number): Record<RawScoreKind, number>[] {
  const n = lot.latents.length;
  const k = Math.max(2, Math.min(folds, n));
  const out = new Array<Record<RawScoreKind, number>>(n);
  for (let f = 0; f < k; f++) {
    const held = lot.latents.map((_, i) => i).filter((i) => i % k === f);
    const rest = lot.latents.map((_, i) => i).filter((i) => i % k !== f);
    const ref = fitLatentReference(rest.map((i) => lot.latents[i]!), LATENT_SHRINKAGE);
    const l = latentScores(held.map((i) => lot.latents[i]!), ref);
    held.forEach((i, j) => { out[i] = { ...lot.raw[i]!, ...l[j]! }; });
  }
  return out;
}

/** Calibrates a trained patch model (GAN, encoder, defect map) on held-out qualified images. */
export async function calibratePatchModel(model: InspectionModel, validation: PipelineImage[], o: CalibratePatchOptions): Promise<Calibration> {
  if (!model.patch) throw new PipelineError('BAD_INPUT', 'not a patch model.');
  if (validation.length < MIN_CALIBRATION_IMAGES) {
    throw new PipelineError('BAD_INPUT', `calibration needs at least ${MIN_CALIBRATION_IMAGES} held-out qualified images, got ${validation.length}.`);
  }
  const falseAlarmRate = o.falseAlarmRate ?? 0.05;
  const combineKinds = o.combineKinds ?? defaultPatchCombineKinds(model.patch.defectMap !== null);
  const missing = combineKinds.find((k) => !PATCH_SCORE_KINDS.includes(k) || (k === 'defectMap' && !model.patch!.defectMap));
  if (missing) throw new PipelineError('BAD_INPUT', `a patch model${model.patch.defectMap ? '' : ' without a defect map'} cannot combine ${missing}; it computes ${PATCH_SCORE_KINDS.filter((k) => k !== 'defectMap' || model.patch!.defectMap).join(', ')}.`);
  const lot = await measurePatchImages(model, validation, patchScoring({ scoring: o.scoring }, model.patch), { onProgress: o.onProgress });
  const raw = crossFittedPatchScores(lot, o.folds ?? 4);
  const reference = fitLatentReference(lot.latents, LATENT_SHRINKAGE);
  const scoreStatistics = fitScoreStatistics(Object.fromEntries(PATCH_SCORE_KINDS.map((k) => [k, raw.map((r) => r[k])])));
  const selected = Object.fromEntries(combineKinds.map((k) => [k, scoreStatistics[k]!]));
  const combined = raw.map((r) => combineScores(r, selected));
  const threshold = calibrateThreshold(combined, falseAlarmRate);
  const thresholds: Calibration['thresholds'] = { combined: threshold };
  for (const k of PATCH_SCORE_KINDS) thresholds[k] = calibrateThreshold(raw.map((r) => r[k]), falseAlarmRate);
  return {
    scoring: o.scoring,
    latentMean: Array.from(reference.mean),
    latentCovariance: Array.from(reference.covariance.data),
    residualPixelMean: [],
    residualPixelStd: [],
    scoreStatistics,
    combineKinds,
    falseAlarmRate,
    normalisation: fitScoreNormalisation(combined, threshold),
    thresholds,
    validationCount: validation.length,
    thresholdSetting: { rule: 'false-alarm', from: 'validation', qualified: validation.length, defective: 0, falseAlarmRate },
  };
}
