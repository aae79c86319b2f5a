// One DCGAN training step: a D update on real + generated images (sigmoid cross-entropy on
// logits), then a G update with the non-saturating loss, each with Adam.
import * as tf from '@tensorflow/tfjs';
import { Adam, type AdamOptions } from './adam';
import { discriminatorVariables, generatorVariables, type Dcgan } from './dcgan-model';
import { discriminatorForward, generatorForward, type StatUpdates } from './forward';
import { outsideTape } from './outside-tape';

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
    const dVars = t.dOptimizer.vars;
    const gVars = t.gOptimizer.vars;
    let dOut: tf.Tensor | undefined;
    // One G forward serves both updates, as in PyTorch: it is recorded on G's tape, the D update
    // runs in between off that tape (D's step must not join G's graph, and its tensors are freed
    // as soon as it is done), and the G loss then goes through the updated D.
    const gStep = tf.variableGrads(() => {
      const fake = generatorForward(g, z, true, gUpdates);
      outsideTape(() => {
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
        dOut = tf.keep(tf.concat([tf.reshape(dStep.value, [1]), probs!]));
        tf.dispose([probs!, dStep.value, ...Object.values(dStep.grads)]);
      });
      const lf = discriminatorForward(d, fake, true);
      return tf.losses.sigmoidCrossEntropy(tf.onesLike(lf), lf) as tf.Scalar;
    }, gVars);
    t.gOptimizer.apply(gVars.map((v) => gStep.grads[v.name]!));
    // [dLoss, gLoss, D(x), D(G(z))]
    const out = tf.concat([dOut!.slice([0], [1]), tf.reshape(gStep.value, [1]), dOut!.slice([1], [2])]);
    dOut!.dispose();
    return out;
  });
  applyStats(gUpdates);
  applyStats(dUpdates);
  const [dLoss, gLoss, dReal, dFake] = Array.from(await metrics.data());
  metrics.dispose();
  return { dLoss: dLoss!, gLoss: gLoss!, dReal: dReal!, dFake: dFake! };
}
