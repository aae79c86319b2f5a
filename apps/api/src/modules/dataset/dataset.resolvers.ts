import { countImagesByLabelAndSplit } from '@gansight/db';
import type { QueryDatasetSummaryArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';
import { MIN_TRAINING_IMAGES } from '../models/models.resolvers';

// The worker's calibration rule (apps/worker training-job.ts, finish-model.ts): 8 QUALIFIED
// VALIDATION images, or, without them, 20% held out of at least 40 TRAIN images.
const MIN_VALIDATION_IMAGES = 8;
const MIN_TRAIN_FOR_HOLDOUT = 40;

export const datasetResolvers = {
  Query: {
    datasetSummary: async (_: unknown, args: QueryDatasetSummaryArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const counts = await countImagesByLabelAndSplit(ctx.services.db, factoryId, args.productId);
      const qualified = (split: string) => counts.find((c) => c.label === 'QUALIFIED' && c.split === split)?.count ?? 0;
      const trainQualified = qualified('TRAIN');
      const validationQualified = qualified('VALIDATION');
      return {
        productId: args.productId,
        counts,
        trainQualified,
        validationQualified,
        minTrainImages: MIN_TRAINING_IMAGES,
        minValidationImages: MIN_VALIDATION_IMAGES,
        readyToTrain: trainQualified >= MIN_TRAINING_IMAGES && (validationQualified >= MIN_VALIDATION_IMAGES || trainQualified >= MIN_TRAIN_FOR_HOLDOUT),
      };
    },
  },
};
