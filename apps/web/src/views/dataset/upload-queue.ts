import { DIRECT_UPLOAD_MAX_BYTES, isApiError, sniffImageType, uploadImage, type GansightClient, type ImageLabel, type ImageSplit } from '@gansight/client';

export type UploadState =
  | { status: 'waiting' }
  | { status: 'uploading' }
  | { status: 'done'; imageId: string }
  | { status: 'duplicate'; imageId: string }
  | { status: 'error'; message: string };

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  state: UploadState;
}

/**
 * Checks a file before it is sent: what the browser can tell (an image by its first bytes, and
 * size) gives a clear message at once; the API judges the rest (decodable, big enough) and its
 * BAD_IMAGE message is shown as it is.
 */
export async function precheck(file: File): Promise<string | null> {
  if (file.size === 0) return 'Empty file.';
  // Larger files would need a presigned PUT to storage, which is another origin than the dashboard.
  if (file.size > DIRECT_UPLOAD_MAX_BYTES) return `Over ${(DIRECT_UPLOAD_MAX_BYTES / 1e6).toFixed(1)} MB: upload it with the gansight CLI.`;
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!sniffImageType(head)) return 'Not an image (PNG, JPEG, GIF, WebP or TIFF).';
  return null;
}

/** Uploads one file as a dataset image with the batch's label and split; never throws. */
export async function uploadOne(client: GansightClient, productId: string, file: File, facts: { label: ImageLabel; split: ImageSplit; defectTypeId?: string | null }): Promise<UploadState> {
  const problem = await precheck(file);
  if (problem) return { status: 'error', message: problem };
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { image, duplicate } = await uploadImage(client, { productId, bytes, via: 'direct', facts: { ...facts, source: 'UPLOAD', metadata: { fileName: file.name } } });
    return duplicate ? { status: 'duplicate', imageId: image.id } : { status: 'done', imageId: image.id };
  } catch (err) {
    const prefix = isApiError(err, 'BAD_IMAGE') ? '' : isApiError(err, 'RATE_LIMITED') ? 'Too many uploads at once; try again: ' : '';
    return { status: 'error', message: `${prefix}${(err as Error).message}` };
  }
}

/** Runs `work` over `items` with at most `limit` at a time (uploads share the API with the line). */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
