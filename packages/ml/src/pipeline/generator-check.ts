// Checks a generator before trusting it (paper section IV): do generated and real images share
// one manifold (t-SNE in pixel space), and do inverted generated samples land where inverted
// qualified images do (Frechet distance in latent space; the paper's "generated samples" row).
import * as tf from '@tensorflow/tfjs';
import { fitGaussian, frechetDistance, interpolateLatents, tsne, type TsneOptions } from '../analysis';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from '../dcgan/forward';
import { seededLatents } from '../dcgan/seeded-random';
import type { Dcgan } from '../dcgan/dcgan-model';
import type { InspectionModel } from './inspection-model';
import { calibrationGaussian } from './latent-reference';
import { measureImages, type PipelineImage } from './measure-images';
import { stepCrops } from '../patch/crop-sampler';
import { inversionProgress, type OnPhaseProgress } from './phase-progress';
import { PipelineError } from './pipeline-error';

export interface GeneratorCheck {
  /** 2-D t-SNE coordinates, first the generated samples, then the real images. */
  tsne: { points: Array<[number, number]>; source: Array<'generated' | 'real'> };
  /** Frechet distance between latents of inverted generated samples and the qualified reference. */
  frechetGeneratedVsQualified: number;
  generated: PipelineImage[];
}

/** Images G(z) for latents z (inference mode), as pipeline images. */
export function generateImages(dcgan: Dcgan, latents: ArrayLike<number>[]): PipelineImage[] {
  const { size, channels, zdim } = dcgan.config;
  const frozen = freezeGenerator(dcgan.generator);
  try {
    const z = tf.tensor2d(Float32Array.from(latents.flatMap((v) => Array.from(v as ArrayLike<number>))), [latents.length, zdim]);
    const out = tf.tidy(() => frozenGeneratorForward(frozen, z));
    const data = out.dataSync() as Float32Array;
    tf.dispose([z, out]);
    const px = size * size * channels;
    return latents.map((_, i) => ({ width: size, height: size, channels, data: data.slice(i * px, (i + 1) * px) }));
  } finally {
    disposeFrozenGenerator(frozen);
  }
}

/** The paper's interpolation: `steps` images (default 64) along the line between two latents. */
export function interpolationImages(dcgan: Dcgan, from: ArrayLike<number>, to: ArrayLike<number>, steps = 64): PipelineImage[] {
  return generateImages(dcgan, interpolateLatents(from, to, steps));
}

/** One seeded crop of each image, `side` px square (images of a patch model at their working scale). */
function realCrops(images: PipelineImage[], side: number, seed: number): PipelineImage[] {
  const channels = images[0]!.channels;
  const px = side * side * channels;
  const all = stepCrops(images, images.length, { patch: side, flips: false }, seed, 0, 0x7e5);
  return images.map((_, i) => ({ width: side, height: side, channels, data: all.slice(i * px, (i + 1) * px) }));
}

/** t-SNE of `samples` generated vs the given real images, and the generated-latent Frechet distance. */
export async function checkGenerator(
  model: InspectionModel, real: PipelineImage[],
  o: { samples?: number; seed?: number; tsne?: TsneOptions; /** Per inversion iteration, then before the t-SNE (throwing stops). */ onProgress?: OnPhaseProgress } = {},
): Promise<GeneratorCheck> {
  const c = model.calibration;
  if (!c) throw new PipelineError('NOT_CALIBRATED', 'the generator check compares with the calibration reference; calibrate the model first.');
  const n = o.samples ?? 64;
  const zT = seededLatents(n, model.dcgan.config.zdim, o.seed ?? 0, 0, 0x9e7);
  const zs = zT.arraySync() as number[][];
  zT.dispose();
  const generated = generateImages(model.dcgan, zs);
  // A patch model generates tiles: its real images are compared as random crops of that size.
  real = model.patch && real.some((r) => r.width !== model.dcgan.config.size || r.height !== model.dcgan.config.size) ? realCrops(real, model.dcgan.config.size, o.seed ?? 0) : real;
  const progress = o.onProgress && inversionProgress('generator-check', n, c.scoring, o.onProgress);
  const m = await measureImages(model.dcgan, model.encoder, generated, c.scoring, progress ? { onInversionProgress: progress } : {});
  // A patch model's reference holds per-image means of tile latents; generated tiles compare
  // with qualified tiles (`real` are then crops of the patch size) inverted the same way.
  const reference = model.patch ? fitGaussian((await measureImages(model.dcgan, model.encoder, real, c.scoring)).latents) : calibrationGaussian(c);
  const frechetGeneratedVsQualified = frechetDistance(fitGaussian(m.latents), reference);
  const inverted = Math.ceil(n / c.scoring.batchSize) * c.scoring.iterations;
  await o.onProgress?.({ phase: 'generator-check', done: inverted, total: inverted });
  const points = tsne([...generated.map((g) => g.data), ...real.map((r) => r.data)], { seed: o.seed ?? 0, ...o.tsne });
  return {
    tsne: { points, source: [...generated.map(() => 'generated' as const), ...real.map(() => 'real' as const)] },
    frechetGeneratedVsQualified,
    generated,
  };
}
