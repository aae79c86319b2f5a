import type { Readable } from 'node:stream';
import { StorageError } from './errors';

/** What `put` accepts: bytes in memory or a stream read once. */
export type BlobBody = Buffer | Uint8Array | Readable;

export interface PutOptions {
  /** Stored with the blob and served back on GET; defaults to application/octet-stream. */
  contentType?: string;
  /** Expected sha256 (hex); on mismatch nothing is stored and CHECKSUM_MISMATCH is thrown. */
  sha256?: string;
  /** Upper bound on the body; beyond it nothing is stored and TOO_LARGE is thrown. */
  maxBytes?: number;
}

export interface PutResult {
  key: string;
  size: number;
  /** Hex sha256 of the bytes actually stored. */
  sha256: string;
  etag?: string;
}

export interface BlobStat {
  size: number;
  contentType: string;
  lastModified: Date;
  /** Present when the blob was written through this package. */
  sha256?: string;
  etag?: string;
}

export interface BlobListEntry {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PresignPutOptions {
  /** The uploader must send this Content-Type. */
  contentType?: string;
  /** The most bytes the upload may have: signed into the URL and enforced while the body streams. */
  maxBytes?: number;
}

/**
 * Blob storage for one deployment. Every key is `factories/<factoryId>/...` (see `blobKey`);
 * every method rejects other keys with BAD_KEY before touching storage.
 */
export interface BlobStore {
  readonly driver: 'fs' | 's3';
  /** Stores the body under key, replacing any previous blob atomically. */
  put(key: string, body: BlobBody, options?: PutOptions): Promise<PutResult>;
  /** The whole blob in memory; NOT_FOUND if absent. */
  get(key: string): Promise<Buffer>;
  /** The blob as a stream; NOT_FOUND (thrown, not emitted) if absent. */
  stream(key: string): Promise<Readable>;
  /** Size, content type and modification time; NOT_FOUND if absent. */
  stat(key: string): Promise<BlobStat>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; deleting a missing blob succeeds. */
  delete(key: string): Promise<void>;
  /** Every blob whose key starts with prefix, in key order, fetched page by page. */
  list(prefix: string): AsyncIterable<BlobListEntry>;
  /** A URL anyone can GET the blob from until it expires. */
  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * A URL anyone can PUT the blob to until it expires. Both drivers point it at the blob HTTP
   * handler (createBlobHttpHandler), which holds the upload to the signed content type and
   * byte limit while it streams into the store (an S3 presigned PUT could do neither).
   */
  presignedPutUrl(key: string, expiresInSeconds: number, options?: PresignPutOptions): Promise<string>;
  /** Creates the bucket or root directory; safe to call from many processes at once. */
  ensureReady(): Promise<void>;
  /** Releases connections; the store must not be used afterwards. */
  close(): Promise<void>;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** S3 caps presigned URLs at 7 days; the fs driver keeps the same bound. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Rejects content types that could break an HTTP header; returns the type to store. */
export function checkContentType(contentType: string | undefined): string {
  if (contentType === undefined) return DEFAULT_CONTENT_TYPE;
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(contentType)) {
    throw new StorageError('INVALID_ARGUMENT', `content type "${contentType}" must be 1-255 printable ASCII characters`);
  }
  return contentType;
}

/** Rejects byte limits that are not a positive whole number. */
export function checkMaxBytes(maxBytes: number | undefined): number | undefined {
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) {
    throw new StorageError('INVALID_ARGUMENT', `maxBytes must be a positive whole number, got ${maxBytes}`);
  }
  return maxBytes;
}

/** Rejects presign lifetimes S3 would refuse, so both drivers accept the same calls. */
export function checkPresignSeconds(expiresInSeconds: number): number {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new StorageError(
      'INVALID_ARGUMENT',
      `presigned URLs live 1 to ${MAX_PRESIGN_SECONDS} whole seconds, got ${expiresInSeconds}`,
    );
  }
  return expiresInSeconds;
}
