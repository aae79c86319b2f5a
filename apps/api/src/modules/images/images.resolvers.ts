import { randomUUID } from 'node:crypto';
import {
  assignSplit,
  createPendingUpload,
  deleteImage,
  deletePendingUpload,
  getPendingUpload,
  getImage,
  getProduct,
  listImages,
  updateImage,
  type Db,
  type Image,
} from '@gansight/db';
import type {
  ImageFilter,
  MutationAssignImageSplitArgs,
  MutationDeleteImageArgs,
  MutationLabelImageArgs,
  MutationRegisterImageArgs,
  MutationRequestImageUploadArgs,
  MutationUploadImageArgs,
  QueryImageArgs,
  QueryImagesArgs,
} from '@gansight/contracts/schema-types';
import { blobKey, isStorageError, parseBlobKey, type BlobStore } from '@gansight/storage';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';
import { definedOnly } from '../common/defined-only';
import {
  checkFacts,
  ingestDirectUpload,
  MAX_IMAGE_BYTES,
  requireBlobs,
  sha256Hex,
  storeImage,
} from './image-ingest';

/** How long an upload URL works; registerImage is accepted until the sweep's grace after it. */
export const UPLOAD_URL_SECONDS = 15 * 60;
const VIEW_URL_SECONDS = 15 * 60;
const ACCEPTED_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/tiff', 'image/gif'];
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_SPLIT_IDS = 1000;

function checkSha256(value: string): string {
  const sha = value.trim().toLowerCase();
  if (!SHA256.test(sha)) throw apiError('BAD_USER_INPUT', 'sha256 must be 64 hex digits (the SHA-256 of the file).');
  return sha;
}

const uploadNotFound = () =>
  apiError('NOT_FOUND', 'That upload was not found: it was registered already, expired, or never requested. Request a new upload URL with requestImageUpload.');

/** Checks an upload key's shape; NOT_FOUND for keys of other factories or not from requestImageUpload. */
function checkUploadKey(key: string, factoryId: string): void {
  let parsed;
  try {
    parsed = parseBlobKey(key);
  } catch {
    throw uploadNotFound();
  }
  const [area, productId] = parsed.parts;
  if (parsed.factoryId !== factoryId || area !== 'uploads' || !productId || parsed.parts.length !== 3) throw uploadNotFound();
}

