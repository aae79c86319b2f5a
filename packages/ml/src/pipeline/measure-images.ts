// Inverts a batch of images and measures everything that does not need reference statistics:
// reconstruction loss, residual-map summaries and the discriminator-feature residual.
import * as tf from '@tensorflow/tfjs';
import { disposeFrozenGenerator, freezeGenerator } from '../dcgan/forward';
import type { Dcgan } from '../dcgan/dcgan-model';
import { discriminatorFeatures, featureResidual } from './discriminator-features';
import { encoderForward, type EncoderWeights } from './encoder';
import type { RawScoreKind, ScoringOptions } from './inspection-model';
import { invertFrom } from './invert-from';
import { mixSeed } from '../dcgan/seeded-random';
import { invertLatents, type InversionProgress } from '../inversion/invert-latents';
import { defaultLocalGrid, localGridFeatures } from './local-feature-density';
import { PipelineError } from './pipeline-error';
import { channelMeanMap, gaussianBlur, highPassResidualMap, maxValue, topKMean } from './residual-map';

/** An image as the pipeline takes it: HWC float32 in [-1, 1] (what @gansight/imaging produces). */
export interface PipelineImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** Scores that need no reference statistics. */
export type ImageSpaceScores = Omit<Record<RawScoreKind, number>, 'latentMahalanobis' | 'latentFrechet' | 'residualStandardised' | 'featureDensity' | 'localFeatureDensity' | 'defectMap'>;

export interface Measurements {
  scores: ImageSpaceScores[];
  /** z* per image. */
  latents: Float32Array[];
  /** Blurred residual map per image (H*W), what residualMax / residualTopK summarise. */
  residualMaps: Float32Array[];
  /** Band-pass residual map per image (H*W), standardised per pixel by the calibration. */
  highPassMaps: Float32Array[];
  /** D's last features of each input image (for the featureDensity score). */
  features: Float32Array[];
  /** D's block maps of each input image on the default local grid (for the localFeatureDensity score). */
  localFeatures: Float32Array[];
  /** G(z*) per image (HWC in [-1, 1]), when asked for. */
  reconstructions: Float32Array[] | null;
  seconds: number;
}

export interface MeasureOptions {
  keepReconstructions?: boolean;
  /** Called after each batch with the number of images done. */
  onProgress?: (done: number, total: number) => void;
  /** Called after every inversion iteration (for live progress streams): batch start index, iteration. */
  onIteration?: (batchStart: number, iteration: number) => void;
  /**
   * Called after every inversion iteration with each image's best loss so far (costs one small
   * read-back per iteration) and, every `reconstructionEvery` iterations, G(z) of the batch
   * (row restart * batch length + i; disposed after the call). Results are unchanged by it.
   */
  onInversionProgress?: (batchStart: number, p: InversionProgress) => void | Promise<void>;
  reconstructionEvery?: number;
}

/** Checks that images fit the model and hold finite values in about [-1, 1]; throws PipelineError BAD_INPUT otherwise. */
export function validateImages(images: PipelineImage[], size: number, channels: number): void {
  if (images.length === 0) throw new PipelineError('BAD_INPUT', 'no images given.');
  images.forEach((img, i) => {
    if (img.width !== size || img.height !== size || img.channels !== channels) {
      throw new PipelineError('BAD_INPUT', `image ${i} is ${img.width}x${img.height}x${img.channels}; the model takes ${size}x${size}x${channels}. Preprocess it to the product's size first.`);
    }
    if (!(img.data instanceof Float32Array) || img.data.length !== size * size * channels) {
      throw new PipelineError('BAD_INPUT', `image ${i} holds ${img.data?.length ?? 0} values, expected ${size * size * channels}.`);
    }
    for (let k = 0; k < img.data.length; k++) {
      const v = img.data[k]!;
      // A little slack for resampling overshoot; anything else is a wrongly scaled input.
      if (!(v >= -1.01 && v <= 1.01)) throw new PipelineError('BAD_INPUT', `image ${i} has value ${v} at ${k}; pixels must be in [-1, 1].`);
    }
  });
}

function stack(images: PipelineImage[]): tf.Tensor4D {
  const f = images[0]!;
  const all = new Float32Array(images.length * f.data.length);
  images.forEach((img, i) => all.set(img.data, i * f.data.length));
  return tf.tensor4d(all, [images.length, f.height, f.width, f.channels]);
}

