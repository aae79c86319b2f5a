import { getProduct, listReviewQueue } from '@gansight/db';
import type { QueryReviewQueueArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { MAX_PAGE_SIZE } from '../common/connection';

export const reviewQueueResolvers = {
  Query: {
    reviewQueue: async (_: unknown, args: QueryReviewQueueArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      // `first` has a default, yet a client may send null: refused like any other size out of range.
      const { first } = args;
      if (first === null || first === undefined || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
        throw apiError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}.`);
      }
      if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
      return listReviewQueue(ctx.services.db, factoryId, { productId: args.productId ?? undefined, limit: first });
    },
  },
};
