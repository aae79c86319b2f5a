import { RETENTION_DAYS, setInspectionRetention } from '@gansight/db';
import type { MutationSetInspectionRetentionArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';

// Factory.inspectionRetentionDays resolves from the row itself; the worker's hourly retention
// job acts on it (apps/worker/src/retention, ADR 0058).
export const retentionResolvers = {
  Mutation: {
    setInspectionRetention: async (_: unknown, args: MutationSetInspectionRetentionArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const days = args.days ?? null;
      if (days !== null && (days < RETENTION_DAYS.min || days > RETENTION_DAYS.max)) {
        throw apiError('BAD_USER_INPUT', `Keep inspections ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max} days, or send null to keep them forever.`);
      }
      return setInspectionRetention(ctx.services.db, factoryId, days);
    },
  },
};
