import { createHash, randomBytes } from 'node:crypto';

const SESSION_PATTERN = /^gss_[0-9a-f]{64}$/;

/** How long a dashboard login lasts before the user signs in again. */
export const SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000;

/**
 * A new session token: `token` goes to the client once; only `tokenHash` is stored, so a
 * database leak does not hand out live sessions. 256 random bits make sha256 enough.
 */
export function generateSessionToken(): { token: string; tokenHash: string } {
  const token = `gss_${randomBytes(32).toString('hex')}`;
  return { token, tokenHash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when the token is shaped like a session token (as opposed to an API key). */
export function isSessionToken(token: string): boolean {
  return SESSION_PATTERN.test(token);
}
