// Inversion that can start from given latents (the encoder's guess). Why not invertLatents:
// it always starts from seeded random latents and has no option for an initial z.
import * as tf from '@tensorflow/tfjs';
import { frozenGeneratorForward, type FrozenGenerator } from '../dcgan/forward';
import { mixSeed } from '../dcgan/seeded-random';
import { reconstructionLossPerImage } from '../inversion/reconstruction-loss';
import type { ScoringOptions } from './inspection-model';

export interface InvertFromResult {
  z: tf.Tensor2D;
  reconstructions: tf.Tensor4D;
  losses: Float32Array;
}

function optimizer(o: ScoringOptions): tf.Optimizer {
  if (o.optimizer === 'sgd') return tf.train.sgd(o.lr);
  if (o.optimizer === 'momentum') return tf.train.momentum(o.lr, 0.9);
  return tf.train.adam(o.lr, 0.9, 0.999, 1e-8);
}

/**
 * Optimises z for `images` ([N, H, W, C]) through a frozen G, starting restart 0 from `init`
 * (or random) and the other restarts from seeded random latents; returns each image's best.
 * The caller owns the returned tensors; nothing else is left behind.
 */
export async function invertFrom(
  frozen: FrozenGenerator, images: tf.Tensor4D, o: ScoringOptions, init: tf.Tensor2D | null, onIteration?: (it: number) => void,
): Promise<InvertFromResult> {
  const n = images.shape[0];
  const zdim = frozen.denseW.shape[0];
  const restarts = Math.max(1, Math.floor(o.restarts));
  const z = tf.tidy(() => {
    const random = tf.randomNormal([restarts * n, zdim], 0, 1, 'float32', mixSeed(o.seed, n, 0x1a7e));
    const start = init ? tf.concat([init, random.slice([n, 0], [(restarts - 1) * n, zdim])]) : random;
    return tf.variable(o.zClip !== undefined ? tf.clipByValue(start, -o.zClip, o.zClip) : start, true);
  });
  const targets = restarts > 1 ? tf.tidy(() => tf.tile(images, [restarts, 1, 1, 1])) : images;
  const opt = optimizer(o);
  const loss = () => reconstructionLossPerImage(frozenGeneratorForward(frozen, z as unknown as tf.Tensor2D), targets as tf.Tensor4D, o.loss, o.levels);
  try {
    for (let it = 1; it <= o.iterations; it++) {
      tf.tidy(() => {
        // Summed so each latent's step does not depend on the batch size.
        const { grads } = tf.variableGrads(() => tf.sum(loss()), [z]);
        opt.applyGradients(grads);
        if (o.zClip !== undefined) z.assign(tf.clipByValue(z, -o.zClip, o.zClip));
      });
      onIteration?.(it);
    }
    const final = tf.tidy(loss);
    const all = (await final.data()) as Float32Array;
    final.dispose();
    const pick = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = i;
      for (let r = 1; r < restarts; r++) if (all[r * n + i]! < all[best]!) best = r * n + i;
      pick[i] = best;
    }
    return tf.tidy(() => {
      const zStar = tf.gather(z, tf.tensor1d(pick, 'int32')) as tf.Tensor2D;
      return { z: zStar, reconstructions: frozenGeneratorForward(frozen, zStar), losses: Float32Array.from(pick, (k) => all[k]!) };
    });
  } finally {
    opt.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar of its SGD parent.
    if (o.optimizer === 'momentum') (opt as unknown as { c?: tf.Tensor }).c?.dispose();
    z.dispose();
    if (targets !== images) targets.dispose();
  }
}
