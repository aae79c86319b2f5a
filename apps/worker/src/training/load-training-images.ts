// Loads a product's qualified images of one split from storage, preprocessed to the model's
// input. A corrupt or missing image is skipped and reported; storage being down is not a
// property of one image, so it fails the attempt (and the job is retried).
import { listImages, type Image, type ImageFilter, type ImageSplit } from '@gansight/db';
import { isImageError, preprocessImage, type FloatImage } from '@gansight/imaging';
import { isStorageError } from '@gansight/storage';
import type { WorkerContext } from '../worker-context';
import { preprocessOptions, type ImageFormat } from '../image-format';

export interface SkippedImage {
  imageId: string;
  code: string;
  reason: string;
}

export interface LoadedImages {
  images: FloatImage[];
  imageIds: string[];
  /** Content hash of each image, beside its id. */
  sha256: string[];
  skipped: SkippedImage[];
}

/** Every image matching `filter`, oldest first, so the same set always stacks in the same order
 * (seeded batches stay reproducible; two evaluations of a set invert the same batches). */
export async function allImages(ctx: WorkerContext, factoryId: string, filter: ImageFilter): Promise<Image[]> {
  const out: Image[] = [];
  let cursor: string | undefined;
  do {
    const page = await listImages(ctx.db, factoryId, filter, { limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Reads and preprocesses each row's image; a corrupt or missing one is skipped and reported,
 * any other error (storage down) fails the attempt.
 */
export async function preprocessRows(
  ctx: WorkerContext,
  rows: Image[],
  format: ImageFormat,
): Promise<{ loaded: { row: Image; image: FloatImage }[]; skipped: SkippedImage[] }> {
  const loaded: { row: Image; image: FloatImage }[] = [];
  const skipped: SkippedImage[] = [];
  for (const row of rows) {
    try {
      loaded.push({ row, image: await preprocessImage(await ctx.blobs.get(row.blobKey), { ...preprocessOptions(format), source: `image ${row.id}` }) });
    } catch (err) {
      if (!isImageError(err) && !isStorageError(err, 'NOT_FOUND')) throw err;
      skipped.push({ imageId: row.id, code: (err as { code: string }).code, reason: (err as Error).message });
    }
  }
  return { loaded, skipped };
}

export async function loadQualifiedImages(
  ctx: WorkerContext,
  factoryId: string,
  productId: string,
  split: ImageSplit,
  format: ImageFormat,
): Promise<LoadedImages> {
  const { loaded, skipped } = await preprocessRows(ctx, await allImages(ctx, factoryId, { productId, label: 'QUALIFIED', split }), format);
  return { images: loaded.map((l) => l.image), imageIds: loaded.map((l) => l.row.id), sha256: loaded.map((l) => l.row.sha256), skipped };
}
