// Typed errors for everything that can go wrong with an image a caller hands us.
import { CodedError, codedErrorGuard } from '@gansight/errors';

export type ImageErrorCode = 'BAD_IMAGE' | 'IMAGE_TOO_LARGE' | 'BAD_ARGUMENT';

/** An error about an input image or an imaging argument, with a stable code and an actionable message. */
export class ImageError extends CodedError<ImageErrorCode> {
  override name = 'ImageError';
}

/** True when `error` is an ImageError (optionally with the given code). */
export const isImageError = codedErrorGuard(ImageError);
