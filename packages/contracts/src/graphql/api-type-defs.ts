import { auditTypeDefs } from './audit.schema';
import { authTypeDefs } from './auth.schema';
import { commonTypeDefs } from './common.schema';
import { datasetTypeDefs } from './dataset.schema';
import { factoryAdminTypeDefs } from './factory-admin.schema';
import { healthTypeDefs } from './health.schema';
import { imagesTypeDefs } from './images.schema';
import { inspectionsTypeDefs } from './inspections.schema';
import { latentInterpolationTypeDefs } from './latent-interpolation.schema';
import { lotsTypeDefs } from './lots.schema';
import { meTypeDefs } from './me.schema';
import { modelThresholdTypeDefs } from './model-threshold.schema';
import { modelsTypeDefs } from './models.schema';
import { productsTypeDefs } from './products.schema';
import { retentionTypeDefs } from './retention.schema';
import { quotasTypeDefs } from './quotas.schema';
import { reviewQueueTypeDefs } from './review-queue.schema';
import { subscriptionsTypeDefs } from './subscriptions.schema';
import { workersTypeDefs } from './workers.schema';

/**
 * The API's GraphQL schema as SDL, one string per domain (common types first; the others
 * extend Query, Mutation and Subscription). apps/api serves it with its resolvers;
 * packages/client generates its typed operations from it.
 */
export const API_TYPE_DEFS: readonly string[] = [
  commonTypeDefs,
  healthTypeDefs,
  meTypeDefs,
  authTypeDefs,
  factoryAdminTypeDefs,
  auditTypeDefs,
  productsTypeDefs,
  imagesTypeDefs,
  inspectionsTypeDefs,
  modelsTypeDefs,
  lotsTypeDefs,
  subscriptionsTypeDefs,
  workersTypeDefs,
  datasetTypeDefs,
  reviewQueueTypeDefs,
  modelThresholdTypeDefs,
  retentionTypeDefs,
  latentInterpolationTypeDefs,
  quotasTypeDefs,
];
