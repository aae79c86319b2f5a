import { makeExecutableSchema } from '@graphql-tools/schema';
import { healthResolvers } from './modules/health/health.resolvers';
import { healthTypeDefs } from './modules/health/health.schema';
import { meResolvers } from './modules/me/me.resolvers';
import { meTypeDefs } from './modules/me/me.schema';

/** The whole GraphQL schema, assembled from one folder per domain under modules/. */
export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: [healthTypeDefs, meTypeDefs],
    resolvers: [healthResolvers, meResolvers],
  });
}
