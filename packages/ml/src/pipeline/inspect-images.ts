// Verdicts for new images: invert, score against the calibration, combine, judge; plus the
// lot's Frechet distance to the qualified reference.
import * as tf from '@tensorflow/tfjs';
import { combineScores, judgeScore, type Verdict } from '../analysis';
import { withReferenceScores } from './calibrate-inspection';
import type { InspectionModel, ScoreKind, ScoringOptions } from './inspection-model';
import { calibrationGaussian, lotFrechetDistance } from './latent-reference';
import { measureImages, type MeasureOptions, type Measurements, type PipelineImage } from './measure-images';
import { PipelineError } from './pipeline-error';
import { localDensityHeatMaps } from './local-feature-density';
import { judgePatchScores, measurePatchImages, patchLotMeasurements, patchScoring, withLatentScores } from '../patch/inspect-patch-images';
import type { PatchImageWatch } from '../patch/measure-patches';

export interface ImageInspection extends Verdict {
  /** Every score kind; `score` is the combined one. */
  scores: Record<ScoreKind, number>;
}

export interface LotInspection {
  images: ImageInspection[];
  /** Frechet distance of the lot's latent Gaussian to the reference; null for fewer than 2 images. */
  lotFrechetDistance: number | null;
  measurements: Measurements;
  /**
   * Per image, the localFeatureDensity map upsampled to the image (H*W, Mahalanobis distances):
   * a sharper heat map than the residual (docs/results/notebook.md); null for models without it.
   */
  localDensityMaps: Float32Array[] | null;
  /** Patch models: per image, the defect map at the image's working resolution (H*W probabilities); else null. */
  defectMaps: Float32Array[] | null;
  /** Per image, the width and height its maps have (the model's size, or each image's own at a patch model's scale). */
  mapSizes: { width: number; height: number }[];
}

/** Judges each image and the lot as a whole; throws PipelineError NOT_CALIBRATED for an uncalibrated model. */
export async function inspectImages(
  model: InspectionModel, images: PipelineImage[], o: MeasureOptions & { scoring?: Partial<ScoringOptions> } = {},
): Promise<LotInspection> {
  const c = model.calibration;
  if (!c) throw new PipelineError('NOT_CALIBRATED', 'the model has no calibration; train it to the end (or run train --resume) before inspecting.');
  if (model.patch) {
    const lot = await measurePatchImages(model, images, patchScoring({ scoring: { ...c.scoring, ...o.scoring } }, model.patch), {
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.onIteration || o.onInversionProgress ? { watch: (i: number) => patchImageWatch(images[i]!, i, o) } : {}),
    });
    const reference = calibrationGaussian(c);
    return {
      images: judgePatchScores(withLatentScores(lot, reference), c),
      lotFrechetDistance: images.length >= 2 ? lotFrechetDistance(lot.latents, reference) : null,
      measurements: patchLotMeasurements(lot),
      localDensityMaps: null,
      defectMaps: model.patch.defectMap ? lot.measurements.map((m) => m.defectMap!) : null,
      mapSizes: lot.measurements.map((m) => ({ width: m.width, height: m.height })),
    };
  }
  const measurements = await measureImages(model.dcgan, model.encoder, images, { ...c.scoring, ...o.scoring }, o);
  const reference = calibrationGaussian(c);
  const selected = Object.fromEntries(c.combineKinds.map((k) => [k, c.scoreStatistics[k]!]));
  const verdicts = withReferenceScores(measurements, reference, { mean: c.residualPixelMean, std: c.residualPixelStd }, c).map((raw) => {
    const combined = combineScores(raw, selected);
    return { ...judgeScore(combined, c.normalisation), scores: { ...raw, combined } };
  });
  return {
    images: verdicts,
    lotFrechetDistance: images.length >= 2 ? lotFrechetDistance(measurements.latents, reference) : null,
    measurements,
    localDensityMaps: c.localFeatureDensity ? localDensityHeatMaps(c.localFeatureDensity, measurements.localFeatures, model.dcgan.config.size) : null,
    defectMaps: null,
    mapSizes: images.map(() => ({ width: model.dcgan.config.size, height: model.dcgan.config.size })),
  };
}

/**
 * A patch image's live view in the shape whole-image inversions report (one image per "batch",
 * starting at its index), so the worker streams both kinds of model the same way.
 */
function patchImageWatch(img: PipelineImage, i: number, o: MeasureOptions): PatchImageWatch {
  return {
    ...(o.reconstructionEvery ? { reconstructionEvery: o.reconstructionEvery } : {}),
    onIteration: async (p) => {
      o.onIteration?.(i, p.iteration);
      if (!o.onInversionProgress) return;
      const reconstruction = p.reconstruction ? tf.tensor4d(p.reconstruction, [1, img.height, img.width, img.channels]) : undefined;
      try {
        await o.onInversionProgress(i, { iteration: p.iteration, losses: Float32Array.of(p.loss), meanLoss: p.loss, ...(reconstruction ? { reconstruction } : {}) });
      } finally {
        reconstruction?.dispose();
      }
    },
  };
}
