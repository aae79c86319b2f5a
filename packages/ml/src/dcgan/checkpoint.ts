// Checkpoints as plain data (shapes + Float32Arrays + JSON metadata), so the caller decides
// where they go (blob storage, files, memory) through an injected save function.
import * as tf from '@tensorflow/tfjs';
import { allVariables, type Dcgan, type DcganConfig } from './dcgan-model';
import type { GanTrainer } from './train-step';

export interface SerializedTensor {
  shape: number[];
  values: Float32Array;
}

export interface GanCheckpoint {
  format: 'gansight-dcgan-checkpoint';
  version: 1;
  config: DcganConfig;
  /** Steps completed; training resumes at this step. */
  step: number;
  /** RNG state: draws are a pure function of (seed, step), see seeded-random.ts. */
  rng: { seed: number; step: number };
  optimizer: { gStep: number; dStep: number };
  /** Model variables in allVariables() order, then Adam moments (g.m, g.v, d.m, d.v). */
  tensors: SerializedTensor[];
}

async function serialize(ts: tf.Tensor[]): Promise<SerializedTensor[]> {
  return Promise.all(ts.map(async (t) => ({ shape: t.shape.slice(), values: (await t.data()) as Float32Array })));
}

/** Captures model weights, running statistics, optimizer state and RNG state at `step`. */
export async function captureCheckpoint(t: GanTrainer, step: number, seed: number): Promise<GanCheckpoint> {
  const g = t.gOptimizer.getState();
  const d = t.dOptimizer.getState();
  try {
    const tensors = await serialize([...allVariables(t.model), ...g.m, ...g.v, ...d.m, ...d.v]);
    return {
      format: 'gansight-dcgan-checkpoint', version: 1, config: { ...t.model.config }, step,
      rng: { seed, step }, optimizer: { gStep: g.step, dStep: d.step }, tensors,
    };
  } finally {
    tf.dispose([...g.m, ...g.v, ...d.m, ...d.v]);
  }
}

function restoreInto(vars: tf.Variable[], src: SerializedTensor[], what: string): void {
  vars.forEach((v, i) => {
    const s = src[i];
    if (!s || s.shape.join('x') !== v.shape.join('x')) {
      throw new Error(`checkpoint ${what}[${i}] has shape ${s?.shape.join('x')}, model needs ${v.shape.join('x')}`);
    }
    v.assign(tf.tensor(s.values, s.shape));
  });
}

/** Loads a checkpoint into a trainer built with the same config; returns the step to resume at. */
export function restoreCheckpoint(t: GanTrainer, ckpt: GanCheckpoint): number {
  if (ckpt.format !== 'gansight-dcgan-checkpoint' || ckpt.version !== 1) throw new Error('not a gansight DCGAN checkpoint (v1)');
  const c = t.model.config;
  const k = ckpt.config;
  if (c.size !== k.size || c.channels !== k.channels || c.zdim !== k.zdim || c.nf !== k.nf) {
    throw new Error(`checkpoint config ${JSON.stringify(k)} does not match model ${JSON.stringify(c)}`);
  }
  const model = allVariables(t.model);
  const ng = t.gOptimizer.vars.length;
  const nd = t.dOptimizer.vars.length;
  const expected = model.length + 2 * ng + 2 * nd;
  if (ckpt.tensors.length !== expected) throw new Error(`checkpoint holds ${ckpt.tensors.length} tensors, expected ${expected}`);
  tf.tidy(() => {
    restoreInto(model, ckpt.tensors.slice(0, model.length), 'model');
    let o = model.length;
    const take = (n: number) => ckpt.tensors.slice(o, (o += n)).map((s) => tf.tensor(s.values, s.shape));
    t.gOptimizer.setState({ step: ckpt.optimizer.gStep, m: take(ng), v: take(ng) });
    t.dOptimizer.setState({ step: ckpt.optimizer.dStep, m: take(nd), v: take(nd) });
  });
  return ckpt.step;
}

/** Loads only the model weights of a checkpoint (for inference). */
export function loadModelWeights(model: Dcgan, ckpt: GanCheckpoint): void {
  const vars = allVariables(model);
  tf.tidy(() => restoreInto(vars, ckpt.tensors.slice(0, vars.length), 'model'));
}
