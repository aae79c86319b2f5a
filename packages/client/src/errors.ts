import type { ApiErrorCode } from './generated/graphql';

/**
 * Codes the API puts in `extensions.code` (generated from the schema's ErrorCode enum; docs/API.md,
 * "Errors"), plus the client's own: NETWORK_ERROR (no answer), HTTP_ERROR (an answer that is
 * not GraphQL, e.g. a proxy's 502), TIMEOUT (a wait ran out). Unknown codes from a newer API
 * still come through as strings.
 */
export type { ApiErrorCode };

export type ClientErrorCode = ApiErrorCode | 'NETWORK_ERROR' | 'HTTP_ERROR' | 'TIMEOUT';

/** One GraphQL error as the API formats it. */
export interface GraphqlErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A failed request: `code` is the first error's stable code (branch on it), `message` is for a
 * person. `errors` holds every error of the response; `status` the HTTP status when there was one.
 */
export class GansightApiError extends Error {
  override readonly name = 'GansightApiError';
  readonly code: ClientErrorCode | (string & {});
  readonly status: number | undefined;
  readonly errors: GraphqlErrorEntry[];
  /** Set with RATE_LIMITED: how long to wait before retrying. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ClientErrorCode | (string & {}), message: string, options: { status?: number; errors?: GraphqlErrorEntry[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.errors = options.errors ?? [{ message, extensions: { code } }];
    const retry = this.errors[0]?.extensions?.retryAfterSeconds;
    this.retryAfterSeconds = typeof retry === 'number' ? retry : undefined;
  }

  /** The error of a GraphQL response (the first entry names the code). */
  static fromGraphql(errors: GraphqlErrorEntry[], status?: number): GansightApiError {
    const first = errors[0] ?? { message: 'The API answered with an empty error list' };
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    return new GansightApiError(code, first.message, { status, errors });
  }
}

/** True when `error` is an API error with this code, e.g. `isApiError(e, 'NOT_FOUND')`. */
export function isApiError(error: unknown, code?: ClientErrorCode): error is GansightApiError {
  return error instanceof GansightApiError && (code === undefined || error.code === code);
}
