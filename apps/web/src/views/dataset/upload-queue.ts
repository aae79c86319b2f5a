import { isApiError, sniffImageType, uploadImage, type GansightClient, type ImageLabel, type ImageSplit, type UploadSender } from '@gansight/client';

export type UploadState =
  | { status: 'waiting' }
  /** `sent` of `size` bytes: known for files sent by presigned PUT (large ones). */
  | { status: 'uploading'; sent?: number }
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
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!sniffImageType(head)) return 'Not an image (PNG, JPEG, GIF, WebP or TIFF).';
  return null;
}

/**
 * Sends a presigned PUT from the browser with upload progress (fetch reports none). The URL
 * names the API's /blobs route, another origin than the dashboard that approves no CORS
 * preflight; the same path and query on the dashboard's own origin reach it through proxy.ts
 * (the signature covers key, method, expiry, type and size, not the host).
 */
export function progressSender(onProgress: (sent: number) => void): UploadSender {
  return ({ url, method, headers, body }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const xhr = new XMLHttpRequest();
      xhr.open(method, `${target.pathname}${target.search}`);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => resolve({ status: xhr.status });
      xhr.onerror = () => reject(new Error('the connection failed'));
      xhr.send(body as Uint8Array<ArrayBuffer>);
    });
}

/**
 * Uploads one file as a dataset image with the batch's label and split; never throws. Small
 * files go in one GraphQL request, larger ones by presigned PUT with `onProgress` in bytes.
 */
export async function uploadOne(
  client: GansightClient,
  productId: string,
  file: File,
  facts: { label: ImageLabel; split: ImageSplit; defectTypeId?: string | null },
  onProgress: (sent: number) => void = () => undefined,
): Promise<UploadState> {
  const problem = await precheck(file);
  if (problem) return { status: 'error', message: problem };
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { image, duplicate } = await uploadImage(client, { productId, bytes, send: progressSender(onProgress), facts: { ...facts, source: 'UPLOAD', metadata: { fileName: file.name } } });
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
