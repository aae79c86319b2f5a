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
 * The errors of an anonymous operation over `limits`: GRAPHQL_VALIDATION_FAILED (400), the code
 * of the general limits. Not a validation rule: Apollo caches documents that passed validation,
 * and an authenticated caller's document must not let an anonymous one skip the smaller limit.
 */
export function anonymousLimitErrors(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  return gql.validate(schema, document, [queryLimitsRule(limits)]).map(
    (error) =>
      new gql.GraphQLError(`${error.message} Requests without credentials have these smaller limits; sign in for more.`, {
        nodes: error.nodes,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
      }),
  );
}

/** Apollo plugin applying `limits` to callers without credentials, after the standard validation. */
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
