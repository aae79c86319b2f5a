// Trains the defect map on qualified crops with synthetic defects drawn in (synthetic-defects.ts):
// each step draws crops, puts a defect into a share of them, reconstructs every crop through the
// frozen GAN, and fits the network to mark the drawn pixels from (crop, reconstruction).
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../analysis/random';
import { Adam } from '../dcgan/adam';
import { mixSeed } from '../dcgan/seeded-random';
import type { PipelineImage } from '../pipeline/measure-images';
import { checkCroppable, sampleCrops } from './crop-sampler';
import { defectMapForward, defectMapVariables, type DefectMapNet } from './defect-map-net';
import { drawSyntheticDefect } from './synthetic-defects';

export interface TrainDefectMapOptions {
  steps: number;
  batchSize: number;
  /** Side of the training crops (a multiple of 4). */
  crop: number;
  flips: boolean;
  /** Share of crops that get a synthetic defect (the rest teach "qualified stays clean"). */
  defectShare?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  seed: number;
  /**
   * The GAN's reconstruction of crops [N, crop, crop, C]; required when the network reads
   * (image, reconstruction). Must return a new tensor the caller may dispose.
   */
  reconstruct?: (x: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>;
  /** Awaited after each step; throwing from it stops training (nothing is left behind but the net). */
  onStep?: (step: number, loss: number) => void | Promise<void>;
}

/** Focal loss (gamma 2): the many easy background pixels count little, the few defect pixels a lot. */
export function focalLoss(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.sigmoid(logits);
    const pt = tf.add(tf.mul(p, target), tf.mul(tf.sub(1, p), tf.sub(1, target)));
    const w = tf.square(tf.sub(1, pt));
    return tf.mean(tf.mul(tf.mul(w, tf.log(tf.maximum(pt, 1e-6))), -10)) as tf.Scalar;
  });
}

/** One step's inputs: crops with defects drawn into some of them, and their masks. */
export function syntheticBatch(images: PipelineImage[], o: TrainDefectMapOptions, step: number): { x: Float32Array; mask: Float32Array } {
  const rng = createRng(mixSeed(o.seed, step, 0xdefec7));
  const c = images[0]!.channels;
  const n = o.batchSize;
  const crops = sampleCrops(images, n, { patch: o.crop, flips: o.flips }, rng);
  const others = sampleCrops(images, n, { patch: o.crop, flips: o.flips }, rng);
  const px = o.crop * o.crop;
  const mask = new Float32Array(n * px);
  const share = o.defectShare ?? 0.7;
  for (let i = 0; i < n; i++) {
    if (rng.next() >= share) continue;
    const d = drawSyntheticDefect(rng, crops.subarray(i * px * c, (i + 1) * px * c), others.subarray(i * px * c, (i + 1) * px * c), o.crop, o.crop, c);
    crops.set(d.image, i * px * c);
    mask.set(d.mask, i * px);
  }
  return { x: crops, mask };
}

/** Trains `net` in place; returns the loss per step. Leaves no tensors behind. */
export async function trainDefectMap(net: DefectMapNet, images: PipelineImage[], o: TrainDefectMapOptions): Promise<number[]> {
  checkCroppable(images, o.crop);
  if (o.crop % 4 !== 0) throw new RangeError(`the defect map's crop must be a multiple of 4, got ${o.crop}`);
  const c = images[0]!.channels;
  const withReconstruction = net.config.inputChannels === 2 * c;
  if (!withReconstruction && net.config.inputChannels !== c) {
    throw new RangeError(`the network reads ${net.config.inputChannels} channels; images have ${c}`);
  }
  if (withReconstruction && !o.reconstruct) throw new RangeError('this network reads the reconstruction: pass reconstruct');
  const vars = defectMapVariables(net);
  const adam = new Adam(vars, { learningRate: o.lr ?? 1e-3, beta1: 0.9 });
  const losses: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      const batch = syntheticBatch(images, o, step);
      const x = tf.tensor4d(batch.x, [o.batchSize, o.crop, o.crop, c]);
      const target = tf.tensor4d(batch.mask, [o.batchSize, o.crop, o.crop, 1]);
      const recon = withReconstruction ? await o.reconstruct!(x) : null;
      const lossT = tf.tidy(() => {
        const input = recon ? tf.concat([x, recon], 3) : x;
        const { value, grads } = tf.variableGrads(() => focalLoss(defectMapForward(net, input), target), vars);
        adam.apply(vars.map((v) => grads[v.name]!));
        return value;
      });
      const loss = (await lossT.data())[0]!;
      tf.dispose([x, target, lossT, ...(recon ? [recon] : [])]);
      losses.push(loss);
      await o.onStep?.(step + 1, loss);
    }
  } finally {
    adam.dispose();
  }
  return losses;
}
