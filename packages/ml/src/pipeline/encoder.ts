// An image -> latent encoder (f-AnoGAN's "izi" encoder, beyond the paper): strided convolutions
// like D, then a dense layer to z. It only initialises the inversion, so it needs to be roughly
// right, not exact; no BatchNorm keeps training and inference identical.
import * as tf from '@tensorflow/tfjs';
import type { DcganConfig } from '../dcgan/dcgan-model';

export interface EncoderWeights {
  convs: { filter: tf.Variable; bias: tf.Variable }[];
  denseW: tf.Variable; // [16 * c, zdim]
  denseB: tf.Variable; // [zdim]
}

let instance = 0;

/** Builds a freshly initialised encoder for a DCGAN config (He-normal weights, seeded). */
export function buildEncoder(config: DcganConfig, seed = 0): EncoderWeights {
  const p = `encoder${instance++}`;
  let s = seed * 1000 + 7;
  const variable = (init: () => tf.Tensor, name: string) => tf.tidy(() => tf.variable(init(), true, `${p}/${name}`));
  const he = (shape: number[], fanIn: number, name: string) => variable(() => tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', s++), name);
  const convs: EncoderWeights['convs'] = [];
  let inCh = config.channels;
  let outCh = config.nf;
  for (let side = config.size; side > 4; side /= 2) {
    convs.push({ filter: he([4, 4, inCh, outCh], 16 * inCh, `conv${side}`), bias: variable(() => tf.zeros([outCh]), `conv${side}_bias`) });
    inCh = outCh;
    outCh *= 2;
  }
  return {
    convs,
    denseW: he([16 * inCh, config.zdim], 16 * inCh, 'dense'),
    denseB: variable(() => tf.zeros([config.zdim]), 'dense_bias'),
  };
}

/** The encoder's variables in a fixed order (artifacts and the optimizer rely on it). */
export function encoderVariables(e: EncoderWeights): tf.Variable[] {
  return [...e.convs.flatMap((c) => [c.filter, c.bias]), e.denseW, e.denseB];
}

/** E(x): latents [N, zdim] for images [N, H, W, C] in [-1, 1]. */
export function encoderForward(e: EncoderWeights, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h = x;
    for (const c of e.convs) h = tf.leakyRelu(tf.add(tf.conv2d(h, c.filter as tf.Tensor4D, 2, 'same'), c.bias), 0.2) as tf.Tensor4D;
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, e.denseW as tf.Tensor2D), e.denseB) as tf.Tensor2D;
  });
}

/** Frees the encoder's variables. */
export function disposeEncoder(e: EncoderWeights): void {
  tf.dispose(encoderVariables(e));
}
