import type { Db } from '../client';
import type { Membership, User } from '../generated/prisma/client';
import type { ApiKeySummary } from './api-keys';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';

export type MemberWithUser = Membership & { user: Pick<User, 'id' | 'email' | 'name'> };

/** The factory's memberships with each user's public fields, newest first, `limit` at a time. */
export async function listMembersPage(db: Db, factoryId: string, page: PageRequest = {}): Promise<Page<MemberWithUser>> {
  const limit = pageLimit(page);
  const rows = await db.membership.findMany({
    where: { AND: [{ factoryId }, afterCursor(page.cursor)] },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

/** One member of the factory with the user's public fields; null when the user is not a member here. */
export async function findMember(db: Db, factoryId: string, userId: string): Promise<MemberWithUser | null> {
  return db.membership.findFirst({ where: { factoryId, userId }, include: { user: { select: { id: true, email: true, name: true } } } });
}

/** The factory's API keys (never their secret hashes), newest first, `limit` at a time. */
export async function listApiKeysPage(db: Db, factoryId: string, page: PageRequest = {}): Promise<Page<ApiKeySummary>> {
  const limit = pageLimit(page);
  const rows = await db.apiKey.findMany({
    where: { AND: [{ factoryId }, afterCursor(page.cursor)] },
    omit: { secretHash: true },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}
