import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../auth/caller';
import { apiError } from '../auth/api-errors';

/** A forged, altered, expired or spent code: the caller may not join with it. */
export const invitationRefused = () =>
  apiError('FORBIDDEN', 'This invitation code is not valid or has expired; ask the factory admin for a new one.');

/** How long an invitation code can be redeemed. */
export const INVITATION_LIFETIME_MS = 72 * 3600 * 1000;

export interface InvitationClaims {
  factoryId: string;
  email: string;
  role: Role;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

// Without a configured instance secret (tests, one-off servers) codes are signed with a key of
// this process: they stop working when it restarts, which is safe.
const PROCESS_SECRET = randomBytes(32).toString('hex');

// A key of its own, so that the instance secret's other uses (signed blob URLs) never sign these.
function signingKey(secret: string | undefined): Buffer {
  return createHash('sha256').update(`gansight invitations\0${secret ?? PROCESS_SECRET}`).digest();
}

/**
 * A signed, self-contained invitation (`gsi_<claims>.<mac>`): nothing is stored until the invitee
 * accepts it, so inviting an email that has an account somewhere changes and reveals nothing.
 */
export function signInvitation(secret: string | undefined, claims: InvitationClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', signingKey(secret)).update(body).digest('base64url');
  return `gsi_${body}.${mac}`;
}

/** The claims of a genuine, unexpired code; FORBIDDEN otherwise (one message for every case). */
export function readInvitation(secret: string | undefined, code: string, now = Date.now()): InvitationClaims {
  const invalid = () => invitationRefused();
  const m = /^gsi_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(code.trim());
  if (!m) throw invalid();
  const expected = createHmac('sha256', signingKey(secret)).update(m[1]!).digest();
  const given = Buffer.from(m[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as InvitationClaims;
  if (!(claims.expiresAt > now)) throw invalid();
  return claims;
}
