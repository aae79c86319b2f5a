// Training-mode BatchNorm fused with its activation, and bias + activation, as JS kernels with
// hand-written gradients (see js-kernel-io.ts for why JS). One call replaces the ~10 forward
// and ~15 backward tf ops of the composed version (mean, centring, variance, rsqrt, scale,
// shift, activation, and each one's gradient); the forward makes two passes over the
// activations and the backward two.
// Activation: y = p for p > 0, alpha * p otherwise (alpha 0 = ReLU, 0.2 = DCGAN's LeakyReLU,
// 1 = none). Since alpha >= 0, y > 0 exactly when p > 0, so the backward reads the mask off y.
// The passes run as WebAssembly SIMD (simd/) where the runtime has it, else as the plain JS
// loops below, which are also the reference the SIMD loops are tested against.
import * as tf from '@tensorflow/tfjs';
import { jsKernelRegistration, kernelArrays } from './js-kernel-io';
import type { ActivationLoops } from './simd/loop-contracts';
import { simdActivationLoops } from './simd/simd-loops';
import { kernelSettings, SIMD_MAX_BYTES } from './kernel-settings';

const BN_ACT = 'GansightBatchNormAct';
const BN_ACT_GRAD = 'GansightBatchNormActGrad';
const BIAS_ACT = 'GansightBiasAct';
const BIAS_ACT_GRAD = 'GansightBiasActGrad';

interface ActAttrs { alpha: number; epsilon: number }

// Loop shapes matter in plain JS (measured on 16x32x32x32): a branch on the sign mispredicts
// half the time (6 ms a pass), so the activation is a multiply by (alpha + (1 - alpha) * [p > 0]);
// element-wise passes run flat with a channel counter (1.3 ms), and per-channel sums run
// channel-group-wise with local accumulators (0.5 ms vs 1.4 ms through an array of sums).

// Per-channel sums of v and v * v (or of v and v * w) for channels k..k+3, strided by c.
function channelSums(x: Float32Array, c: number, s: Float64Array, q: Float64Array): void {
  if (c % 4 !== 0) {
    for (let i = 0, k = 0; i < x.length; i++) {
      const v = x[i]!;
      s[k]! += v;
      q[k]! += v * v;
      if (++k === c) k = 0;
    }
    return;
  }
  for (let k = 0; k < c; k += 4) {
    let s0 = s[k]!, s1 = s[k + 1]!, s2 = s[k + 2]!, s3 = s[k + 3]!, q0 = q[k]!, q1 = q[k + 1]!, q2 = q[k + 2]!, q3 = q[k + 3]!;
    for (let i = k; i < x.length; i += c) {
      const a = x[i]!, b = x[i + 1]!, d = x[i + 2]!, e = x[i + 3]!;
      s0 += a; s1 += b; s2 += d; s3 += e;
      q0 += a * a; q1 += b * b; q2 += d * d; q3 += e * e;
    }
    s[k] = s0; s[k + 1] = s1; s[k + 2] = s2; s[k + 3] = s3;
    q[k] = q0; q[k + 1] = q1; q[k + 2] = q2; q[k + 3] = q3;
  }
}

// Per-channel sums of d and d * x where d = dy * act'(y), i.e. dy scaled by 1 or alpha.
function gradSums(dy: Float32Array, y: Float32Array, x: Float32Array | null, alpha: number, c: number, sd: Float64Array, sdx: Float64Array): void {
  const b = 1 - alpha;
  if (c % 4 !== 0 || x === null) {
    for (let i = 0, k = 0; i < dy.length; i++) {
      const d = dy[i]! * (alpha + b * +(y[i]! > 0));
      sd[k]! += d;
      if (x) sdx[k]! += d * x[i]!;
      if (++k === c) k = 0;
    }
    return;
  }
  for (let k = 0; k < c; k += 4) {
    let s0 = sd[k]!, s1 = sd[k + 1]!, s2 = sd[k + 2]!, s3 = sd[k + 3]!, q0 = sdx[k]!, q1 = sdx[k + 1]!, q2 = sdx[k + 2]!, q3 = sdx[k + 3]!;
    for (let i = k; i < dy.length; i += c) {
      const d0 = dy[i]! * (alpha + b * +(y[i]! > 0));
      const d1 = dy[i + 1]! * (alpha + b * +(y[i + 1]! > 0));
      const d2 = dy[i + 2]! * (alpha + b * +(y[i + 2]! > 0));
      const d3 = dy[i + 3]! * (alpha + b * +(y[i + 3]! > 0));
      s0 += d0; s1 += d1; s2 += d2; s3 += d3;
      q0 += d0 * x[i]!; q1 += d1 * x[i + 1]!; q2 += d2 * x[i + 2]!; q3 += d3 * x[i + 3]!;
    }
    sd[k] = s0; sd[k + 1] = s1; sd[k + 2] = s2; sd[k + 3] = s3;
    sdx[k] = q0; sdx[k + 1] = q1; sdx[k + 2] = q2; sdx[k + 3] = q3;
  }
}

