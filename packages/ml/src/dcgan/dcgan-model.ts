// The DCGAN of the speed benchmark (packages/ml/bench/README.md) as explicit weights (tf.Variable) plus functional forward passes.
// Why not tf.layers: explicit weights let inversion fold BatchNorm into the convolutions and
// let checkpoints name every tensor, and they avoid the layers API's per-call overhead on wasm.
import * as tf from '@tensorflow/tfjs';

export interface DcganConfig {
  /** Image side in pixels: 32, 64 or 128 (any power of two >= 8 works). */
  size: number;
  /** 1 (grayscale) or 3 (colour). */
  channels: number;
  /** Latent size. */
  zdim: number;
  /** Base filter count. */
  nf: number;
}

export const DEFAULT_DCGAN_CONFIG: DcganConfig = { size: 64, channels: 1, zdim: 100, nf: 32 };

/** BatchNorm parameters (trainable) and running statistics (not trainable). */
export interface BatchNormWeights {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}

export interface GeneratorWeights {
  dense: tf.Variable; // [zdim, 16 * 8nf]
  bn0: BatchNormWeights;
  /** ConvTranspose k4 s2 'same' filters [4, 4, out, in] with their BatchNorms. */
  blocks: { filter: tf.Variable; bn: BatchNormWeights }[];
  outFilter: tf.Variable; // [4, 4, channels, c]
  outBias: tf.Variable; // [channels]
}

export interface DiscriminatorWeights {
  inFilter: tf.Variable; // [4, 4, channels, nf]
  inBias: tf.Variable;
  blocks: { filter: tf.Variable; bn: BatchNormWeights }[];
  denseW: tf.Variable; // [16 * c, 1]
  denseB: tf.Variable; // [1]
}

export interface Dcgan {
  config: DcganConfig;
  generator: GeneratorWeights;
  discriminator: DiscriminatorWeights;
}

/** Checks a config against the architecture's constraints; throws a RangeError naming the field. */
export function validateDcganConfig(c: DcganConfig): void {
  const pow2 = (n: number) => Number.isInteger(Math.log2(n));
  if (!(c.size >= 8 && pow2(c.size))) throw new RangeError(`size must be a power of two >= 8, got ${c.size}`);
  if (c.channels !== 1 && c.channels !== 3) throw new RangeError(`channels must be 1 or 3, got ${c.channels}`);
  if (!(Number.isInteger(c.zdim) && c.zdim > 0)) throw new RangeError(`zdim must be a positive integer, got ${c.zdim}`);
  if (!(Number.isInteger(c.nf) && c.nf > 0)) throw new RangeError(`nf must be a positive integer, got ${c.nf}`);
}

// tidy frees each initialiser; the variable keeps its own copy of the data.
function makeVariable(init: () => tf.Tensor, trainable: boolean, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(init(), trainable, name));
}

function bn(channels: number, name: string): BatchNormWeights {
  return {
    gamma: makeVariable(() => tf.ones([channels]), true, `${name}/gamma`),
    beta: makeVariable(() => tf.zeros([channels]), true, `${name}/beta`),
    movingMean: makeVariable(() => tf.zeros([channels]), false, `${name}/moving_mean`),
    movingVar: makeVariable(() => tf.ones([channels]), false, `${name}/moving_var`),
  };
}

let instance = 0;

/** Builds a freshly initialised DCGAN (N(0, 0.02) weights as in the DCGAN paper), seeded. */
export function buildDcgan(config: Partial<DcganConfig> = {}, seed = 0): Dcgan {
  const c: DcganConfig = { ...DEFAULT_DCGAN_CONFIG, ...config };
  validateDcganConfig(c);
  // Variable names must be unique per process; the prefix keeps several models apart.
  const p = `dcgan${instance++}`;
  // tfjs treats a seed of 0 as "no seed" (Math.random), so the first draw is offset by one.
  let s = seed * 1000 + 1;
  const normal = (shape: number[], name: string) =>
    makeVariable(() => tf.randomNormal(shape, 0, 0.02, 'float32', s++), true, `${p}/${name}`);
  {
    let ch = c.nf * 8;
    const gBlocks: GeneratorWeights['blocks'] = [];
    for (let side = 4; side < c.size / 2; side *= 2) {
      gBlocks.push({ filter: normal([4, 4, ch / 2, ch], `g/convt${side}`), bn: bn(ch / 2, `${p}/g/bn${side}`) });
      ch /= 2;
    }
    const generator: GeneratorWeights = {
      dense: normal([c.zdim, 16 * c.nf * 8], 'g/dense'),
      bn0: bn(c.nf * 8, `${p}/g/bn0`),
      blocks: gBlocks,
      outFilter: normal([4, 4, c.channels, ch], 'g/convt_out'),
      outBias: makeVariable(() => tf.zeros([c.channels]), true, `${p}/g/convt_out_bias`),
    };
    let dch = c.nf;
    const dBlocks: DiscriminatorWeights['blocks'] = [];
    for (let side = c.size / 2; side > 4; side /= 2) {
      dBlocks.push({ filter: normal([4, 4, dch, dch * 2], `d/conv${side}`), bn: bn(dch * 2, `${p}/d/bn${side}`) });
      dch *= 2;
    }
    const discriminator: DiscriminatorWeights = {
      inFilter: normal([4, 4, c.channels, c.nf], 'd/conv_in'),
      inBias: makeVariable(() => tf.zeros([c.nf]), true, `${p}/d/conv_in_bias`),
      blocks: dBlocks,
      denseW: normal([16 * dch, 1], 'd/dense'),
      denseB: makeVariable(() => tf.zeros([1]), true, `${p}/d/dense_bias`),
    };
    return { config: c, generator, discriminator };
  }
}

function bnList(b: BatchNormWeights, trainable: boolean): tf.Variable[] {
  return trainable ? [b.gamma, b.beta] : [b.movingMean, b.movingVar];
}

/** Trainable variables of G in a fixed order (the optimizer and checkpoints rely on it). */
export function generatorVariables(g: GeneratorWeights): tf.Variable[] {
  return [g.dense, ...bnList(g.bn0, true), ...g.blocks.flatMap((b) => [b.filter, ...bnList(b.bn, true)]), g.outFilter, g.outBias];
}

/** Trainable variables of D in a fixed order. */
export function discriminatorVariables(d: DiscriminatorWeights): tf.Variable[] {
  return [d.inFilter, d.inBias, ...d.blocks.flatMap((b) => [b.filter, ...bnList(b.bn, true)]), d.denseW, d.denseB];
}

/** Every variable of the model (trainable and running statistics), in a fixed order. */
export function allVariables(m: Dcgan): tf.Variable[] {
  const g = m.generator;
  const d = m.discriminator;
  return [
    ...generatorVariables(g), ...bnList(g.bn0, false), ...g.blocks.flatMap((b) => bnList(b.bn, false)),
    ...discriminatorVariables(d), ...d.blocks.flatMap((b) => bnList(b.bn, false)),
  ];
}

/** Frees every variable of the model. */
export function disposeDcgan(m: Dcgan): void {
  tf.dispose(allVariables(m));
}
