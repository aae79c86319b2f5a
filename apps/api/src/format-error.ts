import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DbError, QuotaExceededError } from '@gansight/db';

// Codes from lower layers that clients may see as they are; anything else is an internal error.
const PASS_THROUGH: Record<string, string> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_INPUT: 'BAD_USER_INPUT',
};

/**
 * Gives every error a stable code and never leaks internals: typed errors from packages/db keep
 * their message (it names only what the caller asked for); unexpected errors become a generic
 * INTERNAL_SERVER_ERROR without stack or SQL.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (message: string) => void = () => undefined,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // Which quota, its limit and the use, for clients to branch on without parsing the message.
  if (original instanceof QuotaExceededError) {
    const { quota, limit, used, retryAfterSeconds } = original;
    return { message: original.message, path: formatted.path, extensions: { code: 'QUOTA_EXCEEDED', quota, limit, used, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) } };
  }
  if (original instanceof DbError) {
    const code = PASS_THROUGH[original.code];
    if (code) return { message: original.message, path: formatted.path, extensions: { code } };
  }
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
    // The client gets nothing to act on, so the operator must get everything.
    log(`internal error at ${formatted.path?.join('.') ?? '(request)'}: ${(original as Error)?.stack ?? String(original)}`);
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}
