import { CodedError, codedErrorGuard } from '@gansight/errors';

/** Stable codes callers can branch on; they never change meaning once published. */
export type StorageErrorCode =
  | 'NOT_FOUND'
  | 'BAD_KEY'
  | 'CHECKSUM_MISMATCH'
  | 'TOO_LARGE'
  | 'STORAGE_UNAVAILABLE'
  | 'MISCONFIGURED'
  | 'INVALID_ARGUMENT';

/** Base of every error this package throws on purpose; `code` is stable, `message` is for people. */
export class StorageError extends CodedError<StorageErrorCode> {
  override name = 'StorageError';
}

/** The key names no blob (or the blob was deleted). */
export class BlobNotFoundError extends StorageError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', `No blob stored at "${key}"`, options);
    this.name = 'BlobNotFoundError';
  }
}

/** The key or prefix is malformed or not scoped to one factory (`factories/<id>/...`). */
export class BadKeyError extends StorageError {
  constructor(readonly key: string, reason: string) {
    super('BAD_KEY', `Bad blob key "${key}": ${reason}`);
    this.name = 'BadKeyError';
  }
}

/** The bytes received do not hash to the sha256 the caller expected; nothing was stored. */
export class ChecksumMismatchError extends StorageError {
  constructor(readonly key: string, readonly expected: string, readonly actual: string) {
    super('CHECKSUM_MISMATCH', `Blob "${key}" has sha256 ${actual} but ${expected} was expected; nothing was stored`);
    this.name = 'ChecksumMismatchError';
  }
}

/** The body was longer than the caller allowed; nothing was stored. */
export class BlobTooLargeError extends StorageError {
  constructor(readonly key: string, readonly maxBytes: number) {
    super('TOO_LARGE', `Blob "${key}" exceeds the limit of ${maxBytes} bytes; nothing was stored`);
    this.name = 'BlobTooLargeError';
  }
}

/** The backing store could not be reached in time; the same call may succeed if retried later. */
export class StorageUnavailableError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE_UNAVAILABLE', message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** True for errors thrown by this package, optionally of one code. */
export const isStorageError = codedErrorGuard(StorageError);
