// A minimal Adam whose whole state (step count and moments) is plain data, so checkpoints can
// save and restore it exactly. Same update as PyTorch's Adam (bias-corrected, eps outside sqrt).
import * as tf from '@tensorflow/tfjs';
import { fusedAdamUpdate } from '../kernels/adam-update';
import { jsKernelsActive } from '../kernels/js-kernel-io';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface AdamState {
  step: number;
  m: tf.Tensor[];
  v: tf.Tensor[];
}

/** Adam over a fixed, ordered list of variables. */
export class Adam {
  readonly opts: AdamOptions;
  readonly vars: tf.Variable[];
  step = 0;
  private m: tf.Variable[];
  private v: tf.Variable[];

  constructor(vars: tf.Variable[], opts: Partial<AdamOptions> = {}) {
    this.opts = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, ...opts };
    this.vars = vars;
    // tidy frees the zero initialisers; the variables survive it.
    this.m = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  /** Applies one update from gradients given in the same order as the variables. */
  apply(grads: tf.Tensor[]): void {
    this.step += 1;
    const { learningRate, beta1, beta2, epsilon } = this.opts;
    const lrT = (learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    const fused = jsKernelsActive();
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = this.m[i]!;
        const v = this.v[i]!;
        if (fused) {
          const [p, mNew, vNew] = fusedAdamUpdate(this.vars[i]!, g, m, v, { stepSize: lrT, beta1, beta2, epsilon });
          m.assign(mNew);
          v.assign(vNew);
          this.vars[i]!.assign(p);
          return;
        }
        const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        this.vars[i]!.assign(tf.sub(this.vars[i]!, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), epsilon)), lrT)));
      });
    });
  }

  /** Copies of the state (caller owns the tensors). */
  getState(): AdamState {
    return { step: this.step, m: this.m.map((x) => tf.clone(x)), v: this.v.map((x) => tf.clone(x)) };
  }

  /** Restores a state produced by getState (shapes must match). */
  setState(s: AdamState): void {
    this.step = s.step;
    s.m.forEach((t, i) => this.m[i]!.assign(t));
    s.v.forEach((t, i) => this.v[i]!.assign(t));
  }

  /** Frees the moment variables. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
