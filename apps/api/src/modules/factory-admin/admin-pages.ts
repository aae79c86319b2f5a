// Keyset pages of a factory's members and API keys, newest first, in the same cursor format as
// every other connection (common/connection.ts). Written here because packages/db's
// listMembers/listApiKeys return whole lists; they belong next to them in packages/db.
import type { Db, Page, PageRequest } from '@gansight/db';
import { DEFAULT_PAGE_SIZE } from '../common/connection';
import { apiError } from '../auth/api-errors';

const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

function afterCursor(cursor: string | null | undefined) {
  if (!cursor) return {};
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw apiError('BAD_USER_INPUT', "'after' is not a cursor of this list; start from the first page.");
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

function toPage<T extends { id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null };
}

export async function membersPage(db: Db, factoryId: string, page: PageRequest) {
  const rows = await db.membership.findMany({
    where: { AND: [{ factoryId }, afterCursor(page.cursor)] },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: newestFirst,
    take: (page.limit ?? DEFAULT_PAGE_SIZE) + 1,
  });
  return toPage(rows, page.limit ?? DEFAULT_PAGE_SIZE);
}

export async function apiKeysPage(db: Db, factoryId: string, page: PageRequest) {
  const rows = await db.apiKey.findMany({
    where: { AND: [{ factoryId }, afterCursor(page.cursor)] },
    // Never the secret's hash.
    select: { id: true, name: true, prefix: true, scopes: true, lastUsedAt: true, revokedAt: true, expiresAt: true, createdAt: true },
    orderBy: newestFirst,
    take: (page.limit ?? DEFAULT_PAGE_SIZE) + 1,
  });
  return toPage(rows, page.limit ?? DEFAULT_PAGE_SIZE);
}
