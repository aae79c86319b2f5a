// The featureDensity score: how unusual an image's discriminator features are among qualified
// images, as -log p under PCA + a Gaussian mixture fitted on the training images' features.
// Why: magnetic tiles come in several looks (shapes, textures), so "normal" is multi-modal; a
// single Gaussian (the latent Mahalanobis score) cannot express that, a mixture can, and D's
// features of a GAN trained on qualified tiles describe their look better than raw pixels
// (docs/results/notebook.md). No inversion is needed: one forward pass of D per image.
import * as tf from '@tensorflow/tfjs';
import { fitPca, pcaTransform, GaussianMixtureDetector, type GaussianMixtureState, type PcaModel } from '../analysis';
import type { DiscriminatorWeights } from '../dcgan/dcgan-model';
import { discriminatorFeatures } from './discriminator-features';
import type { PipelineImage } from './measure-images';

/** A fitted feature density, as plain data (stored in the calibration). */
export interface FeatureDensity {
  /** PCA of D's features: mean (F) and components (k rows of F). */
  pcaMean: number[];
  pcaComponents: number[][];
  mixture: GaussianMixtureState;
}

export interface FeatureDensityOptions {
  /** PCA components kept (default 50, as the pixel baselines). */
  components?: number;
  /** Mixture components (default 6, as the GMM baseline). */
  mixture?: number;
  restarts?: number;
  seed?: number;
}

/**
 * Runs `features` over the images in batches of `batchSize` and returns one row per image (the
 * features of each image flattened); leaves no tensors behind.
 */
export function perImageFeatureRows(images: PipelineImage[], batchSize: number, features: (x: tf.Tensor4D) => tf.Tensor): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < images.length; b += batchSize) {
    const batch = images.slice(b, b + batchSize);
    const f = batch[0]!;
    const all = new Float32Array(batch.length * f.data.length);
    batch.forEach((img, i) => all.set(img.data, i * f.data.length));
    const values = tf.tidy(() => features(tf.tensor4d(all, [batch.length, f.height, f.width, f.channels])).dataSync() as Float32Array);
    const per = values.length / batch.length;
    for (let i = 0; i < batch.length; i++) out.push(values.slice(i * per, (i + 1) * per));
  }
  return out;
}

/** D's last features for images (inference mode), in batches; leaves no tensors behind. */
export function imageFeatures(d: DiscriminatorWeights, images: PipelineImage[], batchSize = 64): Float32Array[] {
  return perImageFeatureRows(images, batchSize, (x) => discriminatorFeatures(d, x));
}

/** Fits PCA + Gaussian mixture on qualified images' features; needs more images than mixture components. */
export function fitFeatureDensity(features: Float32Array[], o: FeatureDensityOptions = {}): FeatureDensity {
  const pca = fitPca(features, o.components ?? 50);
  const gmm = new GaussianMixtureDetector({ components: o.mixture ?? 6, restarts: o.restarts ?? 2, seed: o.seed ?? 0 });
  gmm.fit(pcaTransform(pca, features));
  return { pcaMean: Array.from(pca.mean), pcaComponents: pca.components.map((c) => Array.from(c)), mixture: gmm.exportState() };
}

/** The lowest -log p the mixture can give any point (at a component's mean, all others ignored). */
function lowestNegativeLogDensity(state: GaussianMixtureState): number {
  const logPeaks = state.components.map((c) => c.logWeight - 0.5 * (c.mean.length * Math.log(2 * Math.PI) + c.logDet));
  const top = Math.max(...logPeaks);
  return -(top + Math.log(logPeaks.reduce((s, l) => s + Math.exp(l - top), 0)));
}

/**
 * The featureDensity score of each feature vector (higher = more unusual):
 * log(1 + (-log p) - lowest possible -log p). It ranks exactly as -log p does (same AUROC), but
 * -log p itself is heavy-tailed on qualified images (magnetic-tile: mean 147, std 169), so
 * its z-score hardly moved for most defects and diluted in the combined score; the log fixes
 * that (docs/results/notebook.md).
 */
export function featureDensityScores(density: FeatureDensity, features: Float32Array[]): number[] {
  const pca: PcaModel = {
    mean: Float64Array.from(density.pcaMean), components: density.pcaComponents.map((c) => Float64Array.from(c)),
    explainedVariance: new Float64Array(density.pcaComponents.length), whiten: false,
  };
  const floor = lowestNegativeLogDensity(density.mixture);
  return Array.from(GaussianMixtureDetector.fromState(density.mixture).score(pcaTransform(pca, features)), (nll) => Math.log1p(Math.max(0, nll - floor)));
}
