import { getProduct, listReviewQueue } from '@gansight/db';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { MAX_PAGE_SIZE } from '../common/connection';

export const reviewQueueResolvers = {
  Query: {
    reviewQueue: async (_: unknown, args: { productId?: string | null; first: number }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
        throw apiError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}.`);
      }
      if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
      return listReviewQueue(ctx.services.db, factoryId, { productId: args.productId ?? undefined, limit: args.first });
    },
  },
};
