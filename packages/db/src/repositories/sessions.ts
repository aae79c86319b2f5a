import type { Db } from '../client';
import type { Session } from '../generated/prisma/client';
import { NotFoundError } from '../errors';

export async function createSession(
  db: Db,
  input: { userId: string; tokenHash: string; expiresAt: Date; userAgent?: string; ip?: string },
): Promise<Session> {
  return db.session.create({
    data: { ...input, userAgent: input.userAgent ?? null, ip: input.ip ?? null },
  });
}

/** A session that is neither revoked nor expired, by the hash of its bearer token. */
export async function findActiveSession(db: Db, tokenHash: string, now: Date = new Date()): Promise<Session | null> {
  return db.session.findFirst({ where: { tokenHash, revokedAt: null, expiresAt: { gt: now } } });
}

export async function touchSession(db: Db, sessionId: string, at: Date = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: at } });
}

/** Revokes one of the user's sessions (logout); another user's session id is NOT_FOUND. */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<void> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError('Session', sessionId);
}
