import { countActiveTrainings, countStoredImages, inspectionsInLastMinute } from '@gansight/db';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';
import { factoryQuotas } from './factory-quotas';

// 0 in the database and configuration means no limit; the schema says null.
const limitOrNull = (limit: number) => (limit > 0 ? limit : null);

export const quotasResolvers = {
  Query: {
    factoryUsage: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const db = ctx.services.db;
      const quotas = await factoryQuotas(ctx, factoryId);
      const [images, trainings, inspections] = await Promise.all([
        countStoredImages(db, factoryId),
        countActiveTrainings(db, factoryId),
        inspectionsInLastMinute(db, factoryId, quotas.maxInspectionsPerMinute),
      ]);
      return {
        storedImages: { used: images, limit: limitOrNull(quotas.maxStoredImages) },
        concurrentTrainingRuns: { used: trainings, limit: limitOrNull(quotas.maxConcurrentTrainingRuns) },
        inspectionsPerMinute: { used: inspections, limit: limitOrNull(quotas.maxInspectionsPerMinute) },
      };
    },
  },
};
