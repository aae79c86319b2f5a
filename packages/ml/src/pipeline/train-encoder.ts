// f-AnoGAN's izi_f training (beyond the paper): with G and D frozen, fit E so that G(E(x))
// reproduces x in pixels and in D's features. The inversion then starts near z* and needs far
// fewer iterations.
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../dcgan/adam';
import type { Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from '../dcgan/forward';
import { seededBatchIndices } from '../dcgan/seeded-random';
import { discriminatorFeatures } from './discriminator-features';
import { encoderForward, encoderVariables, type EncoderWeights } from './encoder';

export interface TrainEncoderOptions {
  steps: number;
  batchSize: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Weight of the D-feature term (f-AnoGAN's kappa, default 1). */
  kappa?: number;
  seed?: number;
  /** Awaited after each step; throwing from it stops training (nothing is left behind). */
  onStep?: (step: number, loss: number) => void | Promise<void>;
}

/** Trains `encoder` in place on images [N, H, W, C] in [-1, 1]; returns the loss per step. Leaves no tensors behind. */
export async function trainEncoder(dcgan: Dcgan, encoder: EncoderWeights, images: tf.Tensor4D, o: TrainEncoderOptions): Promise<number[]> {
  const vars = encoderVariables(encoder);
  const adam = new Adam(vars, { learningRate: o.lr ?? 1e-3, beta1: 0.9 });
  const frozen = freezeGenerator(dcgan.generator);
  const kappa = o.kappa ?? 1;
  const losses: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      const idx = seededBatchIndices(images.shape[0], Math.min(o.batchSize, images.shape[0]), (o.seed ?? 0) + 0xe1c, step);
      const lossT = tf.tidy(() => {
        const x = tf.gather(images, tf.tensor1d(idx, 'int32')) as tf.Tensor4D;
        const fx = discriminatorFeatures(dcgan.discriminator, x);
        const { value, grads } = tf.variableGrads(() => {
          const recon = frozenGeneratorForward(frozen, encoderForward(encoder, x));
          const pixel = tf.mean(tf.square(tf.sub(x, recon)));
          const feature = tf.mean(tf.square(tf.sub(fx, discriminatorFeatures(dcgan.discriminator, recon))));
          return tf.add(pixel, tf.mul(feature, kappa)) as tf.Scalar;
        }, vars);
        adam.apply(vars.map((v) => grads[v.name]!));
        return value;
      });
      const loss = (await lossT.data())[0]!;
      lossT.dispose();
      losses.push(loss);
      await o.onStep?.(step + 1, loss);
    }
  } finally {
    adam.dispose();
    disposeFrozenGenerator(frozen);
  }
  return losses;
}
