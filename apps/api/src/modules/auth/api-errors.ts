import type { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
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

/**
 * RATE_LIMITED with HTTP 429 and a Retry-After header, raised before execution or in a resolver
 * alike (Apollo turns extensions.http of any error into the response's status and headers).
 */
export function rateLimitedError(message: string, retryAfterSeconds: number): GraphQLError {
  const error = apiError('RATE_LIMITED', message, { retryAfterSeconds });
  error.extensions.http = { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) };
  return error;
}
