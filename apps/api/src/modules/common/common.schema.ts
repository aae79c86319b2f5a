export const commonTypeDefs = /* GraphQL */ `
  "An instant as an ISO 8601 string in UTC, e.g. 2026-11-29T05:20:00.000Z."
  scalar DateTime

  "Arbitrary JSON (settings, metadata, hyper-parameters)."
  scalar JSON

  "Relay-style page information."
  type PageInfo {
    hasNextPage: Boolean!
    "Pass as 'after' to get the next page."
    endCursor: String
  }
`;
