// Conv2DBackpropInput (the transposed convolution behind conv2dTranspose and behind every
// conv2d input gradient) as ONE forward convolution plus a pixel shuffle.
// Why: wasm's own Conv2DBackpropInput is a scalar loop outside XNNPACK and took ~70% of a
// DCGAN training step. Output pixel p = s*q + r (phase r) only meets filter taps k = s*j + r',
// so all s*s phases can be computed by one XNNPACK convolution over dy whose output channels
// are (phase, channel) pairs, followed by depthToSpace. For k4 s2 that is a 3x3 window.
import * as tf from '@tensorflow/tfjs';

export interface BackpropInputArgs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

interface AxisPlan {
  /** First dy offset (relative to q) the combined window reads. */
  lo: number;
  /** Window length. */
  len: number;
  /** tap[r][t]: filter index used by phase r at window position t, or -1. */
  tap: number[][];
}

function planAxis(k: number, s: number, padBefore: number): AxisPlan {
  const phases = Array.from({ length: s }, (_, r) => {
    const rp = (r + padBefore) % s;
    const c = Math.floor((r + padBefore) / s);
    const taps: { offset: number; k: number }[] = [];
    for (let j = 0; s * j + rp < k; j++) taps.push({ offset: c - j, k: s * j + rp });
    return taps;
  });
  const offsets = phases.flat().map((t) => t.offset);
  const lo = Math.min(...offsets);
  const len = Math.max(...offsets) - lo + 1;
  const tap = phases.map((taps) => {
    const row = new Array<number>(len).fill(-1);
    for (const t of taps) row[t.offset - lo] = t.k;
    return row;
  });
  return { lo, len, tap };
}

// One-hot selection matrix [lenH*lenW*sh*sw, kh*kw] that picks W[kh, kw] slices into the
// combined window (all-zero rows where a phase has no tap), cached per geometry.
// Why a matMul and not gather: wasm's GatherV2 is a scalar loop; an exact 0/1 GEMM is ~10x faster.
const selectionCache = new Map<string, Float32Array>();

function selectionMatrix(ph: AxisPlan, pw: AxisPlan, kh: number, kw: number, sh: number, sw: number): Float32Array {
  const key = `${JSON.stringify(ph)}|${JSON.stringify(pw)}|${kh}|${kw}`;
  let sel = selectionCache.get(key);
  if (!sel) {
    sel = new Float32Array(ph.len * pw.len * sh * sw * kh * kw);
    let i = 0;
    for (let th = 0; th < ph.len; th++) {
      for (let tw = 0; tw < pw.len; tw++) {
        for (let rh = 0; rh < sh; rh++) {
          for (let rw = 0; rw < sw; rw++) {
            const a = ph.tap[rh]![th]!;
            const b = pw.tap[rw]![tw]!;
            if (a >= 0 && b >= 0) sel[i * kh * kw + a * kw + b] = 1;
            i++;
          }
        }
      }
    }
    selectionCache.set(key, sel);
  }
  return sel;
}

/** Gradient of conv2d (NHWC) with respect to its input, computed by one forward convolution. */
export function conv2dBackpropInputViaConv(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  { strides, pad, dimRoundingMode, inputShape }: BackpropInputArgs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cx, cy] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const [n, h, w] = inputShape;
    const ph = planAxis(kh, sh, info.padInfo.top);
    const pw = planAxis(kw, sw, info.padInfo.left);
    const qh = Math.ceil(h / sh);
    const qw = Math.ceil(w / sw);
    // Combined filter [lenH, lenW, cy, sh*sw*cx].
    const rows = ph.len * pw.len * sh * sw;
    const sel = tf.tensor2d(selectionMatrix(ph, pw, kh, kw, sh, sw), [rows, kh * kw]);
    const taps = tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, cy * cx]);
    const gathered = tf.reshape(tf.matMul(sel, taps), [ph.len, pw.len, sh, sw, cy, cx]);
    const wc = tf.reshape(tf.transpose(gathered, [0, 1, 4, 2, 3, 5]), [ph.len, pw.len, cy, sh * sw * cx]) as tf.Tensor4D;
    // Window for q starts at dy[q + lo]; pad (or crop) dy so a 'valid' conv yields qh x qw.
    const [, oh, ow] = dy.shape;
    const top = -ph.lo;
    const left = -pw.lo;
    const bottom = qh - 1 + ph.lo + ph.len - 1 - (oh - 1);
    const right = qw - 1 + pw.lo + pw.len - 1 - (ow - 1);
    let src: tf.Tensor4D = dy;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      const r0 = Math.max(0, -top);
      const c0 = Math.max(0, -left);
      src = tf.slice(src, [0, r0, c0, 0], [-1, oh - r0 - Math.max(0, -bottom), ow - c0 - Math.max(0, -right), -1]);
    }
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0],
    ];
    const anyPad = padding.some(([a, b]) => a > 0 || b > 0);
    const phasesOut = tf.conv2d(src, wc, 1, anyPad ? padding : 'valid');
    let dx = phasesOut;
    if (sh > 1 || sw > 1) {
      // Pixel shuffle as one rank-4 transpose: wasm's DepthToSpace is a slow scalar loop.
      // [n*qh, qw, (rh), (rw, c)] -> [n*qh, rh, qw, (rw, c)] is row 2q+rh, column 2q'+rw.
      const t = tf.transpose(tf.reshape(phasesOut, [n * qh, qw, sh, sw * cx]), [0, 2, 1, 3]);
      dx = tf.reshape(t, [n, qh * sh, qw * sw, cx]);
    }
    return qh * sh === h && qw * sw === w ? dx : tf.slice(dx, [0, 0, 0, 0], [n, h, w, cx]);
  });
}
