// Reconstruction losses between images, per image: plain L1 and the Laplacian-pyramid L1 of
// the peer (5x5 binomial kernel, reflect padding, downsample by 2 after each blur).
import * as tf from '@tensorflow/tfjs';

export type ReconstructionLoss = 'lap1' | 'l1';

const BINOMIAL = [1, 4, 6, 4, 1].map((v) => v / 16);
let kernel: tf.Tensor4D | undefined;

// The 5x5 kernel is a constant shared by every call; kept outside any tidy on purpose.
function blurKernel(): tf.Tensor4D {
  if (!kernel || kernel.isDisposed) {
    const k = new Float32Array(25);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) k[i * 5 + j] = BINOMIAL[i]! * BINOMIAL[j]!;
    kernel = tf.keep(tf.tensor4d(k, [5, 5, 1, 1]));
  }
  return kernel;
}

/** Mean |a - b| per image: [N]. */
export function l1PerImage(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b)), [1, 2, 3]) as tf.Tensor1D);
}

/**
 * Laplacian-pyramid L1 per image: [N], equal to the peer's laplacian_l1 for one image.
 * Why one pyramid: blurring and subsampling are linear, so the pyramid of a - b equals the
 * difference of the two pyramids; this halves the work and needs no cached target pyramid.
 */
export function laplacianL1PerImage(a: tf.Tensor4D, b: tf.Tensor4D, levels = 4): tf.Tensor1D {
  if (!(Number.isInteger(levels) && levels >= 1)) throw new RangeError(`levels must be an integer >= 1, got ${levels}`);
  return tf.tidy(() => {
    const [n, h, w, c] = a.shape;
    let d = tf.sub(a, b) as tf.Tensor4D;
    // Channels become batch entries so one single-channel kernel blurs each separately.
    if (c > 1) d = tf.reshape(tf.transpose(d, [0, 3, 1, 2]), [n * c, h, w, 1]);
    const k = blurKernel();
    let total: tf.Tensor | undefined;
    const add = (t: tf.Tensor) => {
      const perImage = tf.mean(tf.reshape(tf.abs(t), [n, -1]), 1);
      total = total ? tf.add(total, perImage) : perImage;
    };
    for (let level = 0; level < levels - 1; level++) {
      const padded = tf.mirrorPad(d, [[0, 0], [2, 2], [2, 2], [0, 0]], 'reflect');
      add(tf.sub(d, tf.conv2d(padded, k, 1, 'valid')));
      // blur(d)[::2, ::2] is the same blur evaluated at stride 2.
      d = tf.conv2d(padded, k, 2, 'valid');
    }
    add(d);
    return total as tf.Tensor1D;
  });
}

/** The selected loss per image: [N]. */
export function reconstructionLossPerImage(a: tf.Tensor4D, b: tf.Tensor4D, loss: ReconstructionLoss, levels = 4): tf.Tensor1D {
  return loss === 'lap1' ? laplacianL1PerImage(a, b, levels) : l1PerImage(a, b);
}
