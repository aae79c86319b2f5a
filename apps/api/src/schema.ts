import { makeExecutableSchema } from '@graphql-tools/schema';
import { ARGUMENT_LIMITS } from './input/argument-limits';
import { guardArguments } from './input/guard-arguments';
import { auditResolvers } from './modules/audit/audit.resolvers';
import { auditTypeDefs } from './modules/audit/audit.schema';
import { authResolvers } from './modules/auth/auth.resolvers';
import { authTypeDefs } from './modules/auth/auth.schema';
import { enforcePermissions } from './modules/auth/enforce-permissions';
import { OPERATION_PERMISSIONS, type Requirement } from './modules/auth/permissions';
import { commonResolvers } from './modules/common/common.resolvers';
import { commonTypeDefs } from './modules/common/common.schema';
import { factoryAdminResolvers } from './modules/factory-admin/factory-admin.resolvers';
import { factoryAdminTypeDefs } from './modules/factory-admin/factory-admin.schema';
import { productsResolvers } from './modules/products/products.resolvers';
import { productsTypeDefs } from './modules/products/products.schema';
import { imagesResolvers } from './modules/images/images.resolvers';
import { imagesTypeDefs } from './modules/images/images.schema';
import { inspectionsResolvers } from './modules/inspections/inspections.resolvers';
import { inspectionsTypeDefs } from './modules/inspections/inspections.schema';
import { modelsResolvers } from './modules/models/models.resolvers';
import { modelsTypeDefs } from './modules/models/models.schema';
import { subscriptionsResolvers } from './modules/subscriptions/subscriptions.resolvers';
import { subscriptionsTypeDefs } from './modules/subscriptions/subscriptions.schema';
import { lotsResolvers } from './modules/lots/lots.resolvers';
import { lotsTypeDefs } from './modules/lots/lots.schema';
import { inspectionStatsResolvers } from './modules/inspections/inspection-stats.resolvers';
import { healthResolvers } from './modules/health/health.resolvers';
import { healthTypeDefs } from './modules/health/health.schema';
import { meResolvers } from './modules/me/me.resolvers';
import { meTypeDefs } from './modules/me/me.schema';
import { workersResolvers } from './modules/workers/workers.resolvers';
import { workersTypeDefs } from './modules/workers/workers.schema';
import { datasetResolvers } from './modules/dataset/dataset.resolvers';
import { datasetTypeDefs } from './modules/dataset/dataset.schema';
import { reviewQueueResolvers } from './modules/inspections/review-queue.resolvers';
import { reviewQueueTypeDefs } from './modules/inspections/review-queue.schema';
import { modelThresholdResolvers } from './modules/models/model-threshold.resolvers';
import { modelThresholdTypeDefs } from './modules/models/model-threshold.schema';

/** One domain's SDL and resolvers. */
export interface SchemaModule {
  typeDefs: string;
  resolvers: object;
}

const modules: SchemaModule[] = [
  { typeDefs: commonTypeDefs, resolvers: commonResolvers },
  { typeDefs: healthTypeDefs, resolvers: healthResolvers },
  { typeDefs: meTypeDefs, resolvers: meResolvers },
  { typeDefs: authTypeDefs, resolvers: authResolvers },
  { typeDefs: factoryAdminTypeDefs, resolvers: factoryAdminResolvers },
  { typeDefs: auditTypeDefs, resolvers: auditResolvers },
  { typeDefs: productsTypeDefs, resolvers: productsResolvers },
  { typeDefs: imagesTypeDefs, resolvers: imagesResolvers },
  {
    typeDefs: inspectionsTypeDefs,
    resolvers: { ...inspectionsResolvers, Query: { ...inspectionsResolvers.Query, ...inspectionStatsResolvers.Query } },
  },
  { typeDefs: modelsTypeDefs, resolvers: modelsResolvers },
  { typeDefs: lotsTypeDefs, resolvers: lotsResolvers },
  { typeDefs: subscriptionsTypeDefs, resolvers: subscriptionsResolvers },
  { typeDefs: workersTypeDefs, resolvers: workersResolvers },
  { typeDefs: datasetTypeDefs, resolvers: datasetResolvers },
  { typeDefs: reviewQueueTypeDefs, resolvers: reviewQueueResolvers },
  { typeDefs: modelThresholdTypeDefs, resolvers: modelThresholdResolvers },
];

/**
 * The whole GraphQL schema (schema-first SDL, one folder per domain under modules/), with the
 * permission table enforced on every root field and every argument held to argument-limits.ts.
 * `extra` lets tests add a module.
 */
export function buildSchema(options: { extra?: SchemaModule[]; permissions?: Record<string, Requirement> } = {}) {
  const all = [...modules, ...(options.extra ?? [])];
  const schema = makeExecutableSchema({
    typeDefs: all.map((m) => m.typeDefs),
    resolvers: all.map((m) => m.resolvers) as never,
  });
  // Permissions wrap outermost: a caller who may not call an operation learns nothing about its arguments.
  return enforcePermissions(guardArguments(schema, ARGUMENT_LIMITS), options.permissions ?? OPERATION_PERMISSIONS);
}
