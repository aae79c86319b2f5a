// Conv2DBackpropFilter for backends that lack it (wasm), as ONE forward convolution.
// Why one convolution: dW[kh,kw,ci,co] = sum_{n,i,j} xPad[n, i*sh+kh, j*sw+kw, ci] * dy[n,i,j,co]
// is itself a convolution of x (batch and channel axes swapped, so ci is the batch and n the
// channel) with dy (as a filter of size outH x outW), stride 1 and dilation equal to the forward
// stride. XNNPACK runs that as one packed GEMM; the im2col formulation (strided slices + concat +
// matMul) was measured several times slower (see PERFORMANCE-NOTES.md).
import * as tf from '@tensorflow/tfjs';
import { jsKernelsActive } from './js-kernel-io';
import { patchesTapMajor } from './patches-kernel';

export interface BackpropFilterArgs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * At most this many patch rows (kh * kw * input channels), the filter gradient is tap-major
 * patches times dy, one plain matMul. Why: with few input channels the dilated convolution
 * below is a tiny-output convolution over a huge "filter" (dy), mostly overhead: for a
 * 64x64x1 input, batch 16, 6.3 ms against 0.4 ms for the matMul (packages/ml/bench/
 * compare-backprop-filter.ts). With many channels the convolution is the faster one.
 */
export const PATCH_ROWS_MAX = 64;

/** How to compute the filter gradient: 'auto' picks by PATCH_ROWS_MAX (benchmarks force one). */
export type FilterGradMethod = 'auto' | 'dilated-conv' | 'patches';

/** Gradient of conv2d (NHWC) with respect to its filter, computed with ops the backend has. */
export function conv2dBackpropFilterViaConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  { strides, pad, dimRoundingMode, filterShape }: BackpropFilterArgs,
  method: FilterGradMethod = 'auto',
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const { top, left } = info.padInfo;
    const [kh, kw] = filterShape;
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const [, h, w, ci] = x.shape;
    const usePatches = method === 'patches' || (method === 'auto' && ci * kh * kw <= PATCH_ROWS_MAX && jsKernelsActive());
    if (usePatches) {
      const p = patchesTapMajor(x, { kh, kw, sh, sw, top, left, oh: info.outHeight, ow: info.outWidth });
      const co = dy.shape[3];
      return tf.reshape(tf.matMul(p, tf.reshape(dy, [-1, co])), [kh, kw, ci, co]) as tf.Tensor4D;
    }
    // Rows/columns the forward conv actually read; anything past them is ignored, anything
    // short of them is zero padding.
    const bottom = (info.outHeight - 1) * sh + kh - h - top;
    const right = (info.outWidth - 1) * sw + kw - w - left;
    let xt: tf.Tensor4D = tf.transpose(x, [3, 1, 2, 0]);
    if (bottom < 0 || right < 0) {
      xt = tf.slice(xt, [0, 0, 0, 0], [-1, h + Math.min(0, bottom), w + Math.min(0, right), -1]);
    }
    const filt = tf.transpose(dy, [1, 2, 0, 3]);
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0],
    ];
    const needsPad = top > 0 || left > 0 || bottom > 0 || right > 0;
    const out = tf.conv2d(xt, filt, 1, needsPad ? padding : 'valid', 'NHWC', [sh, sw]);
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}
