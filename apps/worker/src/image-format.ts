// How a product's images become model input (side, channels, fit, intensity). Training reads it
// from the product and records it on the model; inspection, evaluation and lots read it back
// from the model, so that a product edited after training (new size, new preprocessing) never
// feeds a model images shaped or scaled unlike those it was trained on.
import { readProductModelSettings, type Model, type Product } from '@gansight/db';
import type { IntensityMode, PreprocessOptions } from '@gansight/imaging';
import { WorkerError } from './jobs/job-errors';

export interface ImageFormat {
  /** Whole-image models: the side every image is brought to. Patch models: the GAN's tile side. */
  size: number;
  /**
   * Patch models only (ADR 0034): the working scale. Images keep their aspect ratio; one whose
   * short side would fall below `size` is enlarged to it.
   */
  scale?: number;
  channels: 1 | 3;
  mode: 'resize' | 'center-crop' | 'pad';
  /** 'per-image' standardises each image's intensity (tiles lit differently); 'raw' keeps pixels. */
  intensity: IntensityMode;
}

function parseFormat(size: unknown, channels: unknown, pre: Record<string, unknown>, source: string): ImageFormat {
  if (channels !== 1 && channels !== 3) throw new WorkerError('BAD_HYPER_PARAMETERS', `${source}: channels must be 1 or 3, got ${String(channels)}.`, true);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 8) throw new WorkerError('BAD_HYPER_PARAMETERS', `${source}: image size must be a whole number >= 8, got ${String(size)}.`, true);
  const mode = pre.mode === 'center-crop' || pre.mode === 'pad' ? pre.mode : 'resize';
  const intensity = pre.intensity === 'per-image' ? 'per-image' : 'raw';
  const scale = pre.scale;
  if (scale !== undefined && !(typeof scale === 'number' && scale > 0 && scale <= 1)) {
    throw new WorkerError('BAD_HYPER_PARAMETERS', `${source}: scale must be in (0, 1], got ${String(scale)}.`, true);
  }
  return { size, channels, mode, intensity, ...(scale !== undefined ? { scale } : {}) };
}

/** What @gansight/imaging's preprocessImage takes for this format. */
export function preprocessOptions(f: ImageFormat): Pick<PreprocessOptions, 'size' | 'channels' | 'mode' | 'intensity'> {
  return { size: f.scale !== undefined ? { scale: f.scale, minSide: f.size } : f.size, channels: f.channels, mode: f.mode, intensity: f.intensity };
}

/**
 * The fixed 64-px format the PCA baselines read (evaluations of patch models, whose own images
 * differ in size); whole-image models' baselines read the model's own format.
 */
export function baselineImageFormat(f: ImageFormat): ImageFormat {
  return f.scale === undefined ? f : { size: 64, channels: f.channels, mode: 'resize', intensity: f.intensity };
}

/** The product's current settings: what a new training run uses. */
export function productImageFormat(product: Product): ImageFormat {
  const settings = readProductModelSettings(product.modelSettings);
  const pre = (product.preprocessing ?? {}) as Record<string, unknown>;
  // A patch model's GAN works on tiles of patchSize; the images themselves keep their aspect at the scale.
  if (settings.kind === 'patch') return parseFormat(settings.patchSize, product.channels, { ...pre, scale: settings.scale }, `Product ${product.name}`);
  return parseFormat(product.imageSize, product.channels, pre, `Product ${product.name}`);
}

/** The format a model was trained with; models trained before it was recorded use the product's. */
export function modelImageFormat(model: Model, product: Product): ImageFormat {
  const recorded = ((model.referenceStats ?? {}) as { imageFormat?: Record<string, unknown> }).imageFormat;
  if (!recorded) return productImageFormat(product);
  return parseFormat(recorded.size, recorded.channels, recorded, `Model v${model.version}`);
}
