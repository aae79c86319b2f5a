// Loads a product's labelled TEST images (QUALIFIED and DEFECTIVE) preprocessed to the model's
// input, with their defect types. Like training images, a corrupt or missing file is skipped
// and reported; storage being down fails the attempt (and the job is retried).
import { listDefectTypes } from '@gansight/db';
import type { LabelledImage } from '@gansight/ml';
import { allImages, preprocessRows, type SkippedImage } from '../training/load-training-images';
import type { ImageFormat } from '../image-format';
import type { WorkerContext } from '../worker-context';

/** Group key of defective images without a defect type (the pipeline calls qualified ones 'good'). */
export const UNTYPED_DEFECT = 'untyped';

export interface LoadedTestSet {
  items: LabelledImage[];
  imageIds: string[];
  skipped: SkippedImage[];
  /** Group key (defect type id, 'good' or UNTYPED_DEFECT) -> name shown to people. */
  groupNames: Record<string, string>;
}

export async function loadTestImages(
  ctx: WorkerContext,
  factoryId: string,
  productId: string,
  format: ImageFormat,
): Promise<LoadedTestSet> {
  const rows = await allImages(ctx, factoryId, { productId, split: 'TEST', label: ['QUALIFIED', 'DEFECTIVE'] });
  const types = await listDefectTypes(ctx.db, factoryId, productId);
  const groupNames: Record<string, string> = { good: 'good', [UNTYPED_DEFECT]: 'defect without a type' };
  for (const t of types) groupNames[t.id] = t.name;
  const { loaded, skipped } = await preprocessRows(ctx, rows, format);
  const set: LoadedTestSet = { items: [], imageIds: [], skipped, groupNames };
  for (const { row, image } of loaded) {
    const defective = row.label === 'DEFECTIVE';
    set.items.push({ image, defective, defectType: defective ? (row.defectTypeId ?? UNTYPED_DEFECT) : null, mask: null, name: row.id });
    set.imageIds.push(row.id);
  }
  return set;
}
