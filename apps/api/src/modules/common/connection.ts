import type { Page, PageRequest } from '@gansight/db';
import { apiError } from '../auth/api-errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** Turns `first`/`after` into a page request; BAD_USER_INPUT outside 1..MAX_PAGE_SIZE. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw apiError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}; page through larger lists with 'after'.`);
  }
  return { limit: first, cursor: args.after ?? null };
}

// The same keyset as packages/db's pagination (createdAt desc, id desc), so a cursor taken from
// any edge resumes right after that edge.
function cursorOf(row: { id: string; createdAt: Date }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

/** A Relay connection over one page of rows from packages/db. */
export function toConnection<T extends { id: string; createdAt: Date }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor ?? edges[edges.length - 1]?.cursor ?? null },
  };
}
