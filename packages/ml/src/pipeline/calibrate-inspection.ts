// Calibration on held-out qualified images: the latent reference Gaussian, per-score statistics,
// the combined score's threshold at a target false-alarm rate and its normalisation.
import {
  calibrateThreshold, combineScores, f1OptimalThreshold, fitScoreNormalisation, fitScoreStatistics, type Gaussian,
} from '../analysis';
import type { Dcgan } from '../dcgan/dcgan-model';
import type { EncoderWeights } from './encoder';
import type { Calibration, RawScoreKind, ScoringOptions } from './inspection-model';
import { fitLatentReference, latentScores, LATENT_SHRINKAGE } from './latent-reference';
import { measureImages, type Measurements, type PipelineImage } from './measure-images';
import { PipelineError } from './pipeline-error';

/** Scores averaged (as z-scores) into the combined score unless a caller chooses others. */
export const DEFAULT_COMBINE_KINDS: RawScoreKind[] = ['residualTopK', 'featureResidual'];

export interface CalibrateOptions {
  scoring: ScoringOptions;
  falseAlarmRate?: number;
  combineKinds?: RawScoreKind[];
  shrinkage?: number;
  /** Folds for cross-fitting the latent scores of the validation images (default 4). */
  folds?: number;
  /** Labelled images (qualified and defective) for an F1-optimal threshold on top. */
  labelled?: { images: PipelineImage[]; defective: boolean[] };
  onProgress?: (done: number, total: number) => void;
}

export type RawScores = Record<RawScoreKind, number>;

/**
 * Latent scores of each validation image against a Gaussian fitted WITHOUT it (k-fold): scoring
 * an image against a Gaussian that contains it understates its distance, most of all in 100-D.
 */
function crossFittedLatentScores(latents: Float32Array[], folds: number, shrinkage: number) {
  const k = Math.max(2, Math.min(folds, latents.length));
  const out = new Array<{ latentMahalanobis: number; latentFrechet: number }>(latents.length);
  for (let f = 0; f < k; f++) {
    const held = latents.map((_, i) => i).filter((i) => i % k === f);
    const rest = latents.filter((_, i) => i % k !== f);
    const scored = latentScores(held.map((i) => latents[i]!), fitLatentReference(rest, shrinkage));
    held.forEach((i, j) => { out[i] = scored[j]!; });
  }
  return out;
}

/** Raw scores of measured images against a reference Gaussian. */
export function withLatentScores(m: Measurements, reference: Gaussian): RawScores[] {
  const latent = latentScores(m.latents, reference);
  return m.scores.map((s, i) => ({ ...s, ...latent[i]! }));
}

/** Calibrates a trained GAN (and encoder) on held-out qualified images; needs at least 8 of them. */
export async function calibrateInspection(
  dcgan: Dcgan, encoder: EncoderWeights | null, validation: PipelineImage[], o: CalibrateOptions,
): Promise<Calibration> {
  if (validation.length < 8) throw new PipelineError('BAD_INPUT', `calibration needs at least 8 held-out qualified images, got ${validation.length}.`);
  const shrinkage = o.shrinkage ?? LATENT_SHRINKAGE;
  const falseAlarmRate = o.falseAlarmRate ?? 0.05;
  const combineKinds = o.combineKinds ?? DEFAULT_COMBINE_KINDS;
  const m = await measureImages(dcgan, encoder, validation, o.scoring, { onProgress: o.onProgress });
  const reference = fitLatentReference(m.latents, shrinkage);
  const latent = crossFittedLatentScores(m.latents, o.folds ?? 4, shrinkage);
  const raw: RawScores[] = m.scores.map((s, i) => ({ ...s, ...latent[i]! }));
  const kinds = Object.keys(raw[0]!) as RawScoreKind[];
  const scoreStatistics = fitScoreStatistics(Object.fromEntries(kinds.map((k) => [k, raw.map((r) => r[k])])));
  const selected = Object.fromEntries(combineKinds.map((k) => [k, scoreStatistics[k]!]));
  const combined = raw.map((r) => combineScores(r, selected));
  const threshold = calibrateThreshold(combined, falseAlarmRate);
  const thresholds: Calibration['thresholds'] = { combined: threshold };
  for (const k of kinds) thresholds[k] = calibrateThreshold(raw.map((r) => r[k]), falseAlarmRate);
  const calibration: Calibration = {
    scoring: o.scoring,
    latentMean: Array.from(reference.mean),
    latentCovariance: Array.from(reference.covariance.data),
    scoreStatistics,
    combineKinds,
    falseAlarmRate,
    normalisation: fitScoreNormalisation(combined, threshold),
    thresholds,
    validationCount: validation.length,
  };
  if (o.labelled) {
    const lm = await measureImages(dcgan, encoder, o.labelled.images, o.scoring);
    const scores = withLatentScores(lm, reference).map((r) => combineScores(r, selected));
    calibration.f1Threshold = f1OptimalThreshold(scores, o.labelled.defective);
  }
  return calibration;
}
