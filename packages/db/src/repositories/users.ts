import type { Db } from '../client';
import type { Factory, Membership, Role, User } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError } from './prisma-errors';

/** Users are global (one login, many factories); their rights come from memberships. */
export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
}

export async function getUser(db: Db, userId: string): Promise<User> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError('User', userId);
  return user;
}

export async function createUser(db: Db, input: { email: string; name?: string; passwordHash: string }): Promise<User> {
  const email = input.email.trim().toLowerCase();
  try {
    return await db.user.create({ data: { email, name: input.name ?? null, passwordHash: input.passwordHash } });
  } catch (err) {
    translateWriteError(err, { entity: 'User', conflict: `A user with email ${email} already exists` });
  }
}

export type MembershipWithFactory = Membership & { factory: Pick<Factory, 'id' | 'name' | 'slug'> };

/** Every factory the user belongs to, with their role there. */
export async function listMembershipsForUser(db: Db, userId: string): Promise<MembershipWithFactory[]> {
  return db.membership.findMany({
    where: { userId },
    include: { factory: { select: { id: true, name: true, slug: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

/** The user's membership in this factory, or null when they have none. */
export async function getMembership(db: Db, factoryId: string, userId: string): Promise<Membership | null> {
  return db.membership.findUnique({ where: { userId_factoryId: { userId, factoryId } } });
}

export async function listMembers(db: Db, factoryId: string): Promise<(Membership & { user: Pick<User, 'id' | 'email' | 'name'> })[]> {
  return db.membership.findMany({
    where: { factoryId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

/** Adds the user to the factory, or changes their role there. */
export async function setMembership(db: Db, factoryId: string, userId: string, role: Role): Promise<Membership> {
  try {
    return await db.membership.upsert({
      where: { userId_factoryId: { userId, factoryId } },
      create: { userId, factoryId, role },
      update: { role },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'Membership', reference: { entity: 'User', id: userId } });
  }
}

export async function removeMembership(db: Db, factoryId: string, userId: string): Promise<void> {
  const { count } = await db.membership.deleteMany({ where: { factoryId, userId } });
  if (count === 0) throw new NotFoundError('Membership', userId);
}
