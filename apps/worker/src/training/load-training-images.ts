// Loads a product's qualified images of one split from storage, preprocessed to the model's
// input. A corrupt or missing image is skipped and reported; storage being down is not a
// property of one image, so it fails the attempt (and the job is retried).
import { listImages, type Image, type ImageSplit } from '@gansight/db';
import { isImageError, preprocessImage, type FloatImage } from '@gansight/imaging';
import { isStorageError } from '@gansight/storage';
import type { WorkerContext } from '../worker-context';
import type { ImageFormat } from '../image-format';

export interface SkippedImage {
  imageId: string;
  code: string;
  reason: string;
}

export interface LoadedImages {
  images: FloatImage[];
  imageIds: string[];
  skipped: SkippedImage[];
}

async function allImages(ctx: WorkerContext, factoryId: string, productId: string, split: ImageSplit): Promise<Image[]> {
  const out: Image[] = [];
  let cursor: string | undefined;
  do {
    const page = await listImages(ctx.db, factoryId, { productId, label: 'QUALIFIED', split }, { limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // Oldest first, so the same set always stacks in the same order (seeded batches stay reproducible).
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export async function loadQualifiedImages(
  ctx: WorkerContext,
  factoryId: string,
  productId: string,
  split: ImageSplit,
  format: ImageFormat,
): Promise<LoadedImages> {
  const rows = await allImages(ctx, factoryId, productId, split);
  const result: LoadedImages = { images: [], imageIds: [], skipped: [] };
  for (const row of rows) {
    try {
      const bytes = await ctx.blobs.get(row.blobKey);
      result.images.push(await preprocessImage(bytes, { ...format, source: `image ${row.id}` }));
      result.imageIds.push(row.id);
    } catch (err) {
      if (isImageError(err) || isStorageError(err, 'NOT_FOUND')) {
        result.skipped.push({ imageId: row.id, code: (err as { code: string }).code, reason: (err as Error).message });
        continue;
      }
      throw err;
    }
  }
  return result;
}
