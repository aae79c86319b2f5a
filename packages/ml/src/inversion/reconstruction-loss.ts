// Reconstruction losses between images, per image: plain L1 and the Laplacian-pyramid L1 of
// the peer (5x5 binomial kernel, reflect padding, downsample by 2 after each blur).
import * as tf from '@tensorflow/tfjs';

export type ReconstructionLoss = 'lap1' | 'l1';

const BINOMIAL = [1, 4, 6, 4, 1].map((v) => v / 16);

// Reflect-padded 5-tap binomial blur along one axis of length n as an [n or ceil(n/2), n]
// matrix (every `step`-th output row). Why matrices: blur with reflect padding and the
// subsampling are linear and separable, so one pyramid level is two small batched matMuls
// whose gradients are exact (tfjs' MirrorPad gradient drops the reflected border terms) and
// which run as GEMMs instead of single-channel 5x5 convolutions.
interface BlurMatrix {
  /** [rows, n] */
  m: tf.Tensor2D;
  /** [n, rows]: kept as well, so neither pass needs a transposed matMul (slow on wasm). */
  mT: tf.Tensor2D;
}

const blurCache = new Map<string, BlurMatrix>();

function blurMatrix(n: number, step: 1 | 2): BlurMatrix {
  const key = `${n}/${step}`;
  let m = blurCache.get(key);
  if (!m || m.m.isDisposed) {
    if (n < 3) throw new RangeError(`image side ${n} too small for a 5x5 reflect-padded blur`);
    const rows = Math.ceil(n / step);
    const data = new Float32Array(rows * n);
    const reflect = (i: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
    for (let r = 0; r < rows; r++) {
      for (let u = -2; u <= 2; u++) data[r * n + reflect(r * step + u)]! += BINOMIAL[u + 2]!;
    }
    // A cached constant shared by every call, kept outside any tidy on purpose.
    const mat = tf.keep(tf.tensor2d(data, [rows, n]));
    m = { m: mat, mT: tf.keep(tf.transpose(mat)) };
    blurCache.set(key, m);
  }
  return m;
}

// Multiplies the last axis by m^T and swaps the last two axes: [k, h, w] -> [k, w', h].
// Only plain 2-D, untransposed matMuls against constant matrices (wasm runs those as XNNPACK
// fully-connected with the matrix packed once; its transposed and batched paths are scalar
// loops), so the gradient is written out with the pre-transposed matrix too.
function blurLastAxisAndSwap(d: tf.Tensor3D, b: BlurMatrix): tf.Tensor3D {
  const [k, h, w] = d.shape;
  const rows = b.m.shape[0];
  const op = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    const y = tf.reshape(tf.matMul(tf.reshape(x, [k * h, w]), b.mT), [k, h, rows]);
    return {
      value: tf.transpose(y, [0, 2, 1]),
      gradFunc: (dy: tf.Tensor) => tf.reshape(tf.matMul(tf.reshape(tf.transpose(dy, [0, 2, 1]), [k * h, rows]), b.m), [k, h, w]),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(d) as tf.Tensor3D;
}

// R @ d @ C^T for d [k, h, w], with R [h', h] and C [w', w].
function separable(d: tf.Tensor3D, r: BlurMatrix, c: BlurMatrix): tf.Tensor3D {
  return blurLastAxisAndSwap(blurLastAxisAndSwap(d, c), r);
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
    let d4 = tf.sub(a, b) as tf.Tensor4D;
    // Channels become batch entries so each is blurred separately.
    if (c > 1) d4 = tf.transpose(d4, [0, 3, 1, 2]);
    let d = tf.reshape(d4, [n * c, h, w]) as tf.Tensor3D;
    let total: tf.Tensor | undefined;
    const add = (t: tf.Tensor) => {
      const perImage = tf.mean(tf.reshape(tf.abs(t), [n, -1]), 1);
      total = total ? tf.add(total, perImage) : perImage;
    };
    for (let level = 0; level < levels - 1; level++) {
      const [, hh, ww] = d.shape;
      add(tf.sub(d, separable(d, blurMatrix(hh, 1), blurMatrix(ww, 1))));
      // blur(d)[::2, ::2] directly: the blur matrices evaluated at every second row.
      d = separable(d, blurMatrix(hh, 2), blurMatrix(ww, 2));
    }
    add(d);
    return total as tf.Tensor1D;
  });
}

/** The selected loss per image: [N]. */
export function reconstructionLossPerImage(a: tf.Tensor4D, b: tf.Tensor4D, loss: ReconstructionLoss, levels = 4): tf.Tensor1D {
  return loss === 'lap1' ? laplacianL1PerImage(a, b, levels) : l1PerImage(a, b);
}
