// Recomputes D's BatchNorm running statistics over a whole image set with D's final weights
// ("precise BatchNorm", Wu & Johnson 2021). Why: training keeps PyTorch's running averages
// (momentum 0.1), so at the end they describe the last ~10 batches of 16 images, seen by ten
// slightly different discriminators. Every feature score (featureDensity, localFeatureDensity,
// featureResidual) reads D in inference mode through those statistics; exact statistics of
// the final D over all training images remove that noise (docs/results/notebook.md, round 6).
import * as tf from '@tensorflow/tfjs';
import type { DiscriminatorWeights } from '../dcgan/dcgan-model';
import { discriminatorFeatureMaps } from './discriminator-features';
import type { PipelineImage } from './measure-images';

// Per channel count, mean and sum of squared deviations, merged batch by batch (Chan et al.)
// in float64 so that 500+ images of 16x16 positions lose no precision.
interface Moments { n: number; mean: Float64Array; m2: Float64Array }

function mergeMoments(acc: Moments | null, n: number, mean: Float32Array, variance: Float32Array): Moments {
  if (!acc) return { n, mean: Float64Array.from(mean), m2: Float64Array.from(variance, (v) => v * n) };
  const total = acc.n + n;
  for (let c = 0; c < mean.length; c++) {
    const delta = mean[c]! - acc.mean[c]!;
    acc.mean[c] = acc.mean[c]! + (delta * n) / total;
    acc.m2[c] = acc.m2[c]! + variance[c]! * n + (delta * delta * acc.n * n) / total;
  }
  acc.n = total;
  return acc;
}

function imageBatch(images: PipelineImage[]): tf.Tensor4D {
  const f = images[0]!;
  const all = new Float32Array(images.length * f.data.length);
  images.forEach((img, i) => all.set(img.data, i * f.data.length));
  return tf.tensor4d(all, [images.length, f.height, f.width, f.channels]);
}

// D up to block `k`'s convolution (before its BatchNorm): the convolution of the map block k
// reads, with the blocks before it in inference mode (their statistics already set).
function preNormalisation(d: DiscriminatorWeights, x: tf.Tensor4D, k: number): tf.Tensor4D {
  return tf.conv2d(discriminatorFeatureMaps(d, x)[k]!, d.blocks[k]!.filter as tf.Tensor4D, 2, 'same');
}

/**
 * Sets every BatchNorm's running mean and (unbiased) variance of D to the exact statistics of
 * `images` (HWC in [-1, 1]) under D's current weights, block by block so that each block sees
 * the statistics already set before it. Changes D's running statistics in place (nothing
 * else); leaves no tensors behind. Needs at least one image.
 */
export function setPreciseDiscriminatorStatistics(d: DiscriminatorWeights, images: PipelineImage[], batchSize = 64): void {
  if (images.length === 0) throw new RangeError('setPreciseDiscriminatorStatistics: needs at least one image');
  d.blocks.forEach((block, k) => {
    let acc: Moments | null = null;
    for (let b = 0; b < images.length; b += batchSize) {
      const [mean, variance, n] = tf.tidy(() => {
        const h = preNormalisation(d, imageBatch(images.slice(b, b + batchSize)), k);
        const m = tf.moments(h, [0, 1, 2]);
        return [m.mean.dataSync() as Float32Array, m.variance.dataSync() as Float32Array, h.size / h.shape[3]] as const;
      });
      acc = mergeMoments(acc, n, mean, variance);
    }
    const { n, mean, m2 } = acc!;
    tf.tidy(() => {
      block.bn.movingMean.assign(tf.tensor1d(Float32Array.from(mean)));
      block.bn.movingVar.assign(tf.tensor1d(Float32Array.from(m2, (s) => s / Math.max(1, n - 1))));
    });
  });
}
