// The pipeline's inversion: invertLatents with the scoring options, started from given latents
// (the encoder's guess) or from random ones. Kept as its own function (and export) because
// the random starts are seeded per batch size, as calibrations made before were.
import type * as tf from '@tensorflow/tfjs';
import type { FrozenGenerator } from '../dcgan/forward';
import { mixSeed } from '../dcgan/seeded-random';
import { invertLatents } from '../inversion/invert-latents';
import type { ScoringOptions } from './inspection-model';

export interface InvertFromResult {
  z: tf.Tensor2D;
  reconstructions: tf.Tensor4D;
  losses: Float32Array;
}

/**
 * Optimises z for `images` ([N, H, W, C]) through a frozen G, starting restart 0 from `init`
 * (or random) and the other restarts from seeded random latents; returns each image's best.
 * The caller owns the returned tensors; nothing else is left behind.
 * @deprecated use invertLatents with `init` (this is a thin wrapper over it).
 */
export async function invertFrom(
  frozen: FrozenGenerator, images: tf.Tensor4D, o: ScoringOptions, init: tf.Tensor2D | null, onIteration?: (it: number) => void,
): Promise<InvertFromResult> {
  const res = await invertLatents(frozen, images, {
    iterations: o.iterations, lr: o.lr, optimizer: o.optimizer, momentum: 0.9, loss: o.loss, levels: o.levels,
    restarts: o.restarts, seed: o.seed, randomStartSeed: mixSeed(o.seed, images.shape[0], 0x1a7e),
    ...(o.zClip !== undefined ? { zClip: o.zClip } : {}),
    ...(init ? { init } : {}),
    ...(onIteration ? { onIterationDone: onIteration } : {}),
  });
  res.residuals.dispose();
  return { z: res.z, reconstructions: res.reconstructions, losses: res.losses };
}
