// Discriminator features (inference mode, running BatchNorm statistics): D's last block,
// flattened, for AnoGAN's feature-matching residual and the featureDensity score, and every
// block's map for the local feature density.
import * as tf from '@tensorflow/tfjs';
import type { DiscriminatorWeights } from '../dcgan/dcgan-model';
import { BN_EPSILON } from '../dcgan/forward';

/**
 * Every block output of D in inference mode, finest first: the input convolution (size/2) and
 * each strided block down to 4x4. The local feature density reads the blocks; the last map is
 * what D's final layer reads.
 */
export function discriminatorFeatureMaps(d: DiscriminatorWeights, x: tf.Tensor4D): tf.Tensor4D[] {
  return tf.tidy(() => {
    let h = tf.leakyRelu(tf.add(tf.conv2d(x, d.inFilter as tf.Tensor4D, 2, 'same'), d.inBias), 0.2) as tf.Tensor4D;
    const maps = [h];
    for (const b of d.blocks) {
      h = tf.conv2d(h, b.filter as tf.Tensor4D, 2, 'same');
      const bn = b.bn;
      h = tf.leakyRelu(
        tf.batchNorm4d(h, bn.movingMean as tf.Tensor1D, bn.movingVar as tf.Tensor1D, bn.beta as tf.Tensor1D, bn.gamma as tf.Tensor1D, BN_EPSILON),
        0.2,
      );
      maps.push(h);
    }
    return maps;
  });
}

/** D's last feature map for images [N, H, W, C] in [-1, 1], flattened to [N, F]. */
export function discriminatorFeatures(d: DiscriminatorWeights, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const maps = discriminatorFeatureMaps(d, x);
    const h = maps[maps.length - 1]!;
    return tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  });
}

/** Mean |f(a) - f(b)| per image over D's features: the AnoGAN discrimination residual, [N]. */
export function featureResidual(d: DiscriminatorWeights, a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(discriminatorFeatures(d, a), discriminatorFeatures(d, b))), 1) as tf.Tensor1D);
}
