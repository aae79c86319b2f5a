// Typed errors of the inspection pipeline, with stable codes a caller (worker, CLI) can map.
export type PipelineErrorCode = 'BAD_INPUT' | 'BAD_ARTIFACT' | 'NOT_CALIBRATED';

/** An error about pipeline inputs or stored model artifacts, with a stable code and an actionable message. */
export class PipelineError extends Error {
  readonly code: PipelineErrorCode;

  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
    this.code = code;
  }
}

/** True when `error` is a PipelineError (optionally with the given code). */
export function isPipelineError(error: unknown, code?: PipelineErrorCode): error is PipelineError {
  return error instanceof PipelineError && (code === undefined || error.code === code);
}
