import { makeExecutableSchema, type IExecutableSchemaDefinition } from '@graphql-tools/schema';
import { API_TYPE_DEFS } from '@gansight/contracts';
import type { ApiContext } from './context';
import { ARGUMENT_LIMITS } from './input/argument-limits';
import { guardArguments } from './input/guard-arguments';
import { auditResolvers } from './modules/audit/audit.resolvers';
import { authResolvers } from './modules/auth/auth.resolvers';
import { enforcePermissions } from './modules/auth/enforce-permissions';
import { OPERATION_PERMISSIONS, type Requirement } from './modules/auth/permissions';
import { commonResolvers } from './modules/common/common.resolvers';
import { factoryAdminResolvers } from './modules/factory-admin/factory-admin.resolvers';
import { productsResolvers } from './modules/products/products.resolvers';
import { imagesResolvers } from './modules/images/images.resolvers';
import { inspectionsResolvers } from './modules/inspections/inspections.resolvers';
import { modelsResolvers } from './modules/models/models.resolvers';
import { subscriptionsResolvers } from './modules/subscriptions/subscriptions.resolvers';
import { lotsResolvers } from './modules/lots/lots.resolvers';
import { inspectionStatsResolvers } from './modules/inspections/inspection-stats.resolvers';
import { healthResolvers } from './modules/health/health.resolvers';
import { meResolvers } from './modules/me/me.resolvers';
import { workersResolvers } from './modules/workers/workers.resolvers';
import { datasetResolvers } from './modules/dataset/dataset.resolvers';
import { reviewQueueResolvers } from './modules/inspections/review-queue.resolvers';
import { modelThresholdResolvers } from './modules/models/model-threshold.resolvers';
import { retentionResolvers } from './modules/retention/retention.resolvers';
import { latentInterpolationResolvers } from './modules/models/latent-interpolations.resolvers';
import { quotasResolvers } from './modules/quotas/quotas.resolvers';

/** One domain's resolvers, in the shape graphql-tools takes (a resolver's arguments are typed in its module). */
type Resolvers = Exclude<NonNullable<IExecutableSchemaDefinition<ApiContext>['resolvers']>, unknown[]>;

/** One domain's SDL and resolvers (tests add modules of their own). */
export interface SchemaModule {
  typeDefs: string;
  resolvers: Resolvers;
}

// The SDL is @gansight/contracts' (API_TYPE_DEFS); these resolve it, one object per domain.
const resolvers: Resolvers[] = [
  commonResolvers,
  healthResolvers,
  meResolvers,
  authResolvers,
  factoryAdminResolvers,
  auditResolvers,
  productsResolvers,
  imagesResolvers,
  { ...inspectionsResolvers, Query: { ...inspectionsResolvers.Query, ...inspectionStatsResolvers.Query } },
  modelsResolvers,
  lotsResolvers,
  subscriptionsResolvers,
  workersResolvers,
  datasetResolvers,
  reviewQueueResolvers,
  modelThresholdResolvers,
  retentionResolvers,
  latentInterpolationResolvers,
  quotasResolvers,
];

/**
 * The whole GraphQL schema (schema-first: the SDL of @gansight/contracts, resolvers in one folder
 * per domain under modules/), with the
 * permission table enforced on every root field and every argument held to argument-limits.ts.
 * `extra` lets tests add a module.
 */
export function buildSchema(options: { extra?: SchemaModule[]; permissions?: Record<string, Requirement> } = {}) {
  const extra = options.extra ?? [];
  const schema = makeExecutableSchema({
    typeDefs: [...API_TYPE_DEFS, ...extra.map((m) => m.typeDefs)],
    resolvers: [...resolvers, ...extra.map((m) => m.resolvers)],
  });
  // Permissions wrap outermost: a caller who may not call an operation learns nothing about its arguments.
  return enforcePermissions(guardArguments(schema, ARGUMENT_LIMITS), options.permissions ?? OPERATION_PERMISSIONS);
}
