import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { ApiContext } from '../context';
import { gql } from '../graphql-runtime';
import { queryLimitsRule, type QueryLimits } from './query-limits';

/**
 * What a caller without credentials may ask for in one operation. The public operations
 * (`health`, `login`, `acceptInvitation`) with every field cost under 20; the limit leaves room
 * for that and refuses alias fan-out (6,000 `health` aliases cost 3.6 s each before).
 */
export const ANONYMOUS_QUERY_LIMITS: QueryLimits = { maxDepth: 6, maxCost: 100, maxPageSize: 10 };

/**
 * Longest operation text accepted without credentials, checked before it is parsed: parsing
 * and validating 6,000 aliases takes tens of milliseconds of the one event loop, per request.
 * The client's public operations are under 1,000 characters; an introspection query about 2,000.
 */
export const ANONYMOUS_MAX_SOURCE_CHARS = 8_000;

const tooComplex = (message: string, nodes?: GraphQLError['nodes']) =>
  new gql.GraphQLError(`${message} Requests without credentials have these smaller limits; sign in for more.`, {
    nodes,
    // The code of the general limits (Apollo reports validation-rule errors with it).
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });

/** The error for an anonymous operation text too long to parse, or null. */
export function anonymousSourceError(source: unknown): GraphQLError | null {
  if (typeof source !== 'string' || source.length <= ANONYMOUS_MAX_SOURCE_CHARS) return null;
  return tooComplex(`The operation is ${source.length} characters long; the limit is ${ANONYMOUS_MAX_SOURCE_CHARS}.`);
}

/**
 * The errors of an anonymous operation over `limits`, empty when it fits. Not a validation
 * rule: Apollo caches documents that passed validation, and an authenticated caller's document
 * must not let an anonymous one skip the smaller limit.
 */
export function anonymousLimitErrors(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  return gql.validate(schema, document, [queryLimitsRule(limits)]).map((error) => tooComplex(error.message, error.nodes));
}

/**
 * Apollo plugin applying the anonymous cost limits to callers without credentials (the length
 * is checked earlier, with the caller: Apollo takes an error thrown before parsing for a crash).
 */
export function anonymousQueryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.caller.kind !== 'anonymous') return;
      return {
        async didResolveOperation({ schema, document }) {
          const [error] = anonymousLimitErrors(schema, document, limits);
          if (error) throw error;
        },
      };
    },
  };
}
