import { getProduct, inspectionBreakdown, scoreDistribution, type BreakdownGroup } from '@gansight/db';
import type { BreakdownGroup as BreakdownGroupArg, QueryDefectBreakdownArgs, QueryScoreDistributionArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';

const GROUPS: Record<BreakdownGroupArg, BreakdownGroup> = { PRODUCT: 'product', LINE: 'line', STATION: 'station', DEFECT_TYPE: 'defectType' };
/** Longest range a manager view may aggregate in one query. */
const MAX_RANGE_DAYS = 400;

type RangeArgs = Pick<QueryDefectBreakdownArgs, 'from' | 'to' | 'productId'>;

async function checkRange(ctx: ApiContext, factoryId: string, args: RangeArgs): Promise<void> {
  if (!(args.from < args.to)) throw apiError('BAD_USER_INPUT', 'from must be before to.');
  if (args.to.getTime() - args.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw apiError('BAD_USER_INPUT', `Ask for at most ${MAX_RANGE_DAYS} days at a time.`);
  }
  if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
}

export const inspectionStatsResolvers = {
  Query: {
    defectBreakdown: async (_: unknown, args: QueryDefectBreakdownArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      await checkRange(ctx, factoryId, args);
      const rows = await inspectionBreakdown(ctx.services.db, factoryId, {
        from: args.from,
        to: args.to,
        groupBy: GROUPS[args.groupBy],
        productId: args.productId ?? undefined,
      });
      return rows.map((r) => ({ ...r, defectRate: r.pass + r.fail > 0 ? r.fail / (r.pass + r.fail) : null }));
    },
    scoreDistribution: async (_: unknown, args: QueryScoreDistributionArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      await checkRange(ctx, factoryId, args);
      // Both have defaults, yet a client may send null: refused like any other value out of range.
      const { bins, maxScore } = args;
      if (bins === null || bins === undefined || !Number.isInteger(bins) || bins < 1 || bins > 200) throw apiError('BAD_USER_INPUT', 'bins must be between 1 and 200.');
      // Normalised scores never exceed 1 (packages/ml normaliseScore clips), so bins above 1 would always be empty.
      if (maxScore === null || maxScore === undefined || !(maxScore > 0) || maxScore > 1) {
        throw apiError('BAD_USER_INPUT', 'maxScore must be above 0 and at most 1 (normalised scores lie in [0, 1]).');
      }
      return scoreDistribution(ctx.services.db, factoryId, { ...args, bins, maxScore, productId: args.productId ?? undefined });
    },
  },
};
