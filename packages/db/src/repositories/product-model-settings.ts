// Which model a product trains, stored as Product.modelSettings (JSON): the paper's whole-image
// model (every image squashed to imageSize) or a patch model (ADR 0034: the GAN on tiles of
// each image at a working scale, plus a learned defect map). `{}` (products from before patch
// models) reads as the whole-image model. The API validates input with the same rules; the
// worker reads settings back through readProductModelSettings.
import { BadInputError } from '../errors';

export const PATCH_MODEL_SIZES = [32, 64, 128] as const;
export type PatchModelSize = (typeof PATCH_MODEL_SIZES)[number];

export interface WholeModelSettings {
  kind: 'whole';
}

export interface PatchModelSettings {
  kind: 'patch';
  /** Factor applied to both sides of every image, (0, 1]; 1 = native resolution. */
  scale: number;
  /** Side of the GAN's tiles in pixels at the working scale. */
  patchSize: PatchModelSize;
  /** Train the learned defect map (its map is the heat map; its score decides verdicts). */
  defectMap: boolean;
  /** Train on mirrored crops too (surfaces without a fixed orientation). */
  flips: boolean;
}

export type ProductModelSettings = WholeModelSettings | PatchModelSettings;

export const DEFAULT_PATCH_MODEL_SETTINGS: PatchModelSettings = { kind: 'patch', scale: 0.5, patchSize: 64, defectMap: true, flips: true };

/** Checks patch settings; throws BadInputError naming the field. */
export function checkPatchModelSettings(s: PatchModelSettings): void {
  if (!(typeof s.scale === 'number' && s.scale > 0 && s.scale <= 1)) throw new BadInputError(`modelSettings.scale must be in (0, 1] (1 = native resolution), got ${String(s.scale)}`);
  if (!(PATCH_MODEL_SIZES as readonly number[]).includes(s.patchSize)) throw new BadInputError(`modelSettings.patchSize must be one of ${PATCH_MODEL_SIZES.join(', ')}, got ${String(s.patchSize)}`);
}

/** The settings stored on a product row (`{}` or anything without kind 'patch' is the whole-image model). */
export function readProductModelSettings(json: unknown): ProductModelSettings {
  const o = (json ?? {}) as Partial<PatchModelSettings>;
  if (o.kind !== 'patch') return { kind: 'whole' };
  return {
    kind: 'patch',
    scale: typeof o.scale === 'number' ? o.scale : DEFAULT_PATCH_MODEL_SETTINGS.scale,
    patchSize: (PATCH_MODEL_SIZES as readonly number[]).includes(o.patchSize as number) ? (o.patchSize as PatchModelSize) : DEFAULT_PATCH_MODEL_SETTINGS.patchSize,
    defectMap: o.defectMap !== false,
    flips: o.flips !== false,
  };
}

/**
 * The shortest side an uploaded image may have. Whole-image models: imageSize (the GAN's
 * input). Patch models: half a patch at the working scale, i.e. ceil(patchSize / (2 scale));
 * an image between that and a full patch is enlarged to one patch (at most 2x), anything
 * smaller would be mostly invented pixels.
 */
export function minimumImageSide(product: { imageSize: number; modelSettings: unknown }): number {
  const s = readProductModelSettings(product.modelSettings);
  return s.kind === 'patch' ? Math.ceil(s.patchSize / (2 * s.scale)) : product.imageSize;
}
