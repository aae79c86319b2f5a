import { gql } from '../../graphql-runtime';
import { apiError } from '../auth/api-errors';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw apiError('BAD_USER_INPUT', `"${String(value)}" is not an ISO 8601 date-time.`);
  return date;
}

// Scalars as their functions only: a whole GraphQLScalarType would replace the SDL's
// description (@gansight/contracts) with its own empty one.
type ScalarFunctions = Pick<import('graphql').GraphQLScalarTypeConfig<unknown, unknown>, 'serialize' | 'parseValue' | 'parseLiteral'>;

export const commonResolvers: Record<'DateTime' | 'JSON', ScalarFunctions> = {
  DateTime: {
    serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
    parseValue: parseDate,
    parseLiteral: (ast) => parseDate(ast.kind === gql.Kind.STRING ? ast.value : undefined),
  },
  JSON: {
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: (ast, variables) => gql.valueFromASTUntyped(ast, variables),
  },
};
