// The defect map: a small U-Net that reads an image beside its GAN reconstruction and marks,
// per pixel, what looks like a defect (DRAEM's discriminative network, much smaller). Fully
// convolutional, so it runs on a whole image of any size at once. Plain convolutions with
// biases and no BatchNorm: training and inspection compute exactly the same function, and
// the weights are all there is to save.
import * as tf from '@tensorflow/tfjs';
import { mixSeed } from '../dcgan/seeded-random';

export interface DefectMapConfig {
  /** Channels of the network's input: the image's channels, times 2 with the reconstruction. */
  inputChannels: number;
  /** Filters of the first level; the levels below double them. */
  nf: number;
}

interface Conv {
  filter: tf.Variable; // [3, 3, in, out]
  bias: tf.Variable; // [out]
}

export interface DefectMapNet {
  config: DefectMapConfig;
  /** Two 3x3 convolutions per level: encoder at 1, 1/2, 1/4 resolution, decoder at 1/2 and 1. */
  blocks: { e1: Conv[]; e2: Conv[]; e3: Conv[]; d2: Conv[]; d1: Conv[] };
  out: Conv; // 1x1 to one logit
}

let instance = 0;

/** A freshly initialised network (He-normal filters, zero biases, seeded). */
export function buildDefectMapNet(config: DefectMapConfig, seed = 0): DefectMapNet {
  const prefix = `defectmap${instance++}`;
  let n = 0;
  const conv = (k: number, cin: number, cout: number, name: string): Conv => tf.tidy(() => ({
    filter: tf.variable(tf.randomNormal([k, k, cin, cout], 0, Math.sqrt(2 / (k * k * cin)), 'float32', mixSeed(seed, 0xdef, n++)), true, `${prefix}/${name}`),
    bias: tf.variable(tf.zeros([cout]), true, `${prefix}/${name}_bias`),
  }));
  const f = config.nf;
  const pair = (cin: number, cout: number, name: string) => [conv(3, cin, cout, `${name}a`), conv(3, cout, cout, `${name}b`)];
  return {
    config,
    blocks: {
      e1: pair(config.inputChannels, f, 'e1'), e2: pair(f, 2 * f, 'e2'), e3: pair(2 * f, 4 * f, 'e3'),
      d2: pair(6 * f, 2 * f, 'd2'), d1: pair(3 * f, f, 'd1'),
    },
    out: conv(1, f, 1, 'out'),
  };
}

/** The variables in a fixed order (saving, loading and the optimiser rely on it). */
export function defectMapVariables(net: DefectMapNet): tf.Variable[] {
  const b = net.blocks;
  return [...b.e1, ...b.e2, ...b.e3, ...b.d2, ...b.d1, net.out].flatMap((c) => [c.filter, c.bias]);
}

export function disposeDefectMapNet(net: DefectMapNet): void {
  tf.dispose(defectMapVariables(net));
}

function apply(convs: Conv[], x: tf.Tensor4D): tf.Tensor4D {
  let h = x;
  for (const c of convs) h = tf.relu(tf.add(tf.conv2d(h, c.filter as tf.Tensor4D, 1, 'same'), c.bias)) as tf.Tensor4D;
  return h;
}

function up(x: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

/**
 * Defect logits [N, H, W, 1] for inputs [N, H, W, inputChannels] whose sides are multiples of
 * 4 (defectMapLogits pads any size).
 */
export function defectMapForward(net: DefectMapNet, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const b = net.blocks;
    const e1 = apply(b.e1, x);
    const e2 = apply(b.e2, tf.maxPool(e1, 2, 2, 'valid'));
    const e3 = apply(b.e3, tf.maxPool(e2, 2, 2, 'valid'));
    const d2 = apply(b.d2, tf.concat([up(e3), e2], 3));
    const d1 = apply(b.d1, tf.concat([up(d2), e1], 3));
    return tf.add(tf.conv2d(d1, net.out.filter as tf.Tensor4D, 1, 'same'), net.out.bias);
  });
}

/** Defect probabilities [N, H, W] for inputs of any size (mirror-padded to multiples of 4, then cropped back). */
export function defectMapProbabilities(net: DefectMapNet, x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const ph = (4 - (h % 4)) % 4;
    const pw = (4 - (w % 4)) % 4;
    const padded = ph || pw ? tf.mirrorPad(x, [[0, 0], [0, ph], [0, pw], [0, 0]], 'reflect') : x;
    const logits = defectMapForward(net, padded);
    const cropped = ph || pw ? tf.slice(logits, [0, 0, 0, 0], [-1, h, w, 1]) : logits;
    return tf.squeeze(tf.sigmoid(cropped), [3]) as tf.Tensor3D;
  });
}
