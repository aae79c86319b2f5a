// The one place the worker asks the ML pipeline for a verdict, so the pipeline's scoring can
// change (or batch several inspections into one inversion) without touching the job.
import { inspectImages, type InspectionModel } from '@gansight/ml';
import type { FloatImage } from '@gansight/imaging';

export interface ImageScore {
  reconstructionLoss: number;
  latentDistance: number;
  latentFrechet: number;
  /** z* (what a lot's Frechet distance is measured on). */
  latent: Float32Array;
  featureLoss: number;
  anomalyScore: number;
  normalizedScore: number;
  threshold: number;
  anomalous: boolean;
  reconstruction: Float32Array;
  residualMap: Float32Array;
}

export async function scoreImage(
  model: InspectionModel,
  image: FloatImage,
  onProgress?: (done: number, total: number) => void,
): Promise<ImageScore> {
  const lot = await inspectImages(model, [image], { keepReconstructions: true, ...(onProgress ? { onProgress } : {}) });
  const verdict = lot.images[0]!;
  return {
    reconstructionLoss: verdict.scores.reconstruction,
    latentDistance: verdict.scores.latentMahalanobis,
    latentFrechet: verdict.scores.latentFrechet,
    latent: lot.measurements.latents[0]!,
    featureLoss: verdict.scores.featureResidual,
    anomalyScore: verdict.score,
    normalizedScore: verdict.normalisedScore,
    threshold: model.calibration!.normalisation.threshold,
    anomalous: verdict.anomalous,
    reconstruction: lot.measurements.reconstructions![0]!,
    residualMap: lot.measurements.residualMaps[0]!,
  };
}