// y = act(x * scale + shift), per channel.
function affineAct(x: Float32Array, scale: Float32Array, shift: Float32Array, alpha: number, y: Float32Array): void {
  const c = scale.length;
  const b = 1 - alpha;
  for (let i = 0, k = 0; i < x.length; i++) {
    const p = x[i]! * scale[k]! + shift[k]!;
    y[i] = p * (alpha + b * +(p > 0));
    if (++k === c) k = 0;
  }
}

// The backward's second pass: dx = ca * d + cb - cc * x per channel, d = dy * act'(y).
function bnGradDx(dy: Float32Array, y: Float32Array, x: Float32Array, ca: Float32Array, cb: Float32Array, cc: Float32Array, alpha: number, dx: Float32Array): void {
  const c = ca.length;
  const b = 1 - alpha;
  for (let i = 0, k = 0; i < x.length; i++) {
    const d = dy[i]! * (alpha + b * +(y[i]! > 0));
    dx[i] = ca[k]! * d + cb[k]! - cc[k]! * x[i]!;
    if (++k === c) k = 0;
  }
}

function biasActForward(x: Float32Array, bias: Float32Array, alpha: number, y: Float32Array): void {
  affineAct(x, new Float32Array(bias.length).fill(1), bias, alpha, y);
}

function biasActBackward(dy: Float32Array, y: Float32Array, alpha: number, dx: Float32Array, dbias: Float32Array): void {
  const c = dbias.length;
  const b = 1 - alpha;
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * (alpha + b * +(y[i]! > 0));
  const s = new Float64Array(c);
  channelSums(dx, c, s, new Float64Array(c));
  for (let k = 0; k < c; k++) dbias[k] = s[k]!;
}

/** The plain JS loops: the fallback without WebAssembly SIMD, and the SIMD loops' reference. */
export const jsActivationLoops: ActivationLoops = {
  stage: (a) => a,
  release: () => {},
  channelSums, gradSums, affineAct, bnGradDx, biasActForward, biasActBackward,
};

/**
 * The loops a call over `n` values runs: SIMD when available and switched on, unless the call
 * would stage more than SIMD_MAX_BYTES (up to four arrays of n floats).
 */
function loopsFor(n: number): ActivationLoops {
  return simdActivationLoops && kernelSettings().simd && n * 16 <= SIMD_MAX_BYTES ? simdActivationLoops : jsActivationLoops;
}

// Forward: per-channel batch mean and (biased) variance, then y = act((x - mean) * gamma /
// sqrt(var + eps) + beta). Sums run in doubles, so the one-pass variance loses nothing that
// matters for float32 activations.
function bnActForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, a: ActAttrs, y: Float32Array, mean: Float32Array, variance: Float32Array): void {
  const c = gamma.length;
  const m = x.length / c;
  const s = new Float64Array(c);
  const q = new Float64Array(c);
  const loops = loopsFor(x.length);
  try {
    // Staged once for both passes (the SIMD loops copy it into their memory once).
    const xs = loops.stage(x);
    loops.channelSums(xs, c, s, q);
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const mu = s[k]! / m;
      const v = Math.max(0, q[k]! / m - mu * mu);
      mean[k] = mu;
      variance[k] = v;
      scale[k] = gamma[k]! / Math.sqrt(v + a.epsilon);
      shift[k] = beta[k]! - mu * scale[k]!;
    }
    loops.affineAct(xs, scale, shift, a.alpha, y);
  } finally {
    loops.release();
  }
}

// Backward: d = dy * act'(p); dbeta = sum d; dgamma = sum d * xhat;
// dx = gamma * invStd * (d - dbeta / m - xhat * dgamma / m), i.e. per channel dx = A d + B - C x.
function bnActBackward(
  dy: Float32Array, x: Float32Array, y: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array, a: ActAttrs,
  dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
): void {
  const c = gamma.length;
  const m = x.length / c;
  const sd = new Float64Array(c);
  const sdx = new Float64Array(c);
  const loops = loopsFor(x.length);
  try {
    const [dys, xs, ys] = [loops.stage(dy), loops.stage(x), loops.stage(y)] as [Float32Array, Float32Array, Float32Array];
    loops.gradSums(dys, ys, xs, a.alpha, c, sd, sdx);
    const ca = new Float32Array(c);
    const cb = new Float32Array(c);
    const cc = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const inv = 1 / Math.sqrt(variance[k]! + a.epsilon);
      const mu = mean[k]!;
      const sCentred = sdx[k]! - mu * sd[k]!; // sum d * (x - mean)
      dbeta[k] = sd[k]!;
      dgamma[k] = sCentred * inv;
      const k1 = gamma[k]! * inv;
      const k3 = (sCentred * inv * inv) / m;
      ca[k] = k1;
      cc[k] = k1 * k3;
      cb[k] = -k1 * (sd[k]! / m) + k1 * k3 * mu;
    }
    loops.bnGradDx(dys, ys, xs, ca, cb, cc, a.alpha, dx);
  } finally {
    loops.release();
  }
}

