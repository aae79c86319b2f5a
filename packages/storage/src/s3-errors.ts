import { BlobNotFoundError, StorageError, StorageUnavailableError } from './errors';

// Node socket errors that mean "the server is not there or not answering": retrying later can help.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);
// S3 answers that mean "busy or broken right now", as opposed to "you asked for something wrong".
const BUSY = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout']);
const MISSING = new Set(['NoSuchKey', 'NotFound']);
const REFUSED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'NoSuchBucket']);

/** Translates a minio/socket error into this package's typed errors; unknown errors pass through. */
export function mapS3Error(err: unknown, key: string | undefined, endpoint: string, bucket: string): unknown {
  if (err instanceof StorageError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && MISSING.has(code) && key !== undefined) return new BlobNotFoundError(key, { cause: err });
  if (typeof code === 'string' && (UNREACHABLE.has(code) || BUSY.has(code))) {
    return new StorageUnavailableError(`object storage at ${endpoint} is unavailable (${code}): ${message}`, { cause: err });
  }
  // minio's own retry loop gives up on 5xx with a plain Error and no code.
  if (/^Request failed after \d+ retries/.test(message)) {
    return new StorageUnavailableError(`object storage at ${endpoint} is unavailable: ${message}`, { cause: err });
  }
  if (typeof code === 'string' && REFUSED.has(code)) {
    const hint = code === 'NoSuchBucket' ? `bucket "${bucket}" does not exist (ensureReady creates it)` : 'check S3_ACCESS_KEY and S3_SECRET_KEY';
    return new StorageError('MISCONFIGURED', `object storage at ${endpoint} refused the request (${code}): ${hint}`, {
      cause: err,
    });
  }
  return err;
}
