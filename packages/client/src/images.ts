import type { GansightClient } from './client';
import { GansightApiError } from './errors';
import {
  RegisterImageDocument,
  RequestImageUploadDocument,
  UploadImageDocument,
  type ImageFactsInput,
  type ImageFieldsFragment,
} from './generated/graphql';

/**
 * Files up to this size go inside one GraphQL request (base64 grows them by a third; the API
 * takes 4 MB bodies); larger ones go through a presigned PUT.
 */
export const DIRECT_UPLOAD_MAX_BYTES = 2_500_000;

export interface UploadImageOptions {
  productId: string;
  bytes: Uint8Array;
  /** Detected from the bytes when omitted (PNG, JPEG, WebP, TIFF, GIF). */
  contentType?: string;
  facts?: ImageFactsInput;
  /** `auto` (default): direct when small, presigned otherwise. */
  via?: 'auto' | 'direct' | 'presigned';
  /** Sends the presigned PUT; `fetch` when omitted. A browser may pass one that reports progress. */
  send?: UploadSender;
}

/** The presigned request uploadImage makes: the storage URL, its signed headers and the bytes. */
export interface UploadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Sends an UploadRequest and answers the HTTP status; rejects only when nothing came back. */
export type UploadSender = (request: UploadRequest) => Promise<{ status: number }>;

const fetchSender: UploadSender = async ({ url, method, headers, body }) => {
  const res = await fetch(url, { method, headers, body: body as Uint8Array<ArrayBuffer> });
  await res.body?.cancel();
  return { status: res.status };
};

export interface UploadedImage {
  image: ImageFieldsFragment;
  /** The same bytes were already stored for this product; the existing image was returned. */
  duplicate: boolean;
}

/** Hex sha256 of the bytes (WebCrypto: the same in Node and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The image type the file's first bytes announce, or null. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return null;
}

function toBase64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Stores one image of a product, in one request or through a presigned PUT plus registerImage
 * (the API checks the stored bytes against our sha256). Bad files fail with BAD_IMAGE.
 */
export async function uploadImage(client: GansightClient, options: UploadImageOptions): Promise<UploadedImage> {
  const via = options.via ?? (options.bytes.length <= DIRECT_UPLOAD_MAX_BYTES ? 'direct' : 'presigned');
  const sha256 = await sha256Hex(options.bytes);
  if (via === 'direct') {
    const { uploadImage } = await client.request(UploadImageDocument, {
      input: { productId: options.productId, dataBase64: toBase64(options.bytes), sha256, facts: options.facts },
    });
    return uploadImage;
  }
  // The API decides the image's type itself; the content type only has to match the signed PUT.
  const contentType = options.contentType ?? sniffImageType(options.bytes) ?? 'application/octet-stream';
  const { requestImageUpload: target } = await client.request(RequestImageUploadDocument, { productId: options.productId, contentType });
  if (options.bytes.length > target.maxBytes) {
    throw new GansightApiError('PAYLOAD_TOO_LARGE', `The image is ${options.bytes.length} bytes; images may be at most ${target.maxBytes} bytes.`);
  }
  let put: { status: number };
  try {
    put = await (options.send ?? fetchSender)({ url: target.url, method: target.method, headers: target.headers as Record<string, string>, body: options.bytes });
  } catch (err) {
    throw new GansightApiError('NETWORK_ERROR', `Could not upload the image to storage: ${(err as Error).message}`, { cause: err });
  }
  if (put.status < 200 || put.status > 299) {
    const code = put.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'HTTP_ERROR';
    throw new GansightApiError(code, `Storage refused the upload with HTTP ${put.status} (${target.maxBytes} bytes at most)`, { status: put.status });
  }
  const { registerImage } = await client.request(RegisterImageDocument, { input: { key: target.key, sha256, facts: options.facts } });
  return registerImage;
}
