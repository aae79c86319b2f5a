// A grid picture of generated samples for progress reports.
import * as tf from '@tensorflow/tfjs';
import type { GeneratorWeights } from './dcgan-model';
import { generatorForward } from './forward';

/** Tiles images [N, H, W, C] in [-1, 1] into one [rows*H, cols*W, C] picture in [0, 1]. */
export function tileImages(images: tf.Tensor4D, cols = Math.ceil(Math.sqrt(images.shape[0]))): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    const rows = Math.ceil(n / cols);
    const padded = rows * cols > n ? tf.concat([images, tf.fill([rows * cols - n, h, w, c], -1)]) : images;
    const grid = tf.reshape(tf.transpose(tf.reshape(padded, [rows, cols, h, w, c]), [0, 2, 1, 3, 4]), [rows * h, cols * w, c]);
    return tf.clipByValue(tf.div(tf.add(grid, 1), 2), 0, 1) as tf.Tensor3D;
  });
}

/** G(z) in inference mode (running BatchNorm statistics) as a grid picture in [0, 1]. */
export function sampleGrid(g: GeneratorWeights, z: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => tileImages(generatorForward(g, z, false)));
}
