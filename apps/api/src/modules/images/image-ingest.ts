import { createHash } from 'node:crypto';
import type { ImageFactsInput, UploadImageInput } from '@gansight/contracts/schema-types';
import { minimumImageSide, readProductModelSettings, createImage, discardUnusedImage, getDefectType, getProduct, type Image, type JsonInput, type Product } from '@gansight/db';
import { decodeImage, isImageError } from '@gansight/imaging';
import { blobKey, type BlobStore } from '@gansight/storage';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { definedOnly } from '../common/defined-only';
import { factoryQuotas } from '../quotas/factory-quotas';

/** The largest image file accepted, by either upload path. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;

// Stored content type follows what the bytes are, never what the uploader claimed.
const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tiff: 'image/tiff',
  gif: 'image/gif',
};

/** What a client may tell about an image (the schema's ImageFactsInput); every field optional. */
export type ImageFacts = ImageFactsInput;

export function requireBlobs(ctx: ApiContext): BlobStore {
  if (!ctx.services.blobs) throw new Error('Blob storage is not configured for this API server (services.blobs)');
  return ctx.services.blobs;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of a base64 string; BAD_USER_INPUT when it is not base64. */
export function decodeBase64(value: string): Buffer {
  const data = value.replace(/\s+/g, '');
  if (!data || data.length % 4 === 1 || !BASE64.test(data)) throw apiError('BAD_USER_INPUT', 'dataBase64 is not valid base64.');
  return Buffer.from(data, 'base64');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Checks the facts before any byte is stored, so a bad label or defect type changes nothing. */
export async function checkFacts(ctx: ApiContext, factoryId: string, productId: string, facts: ImageFacts): Promise<void> {
  if (facts.defectTypeId) {
    const defect = await getDefectType(ctx.services.db, factoryId, facts.defectTypeId);
    if (defect.productId !== productId) throw apiError('BAD_USER_INPUT', 'The defect type belongs to another product.');
    if (facts.label && facts.label !== 'DEFECTIVE') throw apiError('BAD_USER_INPUT', 'Only DEFECTIVE images have a defect type.');
  }
  for (const [name, value] of [['line', facts.line], ['station', facts.station]] as const) {
    if (value && value.length > 100) throw apiError('BAD_USER_INPUT', `${name} must be at most 100 characters.`);
  }
  if (facts.metadata !== undefined && facts.metadata !== null && (typeof facts.metadata !== 'object' || Array.isArray(facts.metadata))) {
    throw apiError('BAD_USER_INPUT', 'metadata must be a JSON object.');
  }
}

export interface ImageShape {
  width: number;
  height: number;
  contentType: string;
  extension: string;
}

/**
 * Validates image bytes for the product (decodable, not truncated, at least imageSize on each
 * side) and throws BAD_IMAGE with a message saying what to fix.
 */
export async function validateImageBytes(bytes: Uint8Array, product: Product): Promise<ImageShape> {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw apiError('BAD_IMAGE', `The file is ${bytes.length} bytes; images may be at most ${MAX_IMAGE_BYTES} bytes.`);
  }
  try {
    const decoded = await decodeImage(bytes, { channels: product.channels as 1 | 3, limits: { maxBytes: MAX_IMAGE_BYTES } });
    const contentType = CONTENT_TYPES[decoded.format];
    if (!contentType) throw apiError('BAD_IMAGE', `${decoded.format} images are not accepted; send PNG, JPEG, WebP, TIFF or GIF.`);
    // Smaller images would have to be blown up, inventing detail the model then learns.
    const min = minimumImageSide(product);
    if (decoded.width < min || decoded.height < min) {
      throw apiError(
        'BAD_IMAGE',
        `The image is ${decoded.width}x${decoded.height}; product "${product.name}" needs at least ${min}x${min}${readProductModelSettings(product.modelSettings).kind === 'patch' ? ' (half a patch at its working scale)' : ''}.`,
      );
    }
    return { width: decoded.width, height: decoded.height, contentType, extension: decoded.format === 'jpeg' ? 'jpg' : decoded.format };
  } catch (err) {
    if (isImageError(err)) throw apiError('BAD_IMAGE', err.message);
    throw err;
  }
}

/**
 * Stores validated bytes under their content address and records the image. The same bytes
 * for the same product return the existing image (`duplicate: true`) and store nothing new.
 */
export async function storeImage(
  ctx: ApiContext,
  factoryId: string,
  product: Product,
  bytes: Uint8Array,
  sha256: string,
  facts: ImageFacts,
  validated?: ImageShape,
): Promise<{ image: Image; duplicate: boolean }> {
  const blobs = requireBlobs(ctx);
  const shape = validated ?? (await validateImageBytes(bytes, product));
  const key = blobKey(factoryId, 'images', product.id, `${sha256}.${shape.extension}`);
  const { maxStoredImages } = await factoryQuotas(ctx, factoryId);
  const existed = await blobs.exists(key);
  if (!existed) await blobs.put(key, Buffer.from(bytes), { contentType: shape.contentType, sha256 });
  try {
    // Over the stored-images quota the row is refused and the blob goes in the catch below.
    const { image, created } = await createImage(ctx.services.db, factoryId, {
      productId: product.id,
      blobKey: key,
      sha256,
      width: shape.width,
      height: shape.height,
      contentType: shape.contentType,
      byteSize: bytes.length,
      ...definedOnly(facts, ['label', 'split', 'source']),
      defectTypeId: facts.defectTypeId ?? null,
      capturedAt: facts.capturedAt ?? null,
      line: facts.line ?? null,
      station: facts.station ?? null,
      metadata: (facts.metadata ?? undefined) as JsonInput | undefined,
    }, { maxStoredImages });
    if (!created && image.blobKey !== key && !existed) await blobs.delete(key);
    return { image, duplicate: !created };
  } catch (err) {
    if (!existed) await blobs.delete(key).catch((e: Error) => ctx.services.log?.(`image ${sha256}: stored blob ${key} not removed after a failed registration: ${e.message}`));
    throw err;
  }
}

/** An image sent inline, base64 (the schema's UploadImageInput). */
export type DirectUpload = UploadImageInput;

/** An image checked in every way (product, facts, bytes, sha256) and not yet stored. */
export interface PreparedImage {
  product: Product;
  bytes: Uint8Array;
  sha256: string;
  facts: ImageFacts;
  shape: ImageShape;
}

/** The one-step path's checks (uploadImage, submitInspection with an image); writes nothing. */
export async function prepareDirectUpload(ctx: ApiContext, factoryId: string, input: DirectUpload, defaults: ImageFacts = {}): Promise<PreparedImage> {
  const product = await getProduct(ctx.services.db, factoryId, input.productId);
  const facts = { ...defaults, ...Object.fromEntries(Object.entries(input.facts ?? {}).filter(([, v]) => v !== null && v !== undefined)) };
  await checkFacts(ctx, factoryId, product.id, facts);
  const bytes = decodeBase64(input.dataBase64);
  const sha256 = sha256Hex(bytes);
  if (input.sha256 && input.sha256.trim().toLowerCase() !== sha256) {
    throw apiError('BAD_IMAGE', 'The bytes do not match the sha256 you sent; the data was damaged. Send it again.');
  }
  return { product, bytes, sha256, facts, shape: await validateImageBytes(bytes, product) };
}

/** Stores a prepared image (or finds the same bytes already stored for the product). */
export function storePreparedImage(ctx: ApiContext, factoryId: string, p: PreparedImage) {
  return storeImage(ctx, factoryId, p.product, p.bytes, p.sha256, p.facts, p.shape);
}

/** The one-step path: check, store, record. */
export async function ingestDirectUpload(ctx: ApiContext, factoryId: string, input: DirectUpload, defaults: ImageFacts = {}) {
  return storePreparedImage(ctx, factoryId, await prepareDirectUpload(ctx, factoryId, input, defaults));
}

/**
 * Undoes an image this request stored when the request then failed: the row (unless an
 * inspection already uses it) and its blob. Best effort: the original failure is what the
 * caller reports.
 */
export async function discardStoredImage(ctx: ApiContext, factoryId: string, image: Image): Promise<void> {
  try {
    const removed = await discardUnusedImage(ctx.services.db, factoryId, image.id);
    if (removed) await requireBlobs(ctx).delete(removed.blobKey);
  } catch {
    // Left as an ordinary image of the product; deleteImage removes it.
  }
}
