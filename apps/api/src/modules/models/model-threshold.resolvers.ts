import { getModel, updateModel, type Evaluation } from '@gansight/db';
import type { MutationSetModelThresholdArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';

interface Normalisation {
  threshold: number;
  min: number;
  max: number;
}

export const modelThresholdResolvers = {
  Evaluation: {
    scores: (evaluation: Evaluation) => (Array.isArray(evaluation.scores) ? evaluation.scores : null),
  },
  Mutation: {
    setModelThreshold: async (_: unknown, args: MutationSetModelThresholdArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (!Number.isFinite(args.threshold)) throw apiError('BAD_USER_INPUT', 'threshold must be a finite number.');
      const model = await getModel(ctx.services.db, factoryId, args.id);
      const stored = model.scoreNormalisation as Normalisation | null;
      if (model.status !== 'READY' || !stored) {
        throw apiError('BAD_USER_INPUT', `Model v${model.version} is ${model.status}; only a READY, calibrated model has a threshold to set.`);
      }
      // The normalised score maps [min, max] around the threshold to [0, 1] with the threshold at
      // 0.5 (packages/ml normaliseScore); the range is widened, as at calibration, to include it.
      const scoreNormalisation = { ...stored, threshold: args.threshold, min: Math.min(stored.min, args.threshold), max: Math.max(stored.max, args.threshold) };
      return updateModel(ctx.services.db, factoryId, model.id, { threshold: args.threshold, scoreNormalisation });
    },
  },
};
