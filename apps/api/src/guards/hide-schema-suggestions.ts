import type { GraphQLFormattedError } from 'graphql';

// graphql-js ends validation and variable errors with hints such as `Did you mean "product"?`,
// `Did you mean the enum value "DAY"?` or `Did you mean to use an inline fragment on "X"?`.
const SUGGESTION = / ?Did you mean .+\?$/s;

/**
 * The error without graphql-js's "Did you mean ...?" hint: with introspection off those hints
 * would spell out the schema field by field to anyone guessing names.
 */
export function withoutSchemaSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = error.message.replace(SUGGESTION, '');
  return message === error.message ? error : { ...error, message };
}
