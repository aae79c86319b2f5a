// The paper's Figure 7 for two chosen images: both are inverted the way inspections invert
// them, and the generator draws the path between their latents. A smooth strip says the
// model's latent space holds both parts on one connected region (qualified parts); a strip
// that breaks up says one end is not where qualified latents live (the paper's Figure 8).
import { interpolateLatents } from '../analysis';
import { writeCrop } from '../patch/crop-sampler';
import { measurePatchImages, patchScoring } from '../patch/inspect-patch-images';
import { generateImages } from './generator-check';
import type { InspectionModel } from './inspection-model';
import { measureImages, type PipelineImage } from './measure-images';
import { PipelineError } from './pipeline-error';

/**
 * 'spherical': directions along the great circle, lengths linearly between the ends' (the
 * default, docs/adr/0061); 'linear': the paper's straight line.
 */
export type LatentPath = 'linear' | 'spherical';

/** Where a patch model's crop was taken, in the image at its working scale. */
export interface CropWindow {
  x: number;
  y: number;
  side: number;
}

export interface LatentInterpolation {
  /** What was inverted: the images themselves, or a patch model's centre crops of them. */
  ends: [PipelineImage, PipelineImage];
  /** Patch models: each end's crop window; null for whole-image models. */
  crops: [CropWindow, CropWindow] | null;
  /** z* of the two ends. */
  latents: [Float32Array, Float32Array];
  /** Reconstruction loss of each end at z* (the inspection's reconstruction score). */
  endLosses: [number, number];
  /** G(z) at `steps` evenly spaced points of the path; the first and last are the ends' reconstructions. */
  frames: PipelineImage[];
  path: LatentPath;
}

/** Interpolation steps a strip may have: 3 shows one frame between the ends, 64 is the paper's figure. */
export const INTERPOLATION_STEPS = { min: 3, max: 64 } as const;

/**
 * `steps` latents from `from` to `to`, both included: directions on the great circle between
 * theirs, lengths linear between theirs (so a frame's length never leaves the ends' range);
 * linear where the directions are (anti)parallel and the circle is undefined.
 */
export function sphericalLatents(from: ArrayLike<number>, to: ArrayLike<number>, steps: number): Float32Array[] {
  const linear = interpolateLatents(from, to, steps); // also checks lengths and steps
  const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
  const na = norm(from);
  const nb = norm(to);
  if (na === 0 || nb === 0) return linear;
  let cos = 0;
  for (let j = 0; j < from.length; j++) cos += ((from[j] as number) / na) * ((to[j] as number) / nb);
  const omega = Math.acos(Math.min(1, Math.max(-1, cos)));
  const sin = Math.sin(omega);
  if (sin < 1e-6) return linear;
  return linear.map((_, s) => {
    const t = s / (steps - 1);
    const wa = Math.sin((1 - t) * omega) / sin / na;
    const wb = Math.sin(t * omega) / sin / nb;
    const length = (1 - t) * na + t * nb;
    return Float32Array.from({ length: from.length }, (_, j) => length * (wa * (from[j] as number) + wb * (to[j] as number)));
  });
}

/** The centre `side` x `side` crop of an image (a patch model's GAN draws tiles of that size). */
export function centreCrop(img: PipelineImage, side: number): { image: PipelineImage; window: CropWindow } {
  if (img.width < side || img.height < side) {
    throw new PipelineError('BAD_INPUT', `the image is ${img.width}x${img.height} at the working scale, smaller than the ${side}-px patch.`);
  }
  const x = Math.floor((img.width - side) / 2);
  const y = Math.floor((img.height - side) / 2);
  const data = new Float32Array(side * side * img.channels);
  writeCrop(img, x, y, side, false, false, data, 0);
  return { image: { width: side, height: side, channels: img.channels, data }, window: { x, y, side } };
}

/**
 * Inverts `from` and `to` as the model's inspections do (encoder start, then the calibration's
 * inversion iterations; a patch model inverts the centre crop of each at its working scale, one
 * tile) and draws `steps` frames of the path between their latents with the generator.
 */
export async function interpolateBetweenImages(
  model: InspectionModel, from: PipelineImage, to: PipelineImage, o: { steps: number; path?: LatentPath },
): Promise<LatentInterpolation> {
  const c = model.calibration;
  if (!c) throw new PipelineError('NOT_CALIBRATED', 'the model has no calibration (its inversion settings); train it to the end first.');
  if (!Number.isInteger(o.steps) || o.steps < INTERPOLATION_STEPS.min || o.steps > INTERPOLATION_STEPS.max) {
    throw new PipelineError('BAD_INPUT', `steps must be a whole number from ${INTERPOLATION_STEPS.min} to ${INTERPOLATION_STEPS.max}, got ${o.steps}.`);
  }
  const path = o.path ?? 'spherical';
  let ends: [PipelineImage, PipelineImage];
  let crops: [CropWindow, CropWindow] | null = null;
  let latents: Float32Array[];
  let endLosses: number[];
  if (model.patch) {
    const a = centreCrop(from, model.patch.patch);
    const b = centreCrop(to, model.patch.patch);
    ends = [a.image, b.image];
    crops = [a.window, b.window];
    // A crop of the patch size is exactly one tile: its mean tile latent is that tile's z*.
    const lot = await measurePatchImages(model, ends, patchScoring(c, model.patch));
    latents = lot.latents;
    endLosses = lot.measurements.map((m) => m.reconstructionL1);
  } else {
    ends = [from, to];
    const m = await measureImages(model.dcgan, model.encoder, ends, c.scoring);
    latents = m.latents;
    endLosses = m.scores.map((s) => s.reconstruction);
  }
  const [za, zb] = latents as [Float32Array, Float32Array];
  const points = path === 'spherical' ? sphericalLatents(za, zb, o.steps) : interpolateLatents(za, zb, o.steps);
  return { ends, crops, latents: [za, zb], endLosses: endLosses as [number, number], frames: generateImages(model.dcgan, points), path };
}
