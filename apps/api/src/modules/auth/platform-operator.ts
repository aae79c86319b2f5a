import { createHash, timingSafeEqual } from 'node:crypto';

// The platform operator runs the deployment that every factory shares. Its credential is one
// configured token (PLATFORM_OPERATOR_TOKEN), not a row: it belongs to no factory, so it can
// never be listed, leaked or revoked through a factory's API, and unset means no operator.

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when `token` is the configured operator token (constant time; false when none is set). */
export function isPlatformOperatorToken(token: string | null, configured: string | undefined): boolean {
  if (!token || !configured) return false;
  return timingSafeEqual(digest(token), digest(configured));
}
