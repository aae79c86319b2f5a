// After GAN training: fit the encoder (optional) on the training images, then calibrate on the
// held-out qualified images; the result is a complete InspectionModel.
import * as tf from '@tensorflow/tfjs';
import type { Dcgan } from '../dcgan/dcgan-model';
import { calibrateInspection, type CalibrateOptions } from './calibrate-inspection';
import { buildEncoder, encoderVariables, type EncoderWeights } from './encoder';
import { fitFeatureDensity, imageFeatures, type FeatureDensity } from './feature-density';
import type { InspectionModel, ScoringOptions } from './inspection-model';
import { defaultLocalGrid, fitLocalFeatureDensity, imageLocalFeatures, type LocalFeatureDensity } from './local-feature-density';
import type { PipelineImage } from './measure-images';
import { inversionProgress, type OnPhaseProgress, type PhaseProgress } from './phase-progress';
import { setPreciseDiscriminatorStatistics } from './precise-batch-norm';
import { trainEncoder } from './train-encoder';

export interface FinishOptions {
  encoderSteps: number;
  encoderBatchSize?: number;
  scoring: ScoringOptions;
  falseAlarmRate: number;
  combineKinds?: CalibrateOptions['combineKinds'];
  seed: number;
  /** Fit the featureDensity score on the training images (default true). */
  featureDensity?: boolean;
  /** Fit the localFeatureDensity score on the training images (default true). */
  localFeatureDensity?: boolean;
  /**
   * D's BatchNorm statistics for the feature scores: 'running' keeps training's running
   * averages, 'precise' recomputes them over the training images first (precise-batch-norm.ts).
   */
  discriminatorStatistics?: 'running' | 'precise';
  log?: (m: string) => void;
  /** Every encoder step, density fit and calibration iteration (phase-progress.ts; throwing stops). */
  onProgress?: OnPhaseProgress;
}

/** Encoder (when encoderSteps > 0) and calibration for a trained GAN. */
export async function finishInspectionModel(
  dcgan: Dcgan, train: PipelineImage[], validation: PipelineImage[], o: FinishOptions,
): Promise<InspectionModel> {
  const log = o.log ?? (() => undefined);
  let encoder: EncoderWeights | null = null;
  const hyper: Record<string, unknown> = { encoderSteps: o.encoderSteps };
  // A caller that stops the work (by throwing from onProgress) gets no encoder weights left behind.
  const progress: OnPhaseProgress | undefined = o.onProgress && (async (p: PhaseProgress) => {
    try {
      await o.onProgress!(p);
    } catch (err) {
      if (encoder) tf.dispose(encoderVariables(encoder));
      throw err;
    }
  });
  // Before the encoder: its loss reads D's features, so it must see the statistics kept.
  if (o.discriminatorStatistics === 'precise') {
    setPreciseDiscriminatorStatistics(dcgan.discriminator, train);
    hyper.discriminatorStatistics = 'precise';
    log(`D's BatchNorm statistics recomputed over ${train.length} training images`);
  }
  if (o.encoderSteps > 0) {
    encoder = buildEncoder(dcgan.config, o.seed);
    const f = train[0]!;
    const all = new Float32Array(train.length * f.data.length);
    train.forEach((img, i) => all.set(img.data, i * f.data.length));
    const x = tf.tensor4d(all, [train.length, f.height, f.width, f.channels]);
    const started = performance.now();
    try {
      const losses = await trainEncoder(dcgan, encoder, x, {
        steps: o.encoderSteps, batchSize: o.encoderBatchSize ?? 16, seed: o.seed,
        onStep: async (s, l) => {
          if (s % 50 === 0 || s === o.encoderSteps) log(`encoder step ${s}/${o.encoderSteps}: loss ${l.toFixed(4)}`);
          await progress?.({ phase: 'encoder', done: s, total: o.encoderSteps });
        },
      });
      hyper.encoderFinalLoss = losses[losses.length - 1];
      hyper.encoderSeconds = (performance.now() - started) / 1000;
    } finally {
      x.dispose();
    }
  }
  const scoring = { ...o.scoring, useEncoder: o.scoring.useEncoder && encoder !== null };
  // The feature density needs clearly more training images than dimensions per mixture
  // component (magnetic-tile: 540 images, 6 components, PCA 50); smaller sets get a smaller
  // model, and a fit that fails numerically leaves the model without the score, never broken.
  const mixture = Math.min(6, Math.max(1, Math.floor(train.length / 90)));
  const pcaComponents = Math.min(50, Math.floor(train.length / mixture) - 10);
  let featureDensity: FeatureDensity | undefined;
  if (o.featureDensity !== false && pcaComponents >= 4) {
    await progress?.({ phase: 'feature-density', done: 0, total: 1 });
    try {
      featureDensity = fitFeatureDensity(imageFeatures(dcgan.discriminator, train), { components: pcaComponents, mixture, seed: o.seed });
      log(`feature density: PCA ${pcaComponents} + ${mixture}-component mixture of D's features of ${train.length} training images`);
    } catch (err) {
      log(`feature density not fitted (${(err as Error).message}); the model goes without the featureDensity score`);
    }
  }
  // One Gaussian per grid position needs about two training images per dimension to be more
  // than its shrinkage target; with fewer than 16 dimensions it says little, so it is left out.
  const maxDims = Math.min(224, Math.floor(train.length / 2));
  let localFeatureDensity: LocalFeatureDensity | undefined;
  if (o.localFeatureDensity !== false && maxDims >= 16) {
    await progress?.({ phase: 'local-feature-density', done: 0, total: 1 });
    try {
      const grid = defaultLocalGrid(dcgan.config.size);
      localFeatureDensity = fitLocalFeatureDensity(imageLocalFeatures(dcgan.discriminator, train, grid), { grid, maxDims, seed: o.seed });
      log(`local feature density: ${grid}x${grid} positions, ${localFeatureDensity.channels.length} of ${localFeatureDensity.featureChannels} channels of D's blocks, ${train.length} training images`);
    } catch (err) {
      log(`local feature density not fitted (${(err as Error).message}); the model goes without the localFeatureDensity score`);
    }
  }
  log(`calibrating on ${validation.length} held-out qualified images (${scoring.iterations} inversion iterations${scoring.useEncoder ? ', encoder start' : ''})`);
  const calibration = await calibrateInspection(dcgan, encoder, validation, {
    scoring, falseAlarmRate: o.falseAlarmRate, ...(o.combineKinds ? { combineKinds: o.combineKinds } : {}),
    ...(featureDensity ? { featureDensity } : {}),
    ...(localFeatureDensity ? { localFeatureDensity } : {}),
    onProgress: (d, t) => log(`calibration: ${d}/${t} images`),
    ...(progress ? { onInversionProgress: inversionProgress('calibration', validation.length, scoring, progress) } : {}),
  });
  return { dcgan, encoder, calibration, hyper };
}
