// Typed errors for everything that can go wrong with an image a caller hands us.
export type ImageErrorCode = 'BAD_IMAGE' | 'IMAGE_TOO_LARGE' | 'BAD_ARGUMENT';

/** An error about an input image or an imaging argument, with a stable code and an actionable message. */
export class ImageError extends Error {
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

/** True when `error` is an ImageError (optionally with the given code). */
export function isImageError(error: unknown, code?: ImageErrorCode): error is ImageError {
  return error instanceof ImageError && (code === undefined || error.code === code);
}
