// Typed errors of the inspection pipeline, with stable codes a caller (worker, CLI) can map.
import { CodedError, codedErrorGuard } from '@gansight/errors';

export type PipelineErrorCode = 'BAD_INPUT' | 'BAD_ARTIFACT' | 'NOT_CALIBRATED';

/** An error about pipeline inputs or stored model artifacts, with a stable code and an actionable message. */
export class PipelineError extends CodedError<PipelineErrorCode> {
  override name = 'PipelineError';
}

/** True when `error` is a PipelineError (optionally with the given code). */
export const isPipelineError = codedErrorGuard(PipelineError);
