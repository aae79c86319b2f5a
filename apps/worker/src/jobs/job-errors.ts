// Two kinds of failure: permanent ones (bad input, missing rows: retrying cannot help, so the
// row is marked FAILED at once) and everything else, which graphile-worker retries with
// exponential back-off until the last attempt marks the row FAILED.
import { isImageError } from '@gansight/imaging';
import { isStorageError } from '@gansight/storage';

export type WorkerErrorCode =
  | 'NOT_ENOUGH_IMAGES'
  | 'NO_TEST_IMAGES'
  | 'NOT_CALIBRATED'
  | 'BAD_JOB_PAYLOAD'
  | 'BAD_HYPER_PARAMETERS'
  | 'BAD_ARTIFACT'
  | 'WORKER_DRAINING'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL';

export class WorkerError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    /** Permanent errors are not retried. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkerError';
  }
}

/** The stable code and message stored on a failed row, e.g. "STORAGE_UNAVAILABLE: ...". */
export function describeFailure(err: unknown): { code: string; message: string; permanent: boolean } {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (err instanceof WorkerError) return { code: err.code, message, permanent: err.permanent };
  if (isStorageError(err)) {
    return { code: err.code, message, permanent: err.code !== 'STORAGE_UNAVAILABLE' && err.code !== 'NOT_FOUND' };
  }
  if (isImageError(err)) return { code: err.code, message, permanent: true };
  if (e?.code === 'NOT_FOUND' || e?.code === 'BAD_INPUT' || e?.code === 'BAD_JOB_PAYLOAD') {
    return { code: String(e.code), message, permanent: true };
  }
  return { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message, permanent: false };
}
