import { jobKey } from '@gansight/contracts';
import {
  activateModel,
  countImages,
  createEvaluation,
  createModel,
  createTrainingRun,
  discardQueuedEvaluation,
  discardQueuedModel,
  getModel,
  getProduct,
  getTrainingRun,
  listEvaluations,
  listModels,
  listModelsPage,
  updateModel,
  updateTrainingRun,
  type Model,
} from '@gansight/db';
import type {
  ModelEvaluationsArgs,
  ModelPicturesArgs,
  ModelTrainingRunsArgs,
  MutationActivateModelArgs,
  MutationCancelTrainingArgs,
  MutationStartEvaluationArgs,
  MutationStartTrainingArgs,
  QueryModelArgs,
  QueryModelsArgs,
  QueryTrainingRunArgs,
} from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';
import { loadModelPage } from './model-pages-loader';
import { modelPictures } from './model-pictures';
import { resolveHyperParameters } from './training-presets';
import { trainingRunWaitingFor } from '../workers/training-run-waiting';
import { factoryQuotas } from '../quotas/factory-quotas';

/** Fewer qualified training images than this cannot teach a GAN what a good part looks like. */
export const MIN_TRAINING_IMAGES = 8;

export const modelsResolvers = {
  Model: {
    pictures: (model: Model, args: ModelPicturesArgs, ctx: ApiContext) => modelPictures(model, args.kind, ctx),
    trainingRuns: async (model: Model, args: ModelTrainingRunsArgs, ctx: ApiContext) =>
      toConnection(await loadModelPage(ctx, 'trainingRuns', model.id, pageRequest(args))),
    evaluations: async (model: Model, args: ModelEvaluationsArgs, ctx: ApiContext) =>
      toConnection(await loadModelPage(ctx, 'evaluations', model.id, pageRequest(args))),
  },
  TrainingRun: {
    waitingFor: (run: { status: string; backends: string[] }, _: unknown, ctx: ApiContext) => trainingRunWaitingFor(run, ctx),
  },
  Query: {
    models: async (_: unknown, args: QueryModelsArgs, ctx: ApiContext) =>
      toConnection(await listModelsPage(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.productId, pageRequest(args))),
    model: (_: unknown, args: QueryModelArgs, ctx: ApiContext) => getModel(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
    trainingRun: (_: unknown, args: QueryTrainingRunArgs, ctx: ApiContext) =>
      getTrainingRun(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
  },
  Mutation: {
    startTraining: async (_: unknown, args: MutationStartTrainingArgs, ctx: ApiContext) => {
      const caller = requireFactoryCaller(ctx);
      const { factoryId } = caller;
      const product = await getProduct(ctx.services.db, factoryId, args.productId);
      const hyperParameters = resolveHyperParameters(args.preset, args.hyperParameters);
      const busy = (await listModels(ctx.services.db, factoryId, { productId: product.id })).find((m) => m.status === 'QUEUED' || m.status === 'TRAINING');
      if (busy) throw apiError('CONFLICT', `Model v${busy.version} of this product is still ${busy.status}; cancel it or wait for it to finish.`);
      const images = await countImages(ctx.services.db, factoryId, { productId: product.id, label: 'QUALIFIED', split: 'TRAIN' });
      if (images < MIN_TRAINING_IMAGES) {
        throw apiError('BAD_USER_INPUT', `Training needs at least ${MIN_TRAINING_IMAGES} QUALIFIED images in the TRAIN split; this product has ${images}.`);
      }
      const { maxConcurrentTrainingRuns } = await factoryQuotas(ctx, factoryId);
      const model = await createModel(
        ctx.services.db,
        factoryId,
        { productId: product.id, hyperParameters, createdById: caller.kind === 'user' ? caller.userId : undefined },
        { maxConcurrentTrainingRuns },
      );
      try {
        // Pinned when the deployment says so: only workers on these backends take it (ADR 0060).
        const backends = ctx.services.trainingBackends ?? [];
        const run = await createTrainingRun(ctx.services.db, factoryId, { modelId: model.id, totalSteps: hyperParameters.steps, backends });
        await ctx.services.jobs?.add('train', { factoryId, modelId: model.id, runId: run.id }, { jobKey: jobKey('train', run.id), backends });
        return { model, run };
      } catch (err) {
        // A version that was never queued would stay QUEUED for ever and refuse every later
        // startTraining of the product as busy: the failed mutation leaves nothing behind.
        await discardQueuedModel(ctx.services.db, factoryId, model.id)
          .catch((e: Error) => ctx.services.log?.(`model ${model.id}: not discarded after its training could not be queued: ${e.message}`));
        throw err;
      }
    },
    cancelTraining: async (_: unknown, args: MutationCancelTrainingArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const run = await getTrainingRun(ctx.services.db, factoryId, args.runId);
      if (run.status !== 'QUEUED' && run.status !== 'RUNNING') {
        throw apiError('BAD_USER_INPUT', `The training run already ended (${run.status}); nothing to cancel.`);
      }
      // The model first: a process that stops after it leaves a QUEUED run of a CANCELLED model,
      // which the workers' sweep ends as CANCELLED (ADR 0060). The other order left a QUEUED model
      // that refused every later startTraining of the product as busy.
      await updateModel(ctx.services.db, factoryId, run.modelId, { status: 'CANCELLED' });
      await ctx.services.jobs?.remove?.(jobKey('train', run.id));
      return updateTrainingRun(ctx.services.db, factoryId, run.id, { status: 'CANCELLED', finishedAt: new Date() });
    },
    startEvaluation: async (_: unknown, args: MutationStartEvaluationArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const model = await getModel(ctx.services.db, factoryId, args.modelId);
      if (model.status !== 'READY') throw apiError('BAD_USER_INPUT', `Model v${model.version} is ${model.status}; only a READY model can be evaluated.`);
      const pending = (await listEvaluations(ctx.services.db, factoryId, { modelId: model.id })).find((e) => e.status === 'QUEUED' || e.status === 'RUNNING');
      if (pending) throw apiError('CONFLICT', `An evaluation of model v${model.version} is still ${pending.status}; wait for it to finish.`);
      // Whether the product has labelled TEST images is the worker's check: labels may still
      // change before the job runs, and it fails the evaluation with NO_TEST_IMAGES then.
      const evaluation = await createEvaluation(ctx.services.db, factoryId, { modelId: model.id });
      try {
        await ctx.services.jobs?.add('evaluate', { factoryId, evaluationId: evaluation.id }, { jobKey: jobKey('evaluate', evaluation.id) });
      } catch (err) {
        // Else it would stay QUEUED and refuse every later evaluation of the model.
        await discardQueuedEvaluation(ctx.services.db, factoryId, evaluation.id)
          .catch((e: Error) => ctx.services.log?.(`evaluation ${evaluation.id}: not discarded after its job could not be queued: ${e.message}`));
        throw err;
      }
      return evaluation;
    },
    activateModel: (_: unknown, args: MutationActivateModelArgs, ctx: ApiContext) =>
      activateModel(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
  },
};