/** invertFrom with the same options (so the same results) plus the per-iteration progress pass-through. */
async function invertWatched(
  frozen: Parameters<typeof invertFrom>[0], x: tf.Tensor4D, o: ScoringOptions, init: tf.Tensor2D | null, b: number, m: MeasureOptions,
) {
  const res = await invertLatents(frozen, x, {
    iterations: o.iterations, lr: o.lr, optimizer: o.optimizer, momentum: 0.9, loss: o.loss, levels: o.levels,
    restarts: o.restarts, seed: o.seed, randomStartSeed: mixSeed(o.seed, x.shape[0], 0x1a7e),
    ...(o.zClip !== undefined ? { zClip: o.zClip } : {}),
    ...(init ? { init } : {}),
    ...(m.onIteration ? { onIterationDone: (it: number) => m.onIteration!(b, it) } : {}),
    onIteration: (p) => m.onInversionProgress!(b, p),
    ...(m.reconstructionEvery ? { reconstructionEvery: m.reconstructionEvery } : {}),
  });
  res.residuals.dispose();
  return { z: res.z, reconstructions: res.reconstructions, losses: res.losses };
}

/** Inverts `images` in batches and measures each; leaves no tensors behind. */
export async function measureImages(
  dcgan: Dcgan, encoder: EncoderWeights | null, images: PipelineImage[], o: ScoringOptions, m: MeasureOptions = {},
): Promise<Measurements> {
  const { size, channels } = dcgan.config;
  validateImages(images, size, channels);
  const started = performance.now();
  const frozen = freezeGenerator(dcgan.generator);
  const out: Measurements = { scores: [], latents: [], residualMaps: [], highPassMaps: [], features: [], localFeatures: [], reconstructions: m.keepReconstructions ? [] : null, seconds: 0 };
  try {
    for (let b = 0; b < images.length; b += o.batchSize) {
      const batch = images.slice(b, b + o.batchSize);
      const x = stack(batch);
      const init = o.useEncoder && encoder ? encoderForward(encoder, x) : null;
      const inv = await (m.onInversionProgress
        ? invertWatched(frozen, x, o, init, b, m)
        : invertFrom(frozen, x, o, init, m.onIteration && ((it) => m.onIteration!(b, it)))
      ).catch((err: unknown) => {
        // A progress callback that throws (a cancelled training run) leaves no tensors behind.
        tf.dispose([x, ...(init ? [init] : [])]);
        throw err;
      });
      const residualT = tf.tidy(() => tf.sub(x, inv.reconstructions));
      const featT = featureResidual(dcgan.discriminator, x, inv.reconstructions);
      const dFeatT = discriminatorFeatures(dcgan.discriminator, x);
      const localT = localGridFeatures(dcgan.discriminator, x, defaultLocalGrid(size));
      const residual = (await residualT.data()) as Float32Array;
      const feat = (await featT.data()) as Float32Array;
      const dFeat = (await dFeatT.data()) as Float32Array;
      const perFeat = dFeat.length / batch.length;
      const local = (await localT.data()) as Float32Array;
      const perLocal = local.length / batch.length;
      const z = (await inv.z.data()) as Float32Array;
      const recon = m.keepReconstructions ? ((await inv.reconstructions.data()) as Float32Array) : null;
      tf.dispose([x, inv.z, inv.reconstructions, residualT, featT, dFeatT, localT]);
      init?.dispose();
      const px = size * size;
      const zdim = dcgan.config.zdim;
      batch.forEach((_, i) => {
        const signed = channelMeanMap(residual.subarray(i * px * channels, (i + 1) * px * channels), size, size, channels);
        const raw = signed.map(Math.abs);
        const map = gaussianBlur(raw, size, size, o.residualBlur);
        let mean = 0;
        for (const v of raw) mean += v;
        out.scores.push({
          reconstruction: inv.losses[i]!,
          residualMean: mean / raw.length,
          residualMax: maxValue(map),
          residualTopK: topKMean(map, o.topKFraction),
          featureResidual: feat[i]!,
        });
        out.latents.push(z.slice(i * zdim, (i + 1) * zdim));
        out.features.push(dFeat.slice(i * perFeat, (i + 1) * perFeat));
        out.localFeatures.push(local.slice(i * perLocal, (i + 1) * perLocal));
        out.residualMaps.push(map);
        out.highPassMaps.push(highPassResidualMap(signed, size, size, o.residualBlur));
        if (recon) out.reconstructions!.push(recon.slice(i * px * channels, (i + 1) * px * channels));
      });
      m.onProgress?.(Math.min(images.length, b + o.batchSize), images.length);
    }
  } finally {
    disposeFrozenGenerator(frozen);
  }
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
