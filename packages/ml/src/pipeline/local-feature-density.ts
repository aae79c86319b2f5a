// The localFeatureDensity score: how unusual each small region of an image looks to D, as the
// Mahalanobis distance of D's feature vector at that grid position to a Gaussian fitted, per
// position, on the training images (PaDiM's idea, on the GAN's own discriminator). The image
// score is the worst position; the distance map, upsampled, is a heat map.
// Why: featureDensity judges the whole image and misses small local defects; the residual
// catches them but is only as sharp as the generator's blurry reconstructions. D's maps are
// sharp and need no inversion (docs/results/notebook.md, round 3; ADR 0011).
import * as tf from '@tensorflow/tfjs';
import { cholesky, covarianceMatrix, createRng } from '../analysis';
import type { DiscriminatorWeights } from '../dcgan/dcgan-model';
import { discriminatorFeatureMaps } from './discriminator-features';
import type { PipelineImage } from './measure-images';
import { perImageFeatureRows } from './feature-density';

/** A fitted local feature density. `mean` and `factor` are large: artifacts store them as tensors. */
export interface LocalFeatureDensity {
  /** Side of the position grid; there are grid * grid positions. */
  grid: number;
  /** Channels per position in the measured features (all of D's blocks, concatenated). */
  featureChannels: number;
  /** The channels used (indices into the measured ones, ascending); dims = channels.length. */
  channels: number[];
  shrinkage: number;
  /** Per position mean: grid * grid * dims values. */
  mean: Float32Array;
  /**
   * Per position lower Cholesky factor L of the shrunk covariance (L L^T = covariance), each
   * packed row by row (dims * (dims + 1) / 2 values), positions one after the other.
   */
  factor: Float32Array;
}

export interface LocalFeatureDensityOptions {
  grid: number;
  /** Most channels per position; more are subsampled at random, seeded (PaDiM). Default 224. */
  maxDims?: number;
  /** Covariance shrinkage towards (trace / dims) I. Default 0.01 (chosen on tune; docs/results/notebook.md). */
  shrinkage?: number;
  seed?: number;
}

/**
 * The default grid side for an image size: size / 8 (8x8 at 64 px), at least 4 and at most 8.
 * The cap keeps the stored factors small (at most 64 positions); 4 is D's coarsest map.
 */
export function defaultLocalGrid(size: number): number {
  return Math.min(8, Math.max(4, size / 8));
}

/**
 * D's block outputs resampled to grid x grid and concatenated per position, [N, grid * grid, C]:
 * finer maps are average-pooled, coarser ones repeated (nearest). The input convolution is left
 * out (it sees 4x4 pixels: noise, not look) unless D has no blocks (8 px images).
 */
export function localGridFeatures(d: DiscriminatorWeights, x: tf.Tensor4D, grid: number): tf.Tensor3D {
  return tf.tidy(() => {
    const all = discriminatorFeatureMaps(d, x);
    const maps = all.length > 1 ? all.slice(1) : all;
    const resampled = maps.map((m) => {
      const side = m.shape[1];
      if (side > grid) return tf.avgPool(m, side / grid, side / grid, 'valid');
      if (side < grid) return tf.image.resizeNearestNeighbor(m, [grid, grid]);
      return m;
    });
    const joined = resampled.length === 1 ? resampled[0]! : tf.concat(resampled, 3);
    return tf.reshape(joined, [x.shape[0], grid * grid, -1]) as tf.Tensor3D;
  });
}

/** localGridFeatures for images, in batches, one Float32Array (grid * grid * C) per image; leaves no tensors behind. */
export function imageLocalFeatures(d: DiscriminatorWeights, images: PipelineImage[], grid: number, batchSize = 64): Float32Array[] {
  return perImageFeatureRows(images, batchSize, (x) => localGridFeatures(d, x, grid));
}

const packedSize = (dims: number) => (dims * (dims + 1)) / 2;

