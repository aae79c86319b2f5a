// The qualified reference in latent space: a Gaussian of inverted qualified latents, and the
// distances of single latents (Mahalanobis, Frechet to a point) and of lots (Frechet) to it.
import { createMahalanobis, fitGaussian, frechetDistance, frechetDistanceToPoint, type Gaussian } from '../analysis';
import type { Calibration } from './inspection-model';
import { PipelineError } from './pipeline-error';

/** Default shrinkage of the latent covariance: a few hundred qualified images cannot pin down 100x100 entries. */
export const LATENT_SHRINKAGE = 0.2;

/** Fits the reference Gaussian to qualified latents (shrunk covariance, so it is invertible). */
export function fitLatentReference(latents: ArrayLike<number>[], shrinkage = LATENT_SHRINKAGE): Gaussian {
  if (latents.length < 2) throw new PipelineError('BAD_INPUT', `the latent reference needs at least 2 qualified images, got ${latents.length}.`);
  return fitGaussian(latents, { shrinkage });
}

/** The reference Gaussian stored in a calibration. */
export function calibrationGaussian(c: Calibration): Gaussian {
  const d = c.latentMean.length;
  return {
    mean: Float64Array.from(c.latentMean),
    covariance: { rows: d, cols: d, data: Float64Array.from(c.latentCovariance) },
    count: c.validationCount,
  };
}

/** Mahalanobis distance and single-point Frechet distance of each latent to the reference. */
export function latentScores(latents: ArrayLike<number>[], reference: Gaussian): { latentMahalanobis: number; latentFrechet: number }[] {
  const mahalanobis = createMahalanobis(reference);
  return latents.map((z) => ({ latentMahalanobis: mahalanobis(z), latentFrechet: frechetDistanceToPoint(z, reference) }));
}

/** The paper's set-level score: Frechet distance between a lot's latent Gaussian and the reference (needs >= 2 latents). */
export function lotFrechetDistance(latents: ArrayLike<number>[], reference: Gaussian): number {
  if (latents.length < 2) throw new PipelineError('BAD_INPUT', `a lot's Frechet distance needs at least 2 images, got ${latents.length}.`);
  return frechetDistance(fitGaussian(latents), reference);
}
