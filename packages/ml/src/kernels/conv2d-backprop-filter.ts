// Conv2DBackpropFilter for backends that lack it (wasm), as ONE forward convolution.
// Why one convolution: dW[kh,kw,ci,co] = sum_{n,i,j} xPad[n, i*sh+kh, j*sw+kw, ci] * dy[n,i,j,co]
// is itself a convolution of x (batch and channel axes swapped, so ci is the batch and n the
// channel) with dy (as a filter of size outH x outW), stride 1 and dilation equal to the forward
// stride. XNNPACK runs that as one packed GEMM; the im2col formulation (strided slices + concat +
// matMul) was measured several times slower (see PERFORMANCE-NOTES.md).
import * as tf from '@tensorflow/tfjs';

export interface BackpropFilterArgs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Gradient of conv2d (NHWC) with respect to its filter, computed with ops the backend has. */
export function conv2dBackpropFilterViaConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  { strides, pad, dimRoundingMode, filterShape }: BackpropFilterArgs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const { top, left } = info.padInfo;
    const [kh, kw] = filterShape;
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const [, h, w] = x.shape;
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
