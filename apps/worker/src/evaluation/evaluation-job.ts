// The `evaluate` task: one Evaluation row of one READY model. Loads the model (cached), the
// product's labelled TEST images and the model's training set (for the three baselines), runs
// the pipeline's evaluation and writes the whole result once at the end, so a retried or failed
// evaluation never leaves a partial result on the row.
import type { JobHelpers } from 'graphile-worker';
import { getEvaluation, getModel, getProduct, recordEvaluationResult, type JsonInput } from '@gansight/db';
import { evaluateInspection, type BaselineOptions } from '@gansight/ml';
import { describeFailure, WorkerError } from '../jobs/job-errors';
import { writeFailedMark } from '../jobs/write-failed-mark';
import { parseEvaluationJob } from '@gansight/contracts';
import { baselineImageFormat, modelImageFormat } from '../image-format';
import type { ModelCache } from '../inspection/model-cache';
import type { WorkerContext } from '../worker-context';
import { loadBaselineTrainImages } from './baseline-train-images';
import { storedEvaluation } from './evaluation-result';
import { evaluationScores } from './evaluation-scores';
import { loadTestImages, UNTYPED_DEFECT } from './load-test-images';

/** Plain JSON for a Json column (a NaN figure, e.g. an undefined ratio, is stored as null). */
const asJson = (value: unknown): JsonInput => JSON.parse(JSON.stringify(value)) as JsonInput;

type EvaluationEvent = 'evaluation.started' | 'evaluation.progress' | 'evaluation.completed' | 'evaluation.failed';

/** Baseline settings that also work on the handful of TRAIN images a small product has. */
function baselineOptions(trainCount: number, seed: number): BaselineOptions {
  return { seed, gmmComponents: Math.max(1, Math.min(6, Math.floor(trainCount / 10))) };
}

export function evaluationTask(ctx: WorkerContext, models: ModelCache) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const { factoryId, evaluationId } = parseEvaluationJob(payload);
    const emit = (kind: EvaluationEvent, data: Record<string, unknown>) =>
      ctx.events.publish({ factoryId, kind, id: evaluationId, data }).catch((err: Error) => ctx.log(`[evaluate] ${evaluationId}: event not sent: ${err.message}`));
    try {
      const evaluation = await getEvaluation(ctx.db, factoryId, evaluationId);
      if (evaluation.status !== 'QUEUED' && evaluation.status !== 'RUNNING') return; // already answered or cancelled
      await recordEvaluationResult(ctx.db, factoryId, evaluationId, { status: 'RUNNING' });
      await emit('evaluation.started', { attempt: helpers.job.attempts, modelId: evaluation.modelId });
      const model = await getModel(ctx.db, factoryId, evaluation.modelId);
      if (model.status !== 'READY' || !model.generatorKey) {
        throw new WorkerError('NOT_CALIBRATED', `Model v${model.version} is ${model.status}; only a READY model can be evaluated.`, true);
      }
      const product = await getProduct(ctx.db, factoryId, model.productId);
      const format = modelImageFormat(model, product);

      const test = await loadTestImages(ctx, factoryId, product.id, format);
      const qualified = test.items.filter((t) => !t.defective).length;
      const defective = test.items.length - qualified;
      if (qualified === 0 || defective === 0) {
        throw new WorkerError(
          'NO_TEST_IMAGES',
          `Evaluation needs labelled TEST images of both kinds; this product has ${qualified} QUALIFIED and ${defective} DEFECTIVE readable ones` +
            `${test.skipped.length ? ` (${test.skipped.length} unreadable skipped)` : ''}. Label images and assign them to the TEST split.`,
          true,
        );
      }
      // A patch model's own images differ in size: the baselines read a 64-px copy of every image (train and test).
      const baselineFormat = baselineImageFormat(format);
      const train = await loadBaselineTrainImages(ctx, factoryId, { generatorKey: model.generatorKey, productId: product.id }, baselineFormat);
      const baselineTest = baselineFormat === format ? null : await loadTestImages(ctx, factoryId, product.id, baselineFormat);
      if (baselineTest && baselineTest.imageIds.join() !== test.imageIds.join()) {
        throw new WorkerError('NO_TEST_IMAGES', 'The test images changed while they were read; evaluate again.', false);
      }
      if (train.images.length < 2) {
        const which = train.set.source === 'training-set' ? "of the model's training set are still readable" : 'QUALIFIED TRAIN images are readable';
        throw new WorkerError('NOT_ENOUGH_IMAGES', `The baselines need at least 2 images; only ${train.images.length} ${which}.`, true);
      }
      const loaded = await models.get(model.generatorKey);
      let lastProgress = 0;
      const { report } = await evaluateInspection(loaded, test.items, {
        baselineTrain: train.images.map((i) => i.data),
        ...(baselineTest ? { baselineTest: baselineTest.items.map((t) => t.image.data) } : {}),
        baselineOptions: baselineOptions(train.images.length, Number((model.hyperParameters as { seed?: unknown }).seed) || 0),
        onProgress: (done, total) => {
          if (done < total && Date.now() - lastProgress < ctx.timing.progressIntervalMs) return;
          lastProgress = Date.now();
          void emit('evaluation.progress', { phase: done < total ? 'inverting' : 'baselines', done, total });
        },
      });
      if (train.set.note) ctx.log(`[evaluate] ${evaluationId}: ${train.set.note}`);
      const result = storedEvaluation(report, {
        groupNames: test.groupNames, skippedImages: test.skipped, baselineTrainCount: train.images.length, baselineTrainSet: train.set,
      });
      await recordEvaluationResult(ctx.db, factoryId, evaluationId, {
        status: 'SUCCEEDED', metrics: asJson(result.metrics), baselines: asJson(result.baselines), perDefect: asJson(result.perDefect),
        scores: asJson(evaluationScores(report, UNTYPED_DEFECT)), error: null, completedAt: new Date(),
      });
      await emit('evaluation.completed', {
        modelId: model.id,
        auroc: report.aurocByKind.combined,
        baselines: Object.fromEntries(Object.entries(result.baselines).map(([name, b]) => [name, b.auroc])),
      });
    } catch (err) {
      const f = describeFailure(err);
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      if (f.permanent || last) {
        // No partial result: metrics, baselines and per-defect figures stay empty on a failed row.
        await writeFailedMark({
          what: `[evaluate] ${evaluationId}: FAILED mark`, log: ctx.log, ...(last ? { keepTryingUntil: ctx.drain } : {}),
          write: () => recordEvaluationResult(ctx.db, factoryId, evaluationId, {
            status: 'FAILED', error: `${f.code}: ${f.message}`, completedAt: new Date(),
          }),
        });
        await emit('evaluation.failed', { code: f.code, message: f.message });
        if (f.permanent) return;
      }
      throw err;
    }
  };
}
