// Functional forward passes of G and D over explicit weights (NHWC).
import * as tf from '@tensorflow/tfjs';
import type { BatchNormWeights, DiscriminatorWeights, GeneratorWeights } from './dcgan-model';
import { applyTransposedConv, phaseFilters, planTransposedConv, type TransposedConvPlan } from '../kernels/conv2d-backprop-input';
import { batchNormActivation, biasActivation } from '../kernels/batch-norm-activation';
import { jsKernelsActive } from '../kernels/js-kernel-io';

export const BN_EPSILON = 1e-5;
/** PyTorch's BatchNorm momentum: running = (1 - m) * running + m * batch. */
export const BN_MOMENTUM = 0.1;

/** Running-statistic assignments produced by a training-mode forward pass. */
export type StatUpdates = [tf.Variable, tf.Tensor][];

// PyTorch's running averages; the variance kept is the unbiased one.
function recordRunningStats(w: BatchNormWeights, mean: tf.Tensor, variance: tf.Tensor, n: number, updates: StatUpdates): void {
  tf.tidy(() => {
    const m = tf.add(tf.mul(w.movingMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM));
    const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
    const v = tf.add(tf.mul(w.movingVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM));
    updates.push([w.movingMean, tf.keep(m)], [w.movingVar, tf.keep(v)]);
  });
}

// Train mode normalises with batch statistics and (when `updates` is given) records the new
// running statistics, kept out of the surrounding tidy so the caller can assign them after the
// optimizer step; inference mode uses the running statistics.
function batchNorm(x: tf.Tensor4D, w: BatchNormWeights, training: boolean, updates?: StatUpdates): tf.Tensor4D {
  if (!training) {
    return tf.batchNorm4d(x, w.movingMean as tf.Tensor1D, w.movingVar as tf.Tensor1D, w.beta as tf.Tensor1D, w.gamma as tf.Tensor1D, BN_EPSILON);
  }
  // Written out with broadcasting ops rather than tf.moments + tf.batchNorm: the fused op's
  // gradient tiles mean/variance to the full activation shape, which cost ~25% of a step on wasm.
  const mean = tf.mean(x, [0, 1, 2]);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), [0, 1, 2]);
  if (updates) recordRunningStats(w, mean, variance, x.size / x.shape[3], updates);
  const scale = tf.mul(tf.rsqrt(tf.add(variance, BN_EPSILON)), w.gamma);
  return tf.add(tf.mul(centred, scale), w.beta) as tf.Tensor4D;
}

// y = p for p > 0, alpha * p otherwise: alpha 0 is ReLU, 0.2 DCGAN's LeakyReLU.
function activate(p: tf.Tensor4D, alpha: number): tf.Tensor4D {
  return alpha === 0 ? tf.relu(p) : tf.leakyRelu(p, alpha);
}

// BatchNorm then the activation. Training on wasm or cpu takes the fused JS kernel (one op and
// one gradient op instead of ~25); the composed ops remain for inference and other backends.
function batchNormAct(x: tf.Tensor4D, w: BatchNormWeights, training: boolean, alpha: number, updates?: StatUpdates): tf.Tensor4D {
  if (training && jsKernelsActive()) {
    const { y, mean, variance } = batchNormActivation(x, w.gamma as tf.Tensor1D, w.beta as tf.Tensor1D, alpha, BN_EPSILON);
    if (updates) recordRunningStats(w, mean, variance, x.size / x.shape[3], updates);
    return y as tf.Tensor4D;
  }
  return activate(batchNorm(x, w, training, updates), alpha);
}

/** G(z) in [-1, 1], shape [N, size, size, channels]; `training` selects batch vs running BN stats. */
export function generatorForward(g: GeneratorWeights, z: tf.Tensor2D, training: boolean, updates?: StatUpdates): tf.Tensor4D {
  return tf.tidy((): tf.Tensor4D => {
    const n = z.shape[0];
    const c0 = g.bn0.gamma.shape[0]!;
    let x = tf.reshape(tf.matMul(z, g.dense), [n, 4, 4, c0]) as tf.Tensor4D;
    x = batchNormAct(x, g.bn0, training, 0, updates);
    for (const b of g.blocks) {
      const [, , out] = b.filter.shape as number[];
      const side = x.shape[1] * 2;
      x = tf.conv2dTranspose(x, b.filter as tf.Tensor4D, [n, side, side, out!], 2, 'same');
      x = batchNormAct(x, b.bn, training, 0, updates);
    }
    const side = x.shape[1] * 2;
    const ch = g.outFilter.shape[2]!;
    x = tf.conv2dTranspose(x, g.outFilter as tf.Tensor4D, [n, side, side, ch], 2, 'same');
    return tf.tanh(tf.add(x, g.outBias)) as tf.Tensor4D;
  });
}

/** D(x) as logits, shape [N, 1]. */
export function discriminatorForward(d: DiscriminatorWeights, x: tf.Tensor4D, training: boolean, updates?: StatUpdates): tf.Tensor2D {
  return tf.tidy(() => {
    const first = tf.conv2d(x, d.inFilter as tf.Tensor4D, 2, 'same');
    let h = (jsKernelsActive() ? biasActivation(first, d.inBias as tf.Tensor1D, 0.2) : activate(tf.add(first, d.inBias), 0.2)) as tf.Tensor4D;
    for (const b of d.blocks) {
      h = tf.conv2d(h, b.filter as tf.Tensor4D, 2, 'same');
      h = batchNormAct(h, b.bn, training, 0.2, updates);
    }
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, d.denseW as tf.Tensor2D), d.denseB);
  });
}

