// Inspection with a patch model: an image at its working scale is cut into overlapping tiles,
// all tiles of the image are inverted as one batch (encoder start, then a few iterations),
// and the reconstructed tiles are blended back into a reconstruction of the whole image. The
// residual and the defect map are then maps at the image's own resolution, and the image's
// scores are robust maxima of them: a defect a few pixels wide counts as much in a large
// image as in a small one.
import * as tf from '@tensorflow/tfjs';
import type { FrozenGenerator } from '../dcgan/forward';
import { frozenGeneratorForward } from '../dcgan/forward';
import { invertLatents, type InversionProgress } from '../inversion/invert-latents';
import { reconstructionLossPerImage, type ReconstructionLoss } from '../inversion/reconstruction-loss';
import { encoderForward, type EncoderWeights } from '../pipeline/encoder';
import type { PipelineImage } from '../pipeline/measure-images';
import { channelMeanMap, gaussianBlur, highPassResidualMap, maxValue, topKMean } from '../pipeline/residual-map';
import { defectMapProbabilities, type DefectMapNet } from './defect-map-net';
import { assembleTiles, extractTiles, tileCount, tileGrid } from './tile-grid';

export interface PatchScoringOptions {
  /** Tile stride in pixels (products default to the patch: tiles side by side; patch / 2: every pixel in up to four tiles). */
  stride: number;
  /** Inversion iterations after the encoder's start (0: the encoder's guess alone). */
  iterations: number;
  lr: number;
  loss: ReconstructionLoss;
  levels: number;
  /** Gaussian blur (pixels) of the maps before their maxima are taken. */
  mapBlur: number;
  /** Share of pixels averaged by the top-k scores. */
  topKFraction: number;
}

/** What inspection needs of a trained patch model. */
export interface PatchParts {
  generator: FrozenGenerator;
  encoder: EncoderWeights;
  defectMap: DefectMapNet | null;
  /** Average the defect map over the four mirrorings of its input (PatchSpec.defectMapFlips). */
  defectMapFlips: boolean;
  patch: number;
  zdim: number;
}

export interface PatchMeasurement {
  width: number;
  height: number;
  channels: number;
  /** G's tiles blended into the whole image (HWC, [-1, 1]). */
  reconstruction: Float32Array;
  /** Band-pass |x - reconstruction| per pixel (H*W), blurred by mapBlur. */
  residualMap: Float32Array;
  /** Defect probability per pixel (H*W), blurred by mapBlur; null without a defect map. */
  defectMap: Float32Array | null;
  /** z* of every tile, tile by tile (T * zdim). */
  tileLatents: Float32Array;
  /** Mean |x - reconstruction| over all pixels and channels. */
  reconstructionL1: number;
  /** Mean of the band-pass residual map. */
  residualMean: number;
  scores: { residualMax: number; residualTopK: number; defectMapMax: number; defectMapTopK: number };
}

/**
 * Live view of one image's inversion: every iteration, the mean loss over its tiles and, every
 * `reconstructionEvery` iterations, its tiles blended into the whole image (what the worker
 * stores as a preview). Results are unchanged by watching.
 */
export interface PatchImageWatch {
  reconstructionEvery?: number;
  onIteration(p: { iteration: number; loss: number; reconstruction: Float32Array | null }): void | Promise<void>;
}

/** Reconstructs tiles [T, p, p, C]: E(x), then `iterations` of inversion from there. */
export async function reconstructTiles(
  parts: PatchParts, tiles: tf.Tensor4D, o: Pick<PatchScoringOptions, 'iterations' | 'lr' | 'loss' | 'levels'>,
  onIteration?: (p: InversionProgress) => void | Promise<void>, reconstructionEvery?: number,
): Promise<{ z: tf.Tensor2D; x: tf.Tensor4D }> {
  const init = encoderForward(parts.encoder, tiles);
  if (o.iterations <= 0) {
    const x = frozenGeneratorForward(parts.generator, init);
    // No iterations to report: one report of the encoder's guess (iteration 0), so a live view
    // still shows the image's loss and reconstruction before the verdict rather than nothing.
    if (onIteration) {
      const lossT = reconstructionLossPerImage(x, tiles, o.loss, o.levels);
      const losses = (await lossT.data()) as Float32Array;
      lossT.dispose();
      await onIteration({ iteration: 0, losses, meanLoss: losses.reduce((a, v) => a + v, 0) / losses.length, ...(reconstructionEvery ? { reconstruction: x } : {}) });
    }
    return { z: init, x };
  }
  try {
    const res = await invertLatents(parts.generator, tiles, {
      iterations: o.iterations, lr: o.lr, optimizer: 'adam', loss: o.loss, levels: o.levels, restarts: 1, zClip: 4, init,
      ...(onIteration ? { onIteration } : {}),
      ...(reconstructionEvery ? { reconstructionEvery } : {}),
    });
    res.residuals.dispose();
    return { z: res.z, x: res.reconstructions };
  } finally {
    init.dispose();
  }
}

