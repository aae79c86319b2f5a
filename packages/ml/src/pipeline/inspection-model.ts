// What a trained, calibrated inspection model is: the GAN, an optional encoder, and the
// statistics that turn inversions into verdicts.
import type { Dcgan } from '../dcgan/dcgan-model';
import type { ScoreNormalisation, ScoreStatistics } from '../analysis';
import type { ReconstructionLoss } from '../inversion/reconstruction-loss';
import type { EncoderWeights } from './encoder';
import type { FeatureDensity } from './feature-density';
import type { LocalFeatureDensity } from './local-feature-density';
import type { PatchSpec } from '../patch/patch-spec';

/** Every per-image score the pipeline computes (higher = more anomalous). */
export const SCORE_KINDS = [
  'reconstruction', 'residualMean', 'residualMax', 'residualTopK', 'residualStandardised', 'featureResidual', 'featureDensity',
  'localFeatureDensity', 'latentMahalanobis', 'latentFrechet', 'defectMap', 'combined',
] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];
export type RawScoreKind = Exclude<ScoreKind, 'combined'>;

/** How images are inverted and their residual maps summarised. */
export interface ScoringOptions {
  iterations: number;
  lr: number;
  optimizer: 'sgd' | 'momentum' | 'adam';
  loss: ReconstructionLoss;
  levels: number;
  restarts: number;
  zClip?: number;
  seed: number;
  /** Start the inversion at E(x) when the model has an encoder. */
  useEncoder: boolean;
  /** Images per inversion batch (memory vs speed). */
  batchSize: number;
  /** Standard deviation (pixels) of the Gaussian blur applied to residual maps before max / top-k. */
  residualBlur: number;
  /** Share of pixels averaged by the top-k residual score (e.g. 0.02 = the worst 2%). */
  topKFraction: number;
}

export const DEFAULT_SCORING: ScoringOptions = {
  iterations: 100, lr: 0.05, optimizer: 'adam', loss: 'lap1', levels: 4, restarts: 1, zClip: 4, seed: 0,
  useEncoder: true, batchSize: 32, residualBlur: 1.5, topKFraction: 0.02,
};

/**
 * How the verdict threshold (normalisation.threshold) was chosen and on which images, so reports
 * and model cards can say so (docs/adr/0018).
 */
export interface ThresholdSetting {
  /** 'false-alarm': a quantile of qualified scores; 'f1': the F1-optimal cut on labelled scores. */
  rule: 'false-alarm' | 'f1';
  /** The held-out training images (calibration at training), or a labelled set (gansight calibrate). */
  from: 'validation' | 'labelled';
  qualified: number;
  defective: number;
  /** Target share of qualified images flagged (the false-alarm rule). */
  falseAlarmRate?: number;
  /** F1 the threshold reaches on those images (labelled sets). */
  f1?: number;
}

/** Statistics of qualified images that scores are judged against. */
export interface Calibration {
  scoring: ScoringOptions;
  /** Gaussian of inverted qualified latents (row-major covariance, shrunk towards the identity). */
  latentMean: number[];
  latentCovariance: number[];
  /**
   * Per-pixel mean and std (H*W) of the high-pass residual maps of qualified images: the
   * generator's usual errors (tile borders, texture it cannot draw) are expected there, so the
   * residualStandardised score counts only what is unusual for that pixel.
   */
  residualPixelMean: number[];
  residualPixelStd: number[];
  /** Mean and std of each raw score over held-out qualified images (cross-fitted for latent scores). */
  scoreStatistics: ScoreStatistics;
  /**
   * PCA + Gaussian mixture of D's features of the training images (the featureDensity score);
   * absent in models calibrated before it, whose featureDensity scores are then 0.
   */
  featureDensity?: FeatureDensity;
  /**
   * Per-position Gaussians of D's block maps of the training images (the localFeatureDensity
   * score and its heat map); absent in models calibrated before it, which score it as 0.
   */
  localFeatureDensity?: LocalFeatureDensity;
  /** Scores whose z-scores are averaged into `combined`. */
  combineKinds: RawScoreKind[];
  /** Target false-alarm rate of the calibration on the validation images (and of `thresholds`). */
  falseAlarmRate: number;
  /** Threshold on `combined`; normalised scores put it at 0.5. */
  normalisation: ScoreNormalisation;
  /**
   * Per score kind, the threshold at `falseAlarmRate` on the validation images (for reports);
   * a recalibrated verdict threshold lives in `normalisation` only.
   */
  thresholds: Partial<Record<ScoreKind, number>>;
  validationCount: number;
  /** How `normalisation.threshold` was chosen; absent in models saved before it (read with thresholdSettingOf). */
  thresholdSetting?: ThresholdSetting;
}

/**
 * Qualified images a false-alarm calibration needs before its rate means something: about five
 * of them must lie above the threshold (100 for a 5% target). With fewer, the threshold sits on
 * the one or two highest scores and new parts raise more false alarms than targeted.
 */
export function imagesNeededForRate(falseAlarmRate: number): number {
  return Math.ceil(5 / Math.max(falseAlarmRate, 1e-6));
}

/** A sentence for reports and model cards when a false-alarm threshold rests on too few images; null when it does not. */
export function calibrationShortfall(s: ThresholdSetting): string | null {
  if (s.rule !== 'false-alarm' || s.falseAlarmRate === undefined) return null;
  const needed = imagesNeededForRate(s.falseAlarmRate);
  if (s.qualified >= needed) return null;
  return `calibrated on ${s.qualified} qualified images: too few to promise a ${(100 * s.falseAlarmRate).toFixed(1)}% false-alarm rate (about ${needed} are needed); expect more false alarms on new parts until it is recalibrated on more`;
}

/** The calibration's threshold setting; models saved without one were set by the false-alarm rule on the validation images. */
export function thresholdSettingOf(c: Calibration): ThresholdSetting {
  return c.thresholdSetting ?? { rule: 'false-alarm', from: 'validation', qualified: c.validationCount, defective: 0, falseAlarmRate: c.falseAlarmRate };
}

/** A trained GAN with what inspection needs beside it. */
export interface InspectionModel {
  dcgan: Dcgan;
  encoder: EncoderWeights | null;
  calibration: Calibration | null;
  /** Training hyper-parameters and provenance, stored as given. */
  hyper: Record<string, unknown>;
  /**
   * Set for a patch model (docs/adr/0034): the GAN generates tiles of images kept at a working
   * scale, and a defect map reads each image beside its reconstruction. Absent for the paper's
   * whole-image model, which squashes every image to the GAN's size.
   */
  patch?: PatchSpec;
}
