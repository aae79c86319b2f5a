// Loads a product's labelled TEST images (QUALIFIED and DEFECTIVE) preprocessed to the model's
// input, with their defect types. Like training images, a corrupt or missing file is skipped
// and reported; storage being down fails the attempt (and the job is retried).
import { listDefectTypes, listImages, type Image } from '@gansight/db';
import { isImageError, preprocessImage } from '@gansight/imaging';
import type { LabelledImage } from '@gansight/ml';
import { isStorageError } from '@gansight/storage';
import type { SkippedImage } from '../training/load-training-images';
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

async function testRows(ctx: WorkerContext, factoryId: string, productId: string): Promise<Image[]> {
  const out: Image[] = [];
  let cursor: string | undefined;
  do {
    const page = await listImages(ctx.db, factoryId, { productId, split: 'TEST', label: ['QUALIFIED', 'DEFECTIVE'] }, { limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // A stable order, so two evaluations of the same set invert the same batches.
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export async function loadTestImages(
  ctx: WorkerContext,
  factoryId: string,
  productId: string,
  format: ImageFormat,
): Promise<LoadedTestSet> {
  const rows = await testRows(ctx, factoryId, productId);
  const types = await listDefectTypes(ctx.db, factoryId, productId);
  const groupNames: Record<string, string> = { good: 'good', [UNTYPED_DEFECT]: 'defect without a type' };
  for (const t of types) groupNames[t.id] = t.name;
  const set: LoadedTestSet = { items: [], imageIds: [], skipped: [], groupNames };
  for (const row of rows) {
    try {
      const image = await preprocessImage(await ctx.blobs.get(row.blobKey), { ...format, source: `image ${row.id}` });
      const defective = row.label === 'DEFECTIVE';
      set.items.push({ image, defective, defectType: defective ? (row.defectTypeId ?? UNTYPED_DEFECT) : null, mask: null, name: row.id });
      set.imageIds.push(row.id);
    } catch (err) {
      if (isImageError(err) || isStorageError(err, 'NOT_FOUND')) {
        set.skipped.push({ imageId: row.id, code: (err as { code: string }).code, reason: (err as Error).message });
        continue;
      }
      throw err;
    }
  }
  return set;
}
