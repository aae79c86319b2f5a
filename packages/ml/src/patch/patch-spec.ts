// What makes an inspection model a patch model: the working scale, the tile geometry and the
// defect map. The GAN itself is the paper's DCGAN at the patch size.
import { PipelineError } from '../pipeline/pipeline-error';
import type { DefectMapNet } from './defect-map-net';

export const PATCH_SIZES = [32, 64, 128] as const;
export type PatchSize = (typeof PATCH_SIZES)[number];

export interface PatchGeometry {
  /** Factor applied to both sides of every image before anything looks at it (1 = native resolution). */
  scale: number;
  /** Side of the square tiles the GAN generates. */
  patch: PatchSize;
  /** Distance between tile origins; the patch by default (tiles side by side, ADR 0063). */
  stride: number;
  /** Train on mirrored crops too (surfaces without a fixed orientation). */
  flips: boolean;
}

export interface PatchSpec extends PatchGeometry {
  /** The learned defect map; null when the product switched it off. */
  defectMap: DefectMapNet | null;
  /**
   * Inspection averages the defect map over the four mirrorings of (image, reconstruction):
   * set on models trained with flips since 2026-12-07 (image AUROC +0.03 on magnetic tiles,
   * docs/RESULTS.md). Absent on older models, which read the map once as they were calibrated.
   */
  defectMapFlips?: boolean;
}

/** Checks a geometry; throws PipelineError BAD_INPUT naming the field. */
export function validatePatchGeometry(g: PatchGeometry): void {
  if (!(PATCH_SIZES as readonly number[]).includes(g.patch)) throw new PipelineError('BAD_INPUT', `patch must be one of ${PATCH_SIZES.join(', ')}, got ${g.patch}.`);
  if (!(g.scale > 0 && g.scale <= 1)) throw new PipelineError('BAD_INPUT', `scale must be in (0, 1] (1 = native resolution), got ${g.scale}.`);
  if (!(Number.isInteger(g.stride) && g.stride >= 1 && g.stride <= g.patch)) throw new PipelineError('BAD_INPUT', `stride must be an integer from 1 to the patch (${g.patch}), got ${g.stride}.`);
}

/** Smallest original image side that still holds one tile at the working scale. */
export function minimumImageSide(g: Pick<PatchGeometry, 'scale' | 'patch'>): number {
  return Math.ceil(g.patch / g.scale);
}

/** An image's size at the working scale (each side at least 1 px). */
export function scaledSize(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
