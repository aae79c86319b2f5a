import { makeExecutableSchema } from '@graphql-tools/schema';
import { healthResolvers } from './modules/health/health.resolvers';
import { healthTypeDefs } from './modules/health/health.schema';

/** The whole GraphQL schema, assembled from one folder per domain under modules/. */
export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: [healthTypeDefs],
    resolvers: [healthResolvers],
  });
}
