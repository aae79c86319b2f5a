// The one shape of every typed error a package throws on purpose: a stable `code` callers
// branch on (never changing meaning once published) and a message a person can act on
// (docs/adr/0038). Each package subclasses it with its own union of codes and its own name.

export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A type guard for the errors of `errorClass`, optionally of one code: `isImageError(err, 'BAD_IMAGE')`. */
export function codedErrorGuard<E extends CodedError<string>>(
  errorClass: abstract new (...args: never[]) => E,
): (error: unknown, code?: E['code']) => error is E {
  return (error: unknown, code?: E['code']): error is E => error instanceof errorClass && (code === undefined || error.code === code);
}
