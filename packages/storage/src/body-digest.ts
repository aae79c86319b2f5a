import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { BlobBody } from './blob-store';
import { BlobTooLargeError, ChecksumMismatchError, StorageError } from './errors';

/**
 * A pass-through stream that hashes and counts what flows through it, and fails the stream
 * once the byte limit is passed (so a too-large upload aborts instead of being stored).
 */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(
    private readonly key: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new BlobTooLargeError(this.key, this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** Hex sha256 of everything seen; call only after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Hex sha256 of bytes in memory. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Normalises a caller's expected sha256; a malformed one is a programming error. */
export function normaliseExpectedSha256(sha256: string | undefined): string | undefined {
  if (sha256 === undefined) return undefined;
  const hex = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new StorageError('INVALID_ARGUMENT', `sha256 must be 64 hexadecimal characters, got "${sha256}"`);
  }
  return hex;
}

/** Throws CHECKSUM_MISMATCH unless actual equals the (optional) expectation. */
export function checkSha256(key: string, expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected !== actual) throw new ChecksumMismatchError(key, expected, actual);
}

/** Checks size and checksum of an in-memory body before anything is written. */
export function checkBufferBody(key: string, body: Uint8Array, expected?: string, maxBytes?: number): string {
  if (maxBytes !== undefined && body.length > maxBytes) throw new BlobTooLargeError(key, maxBytes);
  const actual = sha256Hex(body);
  checkSha256(key, expected, actual);
  return actual;
}

/** True if the body is already in memory. */
export function isInMemory(body: BlobBody): body is Buffer | Uint8Array {
  return body instanceof Uint8Array;
}

/** Wraps an in-memory body as a stream, for code paths that only stream. */
export function asReadable(body: BlobBody): Readable {
  return isInMemory(body) ? Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]) : body;
}
