export type {
  BlobBody,
  BlobListEntry,
  BlobStat,
  BlobStore,
  PresignPutOptions,
  PutOptions,
  PutResult,
} from './blob-store';
export { DEFAULT_CONTENT_TYPE, MAX_PRESIGN_SECONDS } from './blob-store';
export { assertBlobKey, assertListPrefix, blobKey, factoryPrefix, parseBlobKey, type ParsedBlobKey } from './blob-key';
export {
  BadKeyError,
  BlobNotFoundError,
  BlobTooLargeError,
  ChecksumMismatchError,
  isStorageError,
  StorageError,
  StorageUnavailableError,
  type StorageErrorCode,
} from './errors';
export { createBlobStore, type CreateBlobStoreOptions } from './create-blob-store';
export { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store';
export { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
export { createBlobHttpHandler, type BlobHttpHandlerOptions, type UploadGate } from './blob-http-handler';
export { signGrant, verifyPresignedRequest, type PresignGrant } from './presign-token';
