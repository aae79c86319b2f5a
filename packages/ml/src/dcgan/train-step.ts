// One DCGAN training step: a D update on real + generated images (sigmoid cross-entropy on
// logits), then a G update with the non-saturating loss, each with Adam.
import * as tf from '@tensorflow/tfjs';
import { Adam, type AdamOptions } from './adam';
import { discriminatorVariables, generatorVariables, type Dcgan } from './dcgan-model';
import { discriminatorForward, generatorForward, type StatUpdates } from './forward';

export interface GanTrainer {
  model: Dcgan;
  gOptimizer: Adam;
  dOptimizer: Adam;
}

export interface StepMetrics {
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch (probability). */
  dReal: number;
  /** Mean D(G(z)) on the generated batch, before the D update. */
  dFake: number;
}

/** Wraps a model with one Adam per network (defaults: lr 2e-4, beta1 0.5, as in DCGAN). */
export function createTrainer(model: Dcgan, adam: Partial<AdamOptions> = {}): GanTrainer {
  return {
    model,
    gOptimizer: new Adam(generatorVariables(model.generator), adam),
    dOptimizer: new Adam(discriminatorVariables(model.discriminator), adam),
  };
}

/** Frees the optimizers' state (not the model). */
export function disposeTrainer(t: GanTrainer): void {
  t.gOptimizer.dispose();
  t.dOptimizer.dispose();
}

function applyStats(updates: StatUpdates): void {
  for (const [v, value] of updates) {
    v.assign(value);
    value.dispose();
  }
}

/** Runs one D and one G update on `real` (in [-1, 1]) with latents `z`; leaves no tensors behind. */
export async function trainStep(t: GanTrainer, real: tf.Tensor4D, z: tf.Tensor2D): Promise<StepMetrics> {
  const { generator: g, discriminator: d } = t.model;
  const gUpdates: StatUpdates = [];
  const dUpdates: StatUpdates = [];
  const metrics = tf.tidy(() => {
    // G's forward for the D step needs no gradients, so it runs off the tape.
    const fake = generatorForward(g, z, true, gUpdates);
    const dVars = t.dOptimizer.vars;
    let probs: tf.Tensor | undefined;
    const dStep = tf.variableGrads(() => {
      const lr = discriminatorForward(d, real, true, dUpdates);
      const lf = discriminatorForward(d, fake, true);
      probs = tf.keep(tf.stack([tf.mean(tf.sigmoid(lr)), tf.mean(tf.sigmoid(lf))]));
      return tf.add(
        tf.losses.sigmoidCrossEntropy(tf.onesLike(lr), lr),
        tf.losses.sigmoidCrossEntropy(tf.zerosLike(lf), lf),
      ) as tf.Scalar;
    }, dVars);
    t.dOptimizer.apply(dVars.map((v) => dStep.grads[v.name]!));
    const gVars = t.gOptimizer.vars;
    // PyTorch reuses the first G forward; a tfjs tape cannot outlive its call, so G runs again
    // (same z, same weights, same batch statistics).
    const gStep = tf.variableGrads(() => {
      const lf = discriminatorForward(d, generatorForward(g, z, true), true);
      return tf.losses.sigmoidCrossEntropy(tf.onesLike(lf), lf) as tf.Scalar;
    }, gVars);
    t.gOptimizer.apply(gVars.map((v) => gStep.grads[v.name]!));
    const out = tf.concat([tf.stack([dStep.value, gStep.value]), probs!]);
    probs!.dispose();
    return out;
  });
  applyStats(gUpdates);
  applyStats(dUpdates);
  const [dLoss, gLoss, dReal, dFake] = Array.from(await metrics.data());
  metrics.dispose();
  return { dLoss: dLoss!, gLoss: gLoss!, dReal: dReal!, dFake: dFake! };
}
