import { parseBlobKey } from './blob-key';
import { checkContentType, checkMaxBytes, checkPresignSeconds } from './blob-store';
import { StorageError } from './errors';
import { buildPresignedUrl, checkPresignSecret, type PresignMethod } from './presign-token';

/** Where the blob HTTP handler is mounted and the secret it verifies with. */
export interface HandlerPresignOptions {
  /** e.g. http://localhost:4000/blobs */
  presignBaseUrl?: string;
  /** HMAC secret shared with createBlobHttpHandler (at least 16 characters). */
  presignSecret?: string;
}

/** A URL of the blob HTTP handler granting one method on one key for `seconds`. */
export function presignHandlerUrl(
  options: HandlerPresignOptions,
  request: { method: PresignMethod; key: string; seconds: number; contentType?: string; maxBytes?: number },
): string {
  parseBlobKey(request.key);
  checkPresignSeconds(request.seconds);
  const contentType = request.contentType === undefined ? undefined : checkContentType(request.contentType);
  const maxBytes = checkMaxBytes(request.maxBytes);
  const { presignBaseUrl, presignSecret } = options;
  if (!presignBaseUrl) {
    throw new StorageError('MISCONFIGURED', 'presigned blob handler URLs need presignBaseUrl (where /blobs is served)');
  }
  const expires = Math.floor(Date.now() / 1000) + request.seconds;
  return buildPresignedUrl(presignBaseUrl, checkPresignSecret(presignSecret), {
    method: request.method,
    key: request.key,
    expires,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  });
}
