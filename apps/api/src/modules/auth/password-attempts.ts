import type { ApiContext } from '../../context';
import { rateLimitedError } from './api-errors';

/**
 * Counts one password attempt for `subject` BEFORE the password is checked: the check (argon2)
 * is the slow part, so a check-then-count let a parallel burst of guesses all through. The
 * returned function refunds the attempt once the password proved right, so signing in costs a
 * user nothing. RATE_LIMITED (429, Retry-After) when the subject has no attempts left.
 */
export async function chargePasswordAttempt(ctx: ApiContext, subject: string): Promise<() => Promise<void>> {
  const limiter = ctx.services.loginLimiter;
  if (!limiter) return async () => undefined;
  const wait = await limiter.take(subject);
  if (wait > 0) throw rateLimitedError(`Too many password attempts for this account; try again in ${wait} s.`, wait);
  return () => limiter.refund(subject);
}
