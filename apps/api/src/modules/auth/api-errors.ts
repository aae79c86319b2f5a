import type { GraphQLError } from 'graphql';
import { gql } from '../../graphql-runtime';

/** Stable error codes every client may branch on; see docs/API.md. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'BAD_IMAGE'
  | 'CONFLICT'
  | 'RATE_LIMITED';

// Errors raised before execution (while authenticating) become the HTTP status of the response.
const HTTP_STATUS: Partial<Record<ApiErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429 };

/** A GraphQL error with a stable `extensions.code` and a message a person can act on. */
export function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new gql.GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}