/** Registers the kernels for wasm and cpu and their gradients (idempotent). */
export const registerActivationKernels = jsKernelRegistration(
  {
    [BN_ACT]: (backendName, { inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      const c = gamma!.shape[0]!;
      const io = kernelArrays(backendName, backend, [x!, gamma!, beta!], [x!.shape, [c], [c]]);
      const [xv, g, b] = io.inputs as [Float32Array, Float32Array, Float32Array];
      bnActForward(xv, g, b, attrs as unknown as ActAttrs, io.outputs[0]!, io.outputs[1]!, io.outputs[2]!);
      return io.infos;
    },
    [BN_ACT_GRAD]: (backendName, { inputs, backend, attrs }) => {
      const { dy, x, y, gamma, mean, variance } = inputs as Record<string, tf.TensorInfo>;
      const c = gamma!.shape[0]!;
      const io = kernelArrays(backendName, backend, [dy!, x!, y!, gamma!, mean!, variance!], [x!.shape, [c], [c]]);
      const [d, xv, yv, g, mu, v] = io.inputs as Float32Array[];
      bnActBackward(d!, xv!, yv!, g!, mu!, v!, attrs as unknown as ActAttrs, io.outputs[0]!, io.outputs[1]!, io.outputs[2]!);
      return io.infos;
    },
    [BIAS_ACT]: (backendName, { inputs, backend, attrs }) => {
      const { x, bias } = inputs as Record<string, tf.TensorInfo>;
      const io = kernelArrays(backendName, backend, [x!, bias!], [x!.shape]);
      loopsFor(io.inputs[0]!.length).biasActForward(io.inputs[0]!, io.inputs[1]!, (attrs as unknown as ActAttrs).alpha, io.outputs[0]!);
      return io.infos[0]!;
    },
    [BIAS_ACT_GRAD]: (backendName, { inputs, backend, attrs }) => {
      const { dy, y } = inputs as Record<string, tf.TensorInfo>;
      const c = y!.shape[y!.shape.length - 1]!;
      const io = kernelArrays(backendName, backend, [dy!, y!], [y!.shape, [c]]);
      loopsFor(io.inputs[0]!.length).biasActBackward(io.inputs[0]!, io.inputs[1]!, (attrs as unknown as ActAttrs).alpha, io.outputs[0]!, io.outputs[1]!);
      return io.infos;
    },
  },
  () => {
    // The batch statistics (outputs 1 and 2) carry no gradient: callers use them only for the
    // running averages. The gradient kernel runs once per backward pass, not once per input.
    tf.registerGradient({
      kernelName: BN_ACT, inputsToSave: ['x', 'gamma'], outputsToSave: [true, true, true],
      gradFunc: (dy, saved, attrs) => {
        const [x, gamma, y, mean, variance] = saved as tf.Tensor[];
        const dyY = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
        const [dx, dgamma, dbeta] = tf.engine().runKernel(BN_ACT_GRAD, { dy: dyY, x: x!, y: y!, gamma: gamma!, mean: mean!, variance: variance! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
      },
    });
    tf.registerGradient({
      kernelName: BIAS_ACT, outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [y] = saved as tf.Tensor[];
        const [dx, dbias] = tf.engine().runKernel(BIAS_ACT_GRAD, { dy: dy as tf.Tensor, y: y! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return { x: () => dx!, bias: () => dbias! };
      },
    });
  },
);

/**
 * Training-mode BatchNorm over all axes but the last, then the activation. Returns the output
 * and the batch mean and biased variance (for running statistics; they carry no gradient).
 * Only on backends with JS kernels (see jsKernelsActive).
 */
export function batchNormActivation(
  x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, alpha: number, epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  registerActivationKernels();
  const [y, mean, variance] = tf.engine().runKernel(BN_ACT, { x, gamma, beta }, { alpha, epsilon }) as tf.Tensor[];
  return { y: y!, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** act(x + bias) over the last axis. Only on backends with JS kernels (see jsKernelsActive). */
export function biasActivation(x: tf.Tensor, bias: tf.Tensor1D, alpha: number): tf.Tensor {
  registerActivationKernels();
  return tf.engine().runKernel(BIAS_ACT, { x, bias }, { alpha }) as tf.Tensor;
}
