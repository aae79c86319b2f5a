export const commonTypeDefs = /* GraphQL */ `
  "An instant as an ISO 8601 string in UTC, e.g. 2026-11-29T05:20:00.000Z."
  scalar DateTime

  "Arbitrary JSON (settings, metadata, hyper-parameters)."
  scalar JSON

  """
  Every value an error's extensions.code can take (docs/API.md, "Errors"). No field returns it:
  it is here so that clients generate the list from the schema. Branch on the code; the
  message is for a person.
  """
  enum ErrorCode {
    "No, bad, revoked or expired credential; wrong password (HTTP 401)."
    UNAUTHENTICATED
    "The role or key scope does not allow this (HTTP 403 before execution)."
    FORBIDDEN
    "No such row in your factory; another factory's ids look the same."
    NOT_FOUND
    "An invalid argument: page size, cursor, slug, scopes, time zone, base64, ..."
    BAD_USER_INPUT
    "A corrupt, truncated, non-image, too small or too large file, or a sha256 mismatch."
    BAD_IMAGE
    "A unique value is taken, or the thing is busy (a training already running)."
    CONFLICT
    "Too many requests for this key or without credentials, or password attempts (HTTP 429, Retry-After, retryAfterSeconds)."
    RATE_LIMITED
    "A factory quota (stored images, training runs at once, inspections per minute) would be exceeded; nothing was written. extensions: quota, limit, used, and retryAfterSeconds for the per-minute quota."
    QUOTA_EXCEEDED
    "A malformed operation, or one over the depth or cost limit (HTTP 400)."
    GRAPHQL_VALIDATION_FAILED
    "The request body is over the server limit (HTTP 413)."
    PAYLOAD_TOO_LARGE
    "The HTTP request itself is not a GraphQL request the server can read."
    BAD_REQUEST
    "Something failed on the server; nothing more is said to the client."
    INTERNAL_SERVER_ERROR
  }

  "Relay-style page information."
  type PageInfo {
    hasNextPage: Boolean!
    "Pass as 'after' to get the next page."
    endCursor: String
  }
`;
