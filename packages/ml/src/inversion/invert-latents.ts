// Latent inversion: with G frozen (inference mode, BatchNorm folded), find z* minimising the
// reconstruction loss between G(z) and each query image.
import * as tf from '@tensorflow/tfjs';
import type { GeneratorWeights } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward, type FrozenGenerator } from '../dcgan/forward';
import { mixSeed } from '../dcgan/seeded-random';
import { reconstructionLossPerImage, type ReconstructionLoss } from './reconstruction-loss';

export interface InversionProgress {
  /** 1-based iteration just completed. */
  iteration: number;
  /** Per image, the best loss over restarts at this iteration (before the update). */
  losses: Float32Array;
  meanLoss: number;
  /** G(z) for every (restart, image) pair, when reconstructionEvery asks for it; disposed after the callback. */
  reconstruction?: tf.Tensor4D;
}

export interface InvertOptions {
  iterations?: number;
  lr?: number;
  optimizer?: 'sgd' | 'momentum' | 'adam';
  momentum?: number;
  loss?: ReconstructionLoss;
  levels?: number;
  /** Independent random starts per image; the best final loss wins. */
  restarts?: number;
  /** Clip every latent coordinate to [-zClip, zClip] after each step. */
  zClip?: number;
  seed?: number;
  onIteration?: (p: InversionProgress) => void | Promise<void>;
  reconstructionEvery?: number;
  /**
   * Called after each iteration with its 1-based number only; unlike onIteration it reads
   * nothing back from the backend, so it costs no synchronisation (progress bars, liveness).
   */
  onIterationDone?: (iteration: number) => void;
  /**
   * Starting latents [N, zdim] for restart 0 of each image (e.g. an encoder's guess, or the z*
   * of an earlier inversion to continue it); the other restarts start at seeded random
   * latents. Read, not kept: the caller still owns and disposes it.
   */
  init?: tf.Tensor2D;
  /**
   * The exact 32-bit seed of the random starts; by default it is derived from `seed`. For
   * callers that must reproduce an earlier stream of random starts.
   */
  randomStartSeed?: number;
}

export interface InversionResult {
  /** z* per image [N, zdim]. */
  z: tf.Tensor2D;
  /** G(z*) [N, H, W, C]. */
  reconstructions: tf.Tensor4D;
  /** |x - G(z*)| [N, H, W, C]. */
  residuals: tf.Tensor4D;
  /** Reconstruction loss at z* per image. */
  losses: Float32Array;
}

function makeOptimizer(kind: NonNullable<InvertOptions['optimizer']>, lr: number, momentum: number): tf.Optimizer {
  if (kind === 'sgd') return tf.train.sgd(lr);
  if (kind === 'momentum') return tf.train.momentum(lr, momentum);
  return tf.train.adam(lr, 0.9, 0.999, 1e-8);
}

/** Inverts G for `images` ([N, H, W, C] in [-1, 1]); the caller owns the returned tensors. */
export async function invertLatents(
  g: GeneratorWeights | FrozenGenerator,
  images: tf.Tensor4D,
  opts: InvertOptions = {},
): Promise<InversionResult> {
  const { iterations = 100, lr = 0.1, optimizer = 'sgd', momentum = 0.9, loss = 'lap1', levels = 4 } = opts;
  const restarts = Math.max(1, Math.floor(opts.restarts ?? 1));
  const n = images.shape[0];
  const ownsFrozen = !('denseB' in g);
  const frozen = ownsFrozen ? freezeGenerator(g as GeneratorWeights) : (g as FrozenGenerator);
  const zdim = frozen.denseW.shape[0];
  const [, h, w, c] = images.shape;
  if (frozen.out.filter.shape[2] !== c || h !== w || h !== 4 * 2 ** (frozen.blocks.length + 1)) {
    throw new RangeError(`images of shape ${images.shape.join('x')} do not match the generator`);
  }
  if (opts.init && (opts.init.shape[0] !== n || opts.init.shape[1] !== zdim)) {
    throw new RangeError(`initial latents of shape ${opts.init.shape.join('x')} do not match ${n} images of a generator with zdim ${zdim}`);
  }
  // Restart r of image i lives in row r * n + i of one batch: one G call serves them all.
  const targets = restarts > 1 ? tf.tidy(() => tf.tile(images, [restarts, 1, 1, 1])) : images;
  const z = tf.tidy(() => {
    const random = tf.randomNormal([restarts * n, zdim], 0, 1, 'float32', opts.randomStartSeed ?? mixSeed(opts.seed ?? 0, 0x1a7e));
    const start = opts.init ? tf.concat([opts.init, random.slice([n, 0], [(restarts - 1) * n, zdim])]) : random;
    return tf.variable(opts.zClip !== undefined ? tf.clipByValue(start, -opts.zClip, opts.zClip) : start, true);
  });
  const opt = makeOptimizer(optimizer, lr, momentum);
  const perImageLoss = () =>
    tf.tidy(() => reconstructionLossPerImage(frozenGeneratorForward(frozen, z as unknown as tf.Tensor2D), targets, loss, levels));
  const bestOverRestarts = (l: Float32Array) => {
    const best = new Float32Array(n).fill(Infinity);
    l.forEach((v, k) => { best[k % n] = Math.min(best[k % n]!, v); });
    return best;
  };
  try {
    for (let it = 1; it <= iterations; it++) {
      let kept: tf.Tensor1D | undefined;
      tf.tidy(() => {
        // Summed, not averaged, so each latent's step does not depend on batch size or restarts.
        const { grads } = tf.variableGrads(() => {
          const l = perImageLoss();
          if (opts.onIteration) kept = tf.keep(l);
          return tf.sum(l);
        }, [z]);
        opt.applyGradients(grads);
        if (opts.zClip !== undefined) z.assign(tf.clipByValue(z, -opts.zClip, opts.zClip));
      });
      opts.onIterationDone?.(it);
      if (opts.onIteration && kept) {
        const best = bestOverRestarts((await kept.data()) as Float32Array);
        kept.dispose();
        const wantRecon = opts.reconstructionEvery && it % opts.reconstructionEvery === 0;
        const reconstruction = wantRecon ? frozenGeneratorForward(frozen, z as unknown as tf.Tensor2D) : undefined;
        try {
          await opts.onIteration({
            iteration: it, losses: best, meanLoss: best.reduce((s, v) => s + v, 0) / n,
            ...(reconstruction ? { reconstruction } : {}),
          });
        } finally {
          reconstruction?.dispose();
        }
      }
    }
    // Pick each image's best restart, then report everything at that z*.
    const finalLoss = perImageLoss();
    const all = (await finalLoss.data()) as Float32Array;
    finalLoss.dispose();
    const pick = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = i;
      for (let r = 1; r < restarts; r++) if (all[r * n + i]! < all[best]!) best = r * n + i;
      pick[i] = best;
    }
    const losses = Float32Array.from(pick, (k) => all[k]!);
    return tf.tidy(() => {
      const zStar = tf.gather(z, tf.tensor1d(pick, 'int32')) as tf.Tensor2D;
      const reconstructions = frozenGeneratorForward(frozen, zStar);
      const residuals = tf.abs(tf.sub(images, reconstructions)) as tf.Tensor4D;
      return { z: zStar, reconstructions, residuals, losses };
    });
  } finally {
    opt.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar of its SGD parent.
    if (optimizer === 'momentum') (opt as unknown as { c?: tf.Tensor }).c?.dispose();
    z.dispose();
    if (targets !== images) targets.dispose();
    if (ownsFrozen) disposeFrozenGenerator(frozen);
  }
}
