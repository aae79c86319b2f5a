import type { Db } from '../client';
import { NotFoundError } from '../errors';

/**
 * Replaces a user's password hash and ends every other session of theirs in one transaction
 * (a password change is often the answer to a leaked one); `keepSessionId` survives.
 */
export async function setUserPassword(
  db: Db,
  userId: string,
  passwordHash: string,
  options: { keepSessionId?: string } = {},
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId }, data: { passwordHash } });
    if (count === 0) throw new NotFoundError('User', userId);
    await tx.session.updateMany({
      where: { userId, revokedAt: null, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) },
      data: { revokedAt: new Date() },
    });
  });
}

/** How many members of the factory hold this role (guards against removing the last admin). */
export async function countMembersWithRole(db: Db, factoryId: string, role: 'ADMIN' | 'ENGINEER' | 'MANAGER' | 'VIEWER'): Promise<number> {
  return db.membership.count({ where: { factoryId, role } });
}