/** A frozen ConvTranspose k4 s2 'same' layer: folded filter, bias and its stride-phase filters. */
export interface FrozenTransposedConv {
  /** [4, 4, out, in] with BatchNorm folded in. */
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  plan: TransposedConvPlan;
  phases: (tf.Tensor4D | null)[];
  /** The bias per phase filter (tiled over phases for a combined filter). */
  phaseBiases: tf.Tensor1D[];
}

/** G in inference mode with BatchNorm folded into the preceding weights (frozen copies). */
export interface FrozenGenerator {
  denseW: tf.Tensor2D;
  /** denseW transposed, so the z-gradient is an untransposed matMul (fast path on wasm). */
  denseWT: tf.Tensor2D;
  denseB: tf.Tensor1D;
  blocks: FrozenTransposedConv[];
  out: FrozenTransposedConv;
}

function freezeLayer(filter: tf.Tensor4D, bias: tf.Tensor1D, inSide: number): FrozenTransposedConv {
  const [, , out] = filter.shape;
  const plan = planTransposedConv([1, inSide * 2, inSide * 2, out], filter.shape, 2, 'same');
  // Kept constant for the model's lifetime, so the wasm backend reuses its packed XNNPACK operators.
  const phases = phaseFilters(filter, plan);
  const phaseBiases = plan.mode === 'combined' ? [tf.tile(bias, [plan.sh * plan.sw]) as tf.Tensor1D] : phases.map(() => bias);
  return { filter, bias, plan, phases, phaseBiases };
}

/** Folds each BatchNorm's running statistics into G's weights; the result equals G in inference mode. */
export function freezeGenerator(g: GeneratorWeights): FrozenGenerator {
  // tidy walks the returned object (plans are plain numbers) and keeps every tensor in it.
  return tf.tidy(() => {
    const fold = (w: BatchNormWeights) => {
      const scale = tf.div(w.gamma, tf.sqrt(tf.add(w.movingVar, BN_EPSILON)));
      return { scale, shift: tf.sub(w.beta, tf.mul(w.movingMean, scale)) as tf.Tensor1D };
    };
    const b0 = fold(g.bn0);
    // Dense outputs are reshaped to [4, 4, C], so column j belongs to channel j % C.
    const denseW = tf.mul(g.dense, tf.tile(b0.scale, [16])) as tf.Tensor2D;
    const denseB = tf.tile(b0.shift, [16]) as tf.Tensor1D;
    let side = 4;
    const blocks = g.blocks.map((b) => {
      const f = fold(b.bn);
      const out = b.filter.shape[2]!;
      const layer = freezeLayer(tf.mul(b.filter, tf.reshape(f.scale, [1, 1, out, 1])) as tf.Tensor4D, f.shift, side);
      side *= 2;
      return layer;
    });
    const out = freezeLayer(tf.clone(g.outFilter) as tf.Tensor4D, tf.clone(g.outBias) as tf.Tensor1D, side);
    return { denseW, denseWT: tf.transpose(denseW), denseB, blocks, out } as unknown as tf.TensorContainer;
  }) as unknown as FrozenGenerator;
}

/** Frees a frozen generator's tensors. */
export function disposeFrozenGenerator(f: FrozenGenerator): void {
  const layerTensors = (l: FrozenTransposedConv) => [
    l.filter, l.bias, ...l.phaseBiases, ...l.phases.filter((p): p is tf.Tensor4D => p !== null),
  ];
  // Phase biases may share the layer's bias tensor: dispose each tensor once.
  const all = [f.denseW, f.denseWT, f.denseB, ...f.blocks.flatMap(layerTensors), ...layerTensors(f.out)];
  tf.dispose([...new Set(all)]);
}

// Forward through the precomputed phase filters with bias and ReLU fused into XNNPACK's
// convolutions; the input gradient is the plain strided conv2d with the constant folded filter.
// Both reuse cached XNNPACK operators on wasm, and no separate bias/activation ops run.
function frozenTransposedConv(x: tf.Tensor4D, l: FrozenTransposedConv, activation: 'relu' | 'tanh'): tf.Tensor4D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const fused = activation === 'relu' ? 'relu' : 'linear';
    const pre = applyTransposedConv(input as tf.Tensor4D, l.phases, l.plan, { biases: l.phaseBiases, activation: fused });
    const value = activation === 'tanh' ? tf.tanh(pre) : pre;
    save([value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const y = saved[0]!;
        const dPre = activation === 'relu' ? tf.mul(dy, tf.step(y)) : tf.mul(dy, tf.sub(1, tf.square(y)));
        return tf.conv2d(dPre as tf.Tensor4D, l.filter, 2, 'same');
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor4D;
}

function frozenDense(z: tf.Tensor2D, f: FrozenGenerator): tf.Tensor2D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {
      value: tf.matMul(input as tf.Tensor2D, f.denseW),
      gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, f.denseWT),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(z) as tf.Tensor2D;
}

/** G(z) through a frozen generator: same values as generatorForward(g, z, false). */
export function frozenGeneratorForward(f: FrozenGenerator, z: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const n = z.shape[0];
    const c0 = f.denseB.shape[0] / 16;
    let x = tf.reshape(tf.relu(tf.add(frozenDense(z, f), f.denseB)), [n, 4, 4, c0]) as tf.Tensor4D;
    for (const b of f.blocks) x = frozenTransposedConv(x, b, 'relu');
    return frozenTransposedConv(x, f.out, 'tanh');
  });
}
