// The one place the worker asks the ML pipeline for verdicts, so the pipeline's scoring can
// change without touching the job. Several images of one model are inverted as one batch
// (see inversion-batcher.ts): on wasm that costs little more than one image.
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

/** Scores `images` with one inversion (in the pipeline's batches); results in input order. */
export async function scoreImages(
  model: InspectionModel,
  images: FloatImage[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImageScore[]> {
  const lot = await inspectImages(model, images, { keepReconstructions: true, ...(onProgress ? { onProgress } : {}) });
  return lot.images.map((verdict, i) => ({
    reconstructionLoss: verdict.scores.reconstruction,
    latentDistance: verdict.scores.latentMahalanobis,
    latentFrechet: verdict.scores.latentFrechet,
    latent: lot.measurements.latents[i]!,
    featureLoss: verdict.scores.featureResidual,
    anomalyScore: verdict.score,
    normalizedScore: verdict.normalisedScore,
    threshold: model.calibration!.normalisation.threshold,
    anomalous: verdict.anomalous,
    reconstruction: lot.measurements.reconstructions![i]!,
    residualMap: lot.measurements.residualMaps[i]!,
  }));
}