export const imagesResolvers = {
  Image: {
    url: (image: Image, _: unknown, ctx: ApiContext) => requireBlobs(ctx).presignedGetUrl(image.blobKey, VIEW_URL_SECONDS),
  },
  Query: {
    images: async (_: unknown, args: QueryImagesArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const filter = definedOnly<ImageFilter>(args.filter ?? {});
      // A filter naming another factory's product is NOT_FOUND, like every other foreign id.
      if (filter.productId) await getProduct(ctx.services.db, factoryId, filter.productId);
      return toConnection(await listImages(ctx.services.db, factoryId, filter, pageRequest(args)));
    },
    image: (_: unknown, args: QueryImageArgs, ctx: ApiContext) => getImage(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
  },
  Mutation: {
    requestImageUpload: async (_: unknown, args: MutationRequestImageUploadArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const product = await getProduct(ctx.services.db, factoryId, args.productId);
      if (!ACCEPTED_UPLOAD_TYPES.includes(args.contentType)) {
        throw apiError('BAD_USER_INPUT', `contentType must be one of ${ACCEPTED_UPLOAD_TYPES.join(', ')}.`);
      }
      const key = blobKey(factoryId, 'uploads', product.id, randomUUID());
      // The URL carries the size limit (the blob handler stops reading past it) and works once:
      // its PUT must claim the row created here (docs/adr/0024).
      const url = await requireBlobs(ctx).presignedPutUrl(key, UPLOAD_URL_SECONDS, { contentType: args.contentType, maxBytes: MAX_IMAGE_BYTES });
      const expiresAt = new Date(Date.now() + UPLOAD_URL_SECONDS * 1000);
      await createPendingUpload(ctx.services.db, factoryId, { blobKey: key, productId: product.id, contentType: args.contentType, maxBytes: MAX_IMAGE_BYTES, expiresAt });
      return { key, url, method: 'PUT', headers: { 'content-type': args.contentType }, expiresAt, maxBytes: MAX_IMAGE_BYTES };
    },
    registerImage: async (_: unknown, { input }: MutationRegisterImageArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const db = ctx.services.db;
      const blobs = requireBlobs(ctx);
      const sha256 = checkSha256(input.sha256);
      checkUploadKey(input.key, factoryId);
      const upload = await getPendingUpload(db, factoryId, input.key).catch(() => {
        throw uploadNotFound();
      });
      if (upload.status === 'PENDING') throw apiError('NOT_FOUND', `Nothing was uploaded at ${input.key} yet; PUT the file to the upload URL first.`);
      if (upload.status === 'RECEIVING') throw apiError('CONFLICT', 'The file is still being uploaded; register it once its PUT has answered.');
      const product = await getProduct(db, factoryId, upload.productId);
      const facts = input.facts ?? {};
      await checkFacts(ctx, factoryId, product.id, facts);
      let bytes: Buffer;
      try {
        const stat = await blobs.stat(input.key);
        if (stat.size > MAX_IMAGE_BYTES) {
          await spendUpload(db, blobs, factoryId, input.key);
          throw apiError('BAD_IMAGE', `The upload is ${stat.size} bytes; images may be at most ${MAX_IMAGE_BYTES} bytes.`);
        }
        bytes = await blobs.get(input.key);
      } catch (err) {
        if (isStorageError(err, 'NOT_FOUND')) throw uploadNotFound();
        throw err;
      }
      if (sha256Hex(bytes) !== sha256) {
        await spendUpload(db, blobs, factoryId, input.key);
        throw apiError('BAD_IMAGE', 'The uploaded bytes do not match the sha256 you sent; the transfer was damaged. Request a new upload URL and upload the file again.');
      }
      try {
        const result = await storeImage(ctx, factoryId, product, bytes, sha256, facts);
        await spendUpload(db, blobs, factoryId, input.key);
        return result;
      } catch (err) {
        // A refused file is spent; anything else (storage or database trouble) leaves the upload
        // for a retry of registerImage, and the sweep for when nobody retries.
        if ((err as { extensions?: { code?: string } }).extensions?.code === 'BAD_IMAGE') await spendUpload(db, blobs, factoryId, input.key);
        throw err;
      }
    },
    uploadImage: async (_: unknown, { input }: MutationUploadImageArgs, ctx: ApiContext) =>
      ingestDirectUpload(ctx, requireFactoryCaller(ctx).factoryId, input),
    labelImage: async (_: unknown, args: MutationLabelImageArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const image = await getImage(ctx.services.db, factoryId, args.id);
      await checkFacts(ctx, factoryId, image.productId, { label: args.label, defectTypeId: args.defectTypeId });
      // Relabelling to QUALIFIED or UNLABELED clears a stale defect type.
      return updateImage(ctx.services.db, factoryId, args.id, { label: args.label, defectTypeId: args.defectTypeId ?? null });
    },
    assignImageSplit: async (_: unknown, args: MutationAssignImageSplitArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (args.ids.length > MAX_SPLIT_IDS) throw apiError('BAD_USER_INPUT', `Assign at most ${MAX_SPLIT_IDS} images per call.`);
      return assignSplit(ctx.services.db, factoryId, args.ids, args.split);
    },
    deleteImage: async (_: unknown, args: MutationDeleteImageArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const image = await deleteImage(ctx.services.db, factoryId, args.id);
      // Another image of the product never shares the key (keys are per product and sha256, unique per product).
      await requireBlobs(ctx).delete(image.blobKey);
      return image;
    },
  },
};

/** Registered or refused: the upload's blob goes, then its row (after which its URL is refused). */
async function spendUpload(db: Db, blobs: BlobStore, factoryId: string, key: string): Promise<void> {
  await blobs.delete(key);
  await deletePendingUpload(db, factoryId, key);
}
