// How a product's images become model input (side, channels, fit, intensity). Training reads it
// from the product and records it on the model; inspection, evaluation and lots read it back
// from the model, so that a product edited after training (new size, new preprocessing) never
// feeds a model images shaped or scaled unlike those it was trained on.
import type { Model, Product } from '@gansight/db';
import type { IntensityMode } from '@gansight/imaging';
import { WorkerError } from './jobs/job-errors';

export interface ImageFormat {
  size: number;
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
  return { size, channels, mode, intensity };
}

/** The product's current settings: what a new training run uses. */
export function productImageFormat(product: Product): ImageFormat {
  return parseFormat(product.imageSize, product.channels, (product.preprocessing ?? {}) as Record<string, unknown>, `Product ${product.name}`);
}

/** The format a model was trained with; models trained before it was recorded use the product's. */
export function modelImageFormat(model: Model, product: Product): ImageFormat {
  const recorded = ((model.referenceStats ?? {}) as { imageFormat?: Record<string, unknown> }).imageFormat;
  if (!recorded) return productImageFormat(product);
  return parseFormat(recorded.size, recorded.channels, recorded, `Model v${model.version}`);
}
