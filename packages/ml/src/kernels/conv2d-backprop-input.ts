// Conv2DBackpropInput (the transposed convolution behind conv2dTranspose and behind every
// conv2d input gradient) as s*s small forward convolutions plus one pixel shuffle.
// Why: wasm's own Conv2DBackpropInput is a scalar loop outside XNNPACK and took ~70% of a
// DCGAN training step. Output pixel p = s*q + r (phase r) only meets filter taps
// k = s*j + r', so each phase is an ordinary stride-1 convolution of dy with a sub-filter
// (2x2 for k4 s2) that XNNPACK runs; the phases are then interleaved by one transpose.
// With few output channels (cx < 8, e.g. the generator's last layer) XNNPACK runs those small
// convolutions poorly, so all phases go into ONE convolution over the union window (3x3 for
// k4 s2, 2.25x the FLOPs) with s*s*cx output channels: measured 4x faster for cx = 1, and
// 1.3-2x slower than the split for cx >= 16 (PERFORMANCE-NOTES.md).
import * as tf from '@tensorflow/tfjs';
import { jsKernelsActive } from './js-kernel-io';
import { phaseFiltersKernel } from './phase-filters-kernel';
import { interleavePhases } from './interleave-phases-kernel';

export interface BackpropInputArgs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

interface PhasePlan {
  /** dy offset (relative to q) of the window's first element. */
  lo: number;
  /** Filter index per window position (window order). */
  taps: number[];
}

/** Geometry of a transposed convolution split into stride phases. */
export interface TransposedConvPlan {
  inputShape: [number, number, number, number];
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  qh: number;
  qw: number;
  rows: PhasePlan[];
  cols: PhasePlan[];
  /** 'phased': one convolution per phase; 'combined': one over the union window. */
  mode: 'phased' | 'combined';
}

/** Output channels below which the single combined convolution wins. */
export const COMBINED_BELOW_CHANNELS = 8;

function planAxis(k: number, s: number, padBefore: number): PhasePlan[] {
  return Array.from({ length: s }, (_, r) => {
    const rp = (r + padBefore) % s;
    const c = Math.floor((r + padBefore) / s);
    let count = 0;
    while (s * count + rp < k) count++;
    // Window position t reads dy[q + lo + t] with tap j = count - 1 - t.
    const taps = Array.from({ length: count }, (_, t) => s * (count - 1 - t) + rp);
    return { lo: c - count + 1, taps };
  });
}

/** Plans the phase decomposition for conv2d input-gradient geometry (NHWC, filter [kh, kw, cx, cy]). */
export function planTransposedConv(
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: BackpropInputArgs['pad'],
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): TransposedConvPlan {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [kh, kw] = filterShape;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  return {
    inputShape, kh, kw, sh, sw,
    qh: Math.ceil(inputShape[1] / sh), qw: Math.ceil(inputShape[2] / sw),
    rows: planAxis(kh, sh, info.padInfo.top), cols: planAxis(kw, sw, info.padInfo.left),
    mode: filterShape[2] < COMBINED_BELOW_CHANNELS && sh * sw > 1 ? 'combined' : 'phased',
  };
}

// The union of all phases' windows along one axis, as one PhasePlan per phase padded with -1.
function unionAxis(phases: PhasePlan[]): PhasePlan[] {
  const lo = Math.min(...phases.map((p) => p.lo));
  const hi = Math.max(...phases.map((p) => p.lo + p.taps.length - 1));
  return phases.map((p) => ({
    lo,
    taps: Array.from({ length: hi - lo + 1 }, (_, t) => {
      const j = t + lo - p.lo;
      return j >= 0 && j < p.taps.length ? p.taps[j]! : -1;
    }),
  }));
}

/**
 * Sub-filters [Jh, Jw, cy, cx] per phase (row-major over (rh, rw)); null where a phase has no tap.
 * One JS pass where the backend allows (phase-filters-kernel.ts); otherwise an exact 0/1 matMul
 * per phase (a permutation of the taps): wasm's gather is a scalar loop.
 */
export function phaseFilters(filter: tf.Tensor4D, plan: TransposedConvPlan): (tf.Tensor4D | null)[] {
  if (plan.mode === 'combined') return [combinedFilter(filter, plan)];
  if (jsKernelsActive()) {
    const made = phaseFiltersKernel(filter, { rows: plan.rows.map((r) => r.taps), cols: plan.cols.map((c) => c.taps) });
    let next = 0;
    return plan.rows.flatMap((r) => plan.cols.map((c) => (r.taps.length * c.taps.length > 0 ? made[next++]! : null)));
  }
  return tf.tidy((): tf.TensorContainer => {
    const [kh, kw, cx, cy] = filter.shape;
    const taps = tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, cy * cx]);
    const filters: (tf.Tensor4D | null)[] = [];
    for (const r of plan.rows) {
      for (const c of plan.cols) {
        const jh = r.taps.length;
        const jw = c.taps.length;
        if (jh * jw === 0) {
          filters.push(null);
          continue;
        }
        // One small selection matMul per phase: slicing one shared product was a slow copy on wasm.
        const sel = new Float32Array(jh * jw * kh * kw);
        let i = 0;
        for (const a of r.taps) for (const b of c.taps) sel[i++ * kh * kw + a * kw + b] = 1;
        filters.push(tf.reshape(tf.matMul(tf.tensor2d(sel, [jh * jw, kh * kw]), taps), [jh, jw, cy, cx]) as tf.Tensor4D);
      }
    }
    return filters as tf.TensorContainer;
  }) as (tf.Tensor4D | null)[];
}