/** Fits one Gaussian per grid position on qualified images' local features (from imageLocalFeatures). */
export function fitLocalFeatureDensity(features: Float32Array[], o: LocalFeatureDensityOptions): LocalFeatureDensity {
  const positions = o.grid * o.grid;
  const first = features[0];
  if (!first || first.length % positions !== 0) throw new RangeError(`fitLocalFeatureDensity: features do not hold ${positions} positions`);
  if (features.length < 2) throw new RangeError('fitLocalFeatureDensity: needs at least two images');
  const featureChannels = first.length / positions;
  const maxDims = o.maxDims ?? 224;
  const shrinkage = o.shrinkage ?? 0.01;
  let channels = Array.from({ length: featureChannels }, (_, i) => i);
  if (featureChannels > maxDims) {
    const rng = createRng(o.seed ?? 0);
    for (let i = channels.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [channels[i], channels[j]] = [channels[j]!, channels[i]!];
    }
    channels = channels.slice(0, maxDims).sort((a, b) => a - b);
  }
  const dims = channels.length;
  const mean = new Float32Array(positions * dims);
  const factor = new Float32Array(positions * packedSize(dims));
  for (let p = 0; p < positions; p++) {
    const vectors = features.map((f) => Float64Array.from(channels, (c) => f[p * featureChannels + c]!));
    const cov = covarianceMatrix(vectors, { shrinkage });
    // A flat channel (always 0 after a leaky ReLU) would make the shrunk covariance singular
    // only if every channel were flat; the tiny ridge covers that and rounding.
    let tr = 0;
    for (let i = 0; i < dims; i++) tr += cov.data[i * dims + i]!;
    for (let i = 0; i < dims; i++) cov.data[i * dims + i]! += 1e-6 * Math.max(tr / dims, 1e-6);
    const L = cholesky(cov);
    let k = p * packedSize(dims);
    for (let i = 0; i < dims; i++) for (let j = 0; j <= i; j++) factor[k++] = L.data[i * dims + j]!;
    for (const v of vectors) for (let i = 0; i < dims; i++) mean[p * dims + i]! += v[i]! / vectors.length;
  }
  return { grid: o.grid, featureChannels, channels, shrinkage, mean, factor };
}

/** Per image, the Mahalanobis distance at every grid position (grid * grid values, row-major). */
export function localFeatureDensityMaps(density: LocalFeatureDensity, features: Float32Array[]): Float32Array[] {
  const { grid, featureChannels, channels, mean, factor } = density;
  const positions = grid * grid;
  const dims = channels.length;
  const y = new Float64Array(dims);
  const packed = packedSize(dims);
  return features.map((f, n) => {
    if (f.length !== positions * featureChannels) {
      throw new RangeError(`localFeatureDensityMaps: image ${n} has ${f.length} feature values, the density needs ${positions * featureChannels}`);
    }
    const map = new Float32Array(positions);
    for (let p = 0; p < positions; p++) {
      // Forward substitution L y = x - mean: the squared distance is |y|^2.
      const row = p * featureChannels;
      const mu = p * dims;
      let k = p * packed;
      let d2 = 0;
      for (let i = 0; i < dims; i++) {
        let s = f[row + channels[i]!]! - mean[mu + i]!;
        for (let j = 0; j < i; j++, k++) s -= factor[k]! * y[j]!;
        const v = s / factor[k++]!;
        y[i] = v;
        d2 += v * v;
      }
      map[p] = Math.sqrt(d2);
    }
    return map;
  });
}

/**
 * A grid map upsampled bilinearly to size x size (cell centres at the centres of their pixel
 * blocks, edges clamped): a heat map over the input image.
 */
export function upsampleGridMap(map: Float32Array, grid: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const scale = grid / size;
  const axis = (v: number) => {
    const g = Math.min(grid - 1, Math.max(0, (v + 0.5) * scale - 0.5));
    const lo = Math.floor(g);
    return { lo, hi: Math.min(grid - 1, lo + 1), t: g - lo };
  };
  for (let r = 0; r < size; r++) {
    const a = axis(r);
    for (let c = 0; c < size; c++) {
      const b = axis(c);
      const top = map[a.lo * grid + b.lo]! * (1 - b.t) + map[a.lo * grid + b.hi]! * b.t;
      const bottom = map[a.hi * grid + b.lo]! * (1 - b.t) + map[a.hi * grid + b.hi]! * b.t;
      out[r * size + c] = top * (1 - a.t) + bottom * a.t;
    }
  }
  return out;
}

/** The local density's maps of images, upsampled to size x size heat maps. */
export function localDensityHeatMaps(density: LocalFeatureDensity, localFeatures: Float32Array[], size: number): Float32Array[] {
  return localFeatureDensityMaps(density, localFeatures).map((m) => upsampleGridMap(m, density.grid, size));
}