/**
 * The defect map of one (image, reconstruction) input [1, H, W, C] averaged over its four
 * mirrorings (none, left-right, up-down, both), each mirrored back: one batch of four through
 * the network. One reading also depends on where the image falls on the U-Net's pooling grid
 * and padding; the average keeps what the four readings agree on (ADR 0063).
 */
export function defectMapOverFlips(net: DefectMapNet, input: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const batch = tf.concat([input, tf.reverse(input, 2), tf.reverse(input, 1), tf.reverse(input, [1, 2])], 0);
    const p = defectMapProbabilities(net, batch);
    const back = [p.slice(0, 1), tf.reverse(p.slice(1, 1), 2), tf.reverse(p.slice(2, 1), 1), tf.reverse(p.slice(3, 1), [1, 2])];
    return tf.div(tf.addN(back), 4) as tf.Tensor3D;
  });
}

/** Measures one image (HWC in [-1, 1], each side at least the patch). Leaves no tensors behind. */
export async function measurePatchImage(parts: PatchParts, img: PipelineImage, o: PatchScoringOptions, watch?: PatchImageWatch): Promise<PatchMeasurement> {
  const { width, height, channels } = img;
  const grid = tileGrid(width, height, parts.patch, o.stride);
  const t = tileCount(grid);
  const tiles = tf.tensor4d(extractTiles(img, grid), [t, parts.patch, parts.patch, channels]);
  let rec: { z: tf.Tensor2D; x: tf.Tensor4D } | undefined;
  try {
    // The image's loss is the mean of its tiles' (each tile's own L1 pyramid loss); the preview
    // is assembled the way the final reconstruction is.
    const onIteration = watch && (async (p: InversionProgress) => {
      const recon = p.reconstruction ? assembleTiles((await p.reconstruction.data()) as Float32Array, grid, channels) : null;
      await watch.onIteration({ iteration: p.iteration, loss: p.meanLoss, reconstruction: recon });
    });
    rec = await reconstructTiles(parts, tiles, o, onIteration, watch?.reconstructionEvery);
    const reconstruction = assembleTiles((await rec.x.data()) as Float32Array, grid, channels);
    const tileLatents = (await rec.z.data()) as Float32Array;
    const signed = new Float32Array(img.data.length);
    let l1 = 0;
    for (let i = 0; i < signed.length; i++) {
      signed[i] = img.data[i]! - reconstruction[i]!;
      l1 += Math.abs(signed[i]!);
    }
    const residualMap = highPassResidualMap(channelMeanMap(signed, height, width, channels), height, width, o.mapBlur);
    let defectMap: Float32Array | null = null;
    if (parts.defectMap) {
      const input = tf.tidy(() => {
        const x = tf.tensor4d(img.data, [1, height, width, channels]);
        if (parts.defectMap!.config.inputChannels === channels) return x;
        return tf.concat([x, tf.tensor4d(reconstruction, [1, height, width, channels])], 3);
      });
      const probT = parts.defectMapFlips ? defectMapOverFlips(parts.defectMap, input) : defectMapProbabilities(parts.defectMap, input);
      const prob = (await probT.data()) as Float32Array;
      tf.dispose([input, probT]);
      defectMap = gaussianBlur(prob, height, width, o.mapBlur);
    }
    return {
      width, height, channels, reconstruction, residualMap, defectMap, tileLatents,
      reconstructionL1: l1 / signed.length, residualMean: residualMap.reduce((a, v) => a + v, 0) / residualMap.length,
      scores: {
        residualMax: maxValue(residualMap), residualTopK: topKMean(residualMap, o.topKFraction),
        defectMapMax: defectMap ? maxValue(defectMap) : 0, defectMapTopK: defectMap ? topKMean(defectMap, o.topKFraction) : 0,
      },
    };
  } finally {
    tf.dispose([tiles, ...(rec ? [rec.z, rec.x] : [])]);
  }
}