// One filter [Lh, Lw, cy, sh*sw*cx] over the union window; output channel (rh, rw, c).
function combinedFilter(filter: tf.Tensor4D, plan: TransposedConvPlan): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cx, cy] = filter.shape;
    const rows = unionAxis(plan.rows);
    const cols = unionAxis(plan.cols);
    const lh = rows[0]!.taps.length;
    const lw = cols[0]!.taps.length;
    const sel = new Float32Array(lh * lw * plan.sh * plan.sw * kh * kw);
    let i = 0;
    for (let th = 0; th < lh; th++) {
      for (let tw = 0; tw < lw; tw++) {
        for (const r of rows) {
          for (const c of cols) {
            const a = r.taps[th]!;
            const b = c.taps[tw]!;
            if (a >= 0 && b >= 0) sel[i * kh * kw + a * kw + b] = 1;
            i++;
          }
        }
      }
    }
    const taps = tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, cy * cx]);
    const picked = tf.reshape(tf.matMul(tf.tensor2d(sel, [i, kh * kw]), taps), [lh, lw, plan.sh * plan.sw, cy, cx]);
    return tf.reshape(tf.transpose(picked, [0, 1, 3, 2, 4]), [lh, lw, cy, plan.sh * plan.sw * cx]) as tf.Tensor4D;
  });
}

/** Optional bias (per filter, matching its output channels) and activation fused into the convolutions. */
export interface FusedEpilogue {
  biases: tf.Tensor1D[];
  activation: 'linear' | 'relu';
}

// Convolves dy for one phase: pads (or crops) so a 'valid' window yields exactly q x q'.
function phaseConv(
  dy: tf.Tensor4D, f: tf.Tensor4D, r: PhasePlan, c: PhasePlan, qh: number, qw: number,
  bias?: tf.Tensor1D, activation: FusedEpilogue['activation'] = 'linear',
): tf.Tensor4D {
  const [, oh, ow] = dy.shape;
  const top = -r.lo;
  const left = -c.lo;
  const bottom = qh - 1 + r.lo + r.taps.length - 1 - (oh - 1);
  const right = qw - 1 + c.lo + c.taps.length - 1 - (ow - 1);
  let src = dy;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const r0 = Math.max(0, -top);
    const c0 = Math.max(0, -left);
    src = tf.slice(dy, [0, r0, c0, 0], [-1, oh - r0 - Math.max(0, -bottom), ow - c0 - Math.max(0, -right), -1]);
  }
  const padding: tf.backend_util.ExplicitPadding = [
    [0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0],
  ];
  const anyPad = padding.some(([a, b]) => a > 0 || b > 0);
  if (bias) return tf.fused.conv2d({ x: src, filter: f, strides: 1, pad: anyPad ? padding : 'valid', bias, activation });
  return tf.conv2d(src, f, 1, anyPad ? padding : 'valid');
}

/** The transposed convolution from precomputed phase filters: [n, h, w, cx] (n taken from dy). */
export function applyTransposedConv(
  dy: tf.Tensor4D, filters: (tf.Tensor4D | null)[], plan: TransposedConvPlan, epilogue?: FusedEpilogue,
): tf.Tensor4D {
  return tf.tidy(() => {
    const n = dy.shape[0];
    const [, h, w, cx] = plan.inputShape;
    const { qh, qw, sh, sw } = plan;
    let dx: tf.Tensor4D;
    if (plan.mode === 'combined') {
      dx = phaseConv(dy, filters[0]!, unionAxis(plan.rows)[0]!, unionAxis(plan.cols)[0]!, qh, qw, epilogue?.biases[0], epilogue?.activation);
    } else {
      const outs: tf.Tensor4D[] = [];
      plan.rows.forEach((r, i) => plan.cols.forEach((c, j) => {
        const f = filters[i * sw + j];
        const bias = epilogue?.biases[i * sw + j];
        if (f) outs.push(phaseConv(dy, f, r, c, qh, qw, bias, epilogue?.activation));
        else outs.push(bias ? tf.broadcastTo(epilogue!.activation === 'relu' ? tf.relu(bias) : bias, [n, qh, qw, cx]) : tf.zeros([n, qh, qw, cx]));
      }));
      if (outs.length > 1 && jsKernelsActive()) return interleavePhases(outs, sh, sw, h, w);
      dx = outs.length === 1 ? outs[0]! : tf.concat(outs, 3);
    }
    if (sh > 1 || sw > 1) {
      // Pixel shuffle as one rank-4 transpose (wasm's DepthToSpace is a slow scalar loop):
      // [n*qh, qw, (rh), (rw, c)] -> [n*qh, rh, qw, (rw, c)] puts phase (rh, rw) at (s*q+rh, s*q'+rw).
      const t = tf.transpose(tf.reshape(dx, [n * qh, qw, sh, sw * cx]), [0, 2, 1, 3]);
      dx = tf.reshape(t, [n, qh * sh, qw * sw, cx]);
    }
    return qh * sh === h && qw * sw === w ? dx : tf.slice(dx, [0, 0, 0, 0], [n, h, w, cx]);
  });
}

/** Gradient of conv2d (NHWC) with respect to its input, computed with forward convolutions. */
export function conv2dBackpropInputViaConv(dy: tf.Tensor4D, filter: tf.Tensor4D, args: BackpropInputArgs): tf.Tensor4D {
  return tf.tidy(() => {
    const plan = planTransposedConv(args.inputShape, filter.shape, args.strides, args.pad, args.dimRoundingMode);
    return applyTransposedConv(dy, phaseFilters(filter, plan), plan);
  });
}
