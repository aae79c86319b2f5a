import type { Config } from '@gansight/config';
import type { BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';

export interface CreateBlobStoreOptions {
  /** Public URL of the mounted blob handler, e.g. http://localhost:4000/blobs: fs GETs and every driver's PUTs. */
  presignBaseUrl?: string;
  /** HMAC secret shared with createBlobHttpHandler (at least 16 characters). */
  presignSecret?: string;
  /** s3 driver: endpoint clients reach, if not the configured one; presigned URLs point there. */
  s3PublicEndpoint?: string;
  /** s3 driver: fail with STORAGE_UNAVAILABLE after this long without an answer. */
  requestTimeoutMs?: number;
  /** s3 driver: keys per list request. */
  listPageSize?: number;
  /** s3 driver: multipart part size for large bodies. */
  partSizeBytes?: number;
}

/** The store the configuration asks for; call ensureReady() before first use. */
export function createBlobStore(storage: Config['storage'], options: CreateBlobStoreOptions = {}): BlobStore {
  if (storage.driver === 'fs') {
    return new FsBlobStore({
      root: storage.root,
      presignBaseUrl: options.presignBaseUrl,
      presignSecret: options.presignSecret,
    });
  }
  return new S3BlobStore({
    endpoint: storage.endpoint,
    accessKey: storage.accessKey,
    secretKey: storage.secretKey,
    bucket: storage.bucket,
    region: storage.region,
    publicEndpoint: options.s3PublicEndpoint ?? storage.publicEndpoint,
    requestTimeoutMs: options.requestTimeoutMs,
    listPageSize: options.listPageSize,
    partSizeBytes: options.partSizeBytes,
    presignBaseUrl: options.presignBaseUrl,
    presignSecret: options.presignSecret,
  });
}
