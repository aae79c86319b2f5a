import { BadInputError } from '../errors';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageRequest {
  /** 1..200, default 50. */
  limit?: number;
  cursor?: string | null;
}

// Keyset pagination over (createdAt desc, id desc). The cursor is opaque to callers and never
// looked up, so a cursor made in another factory cannot reveal anything.
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadInputError('limit must be between 1 and 200');
  return limit;
}

/** The (createdAt, id) of the row a cursor names; BAD_INPUT for anything else. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new BadInputError('cursor is not valid; start from the first page');
  return { createdAt, id };
}

export function afterCursor(cursor: string | null | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export function toPage<T extends { id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null;
  return { items, nextCursor };
}
