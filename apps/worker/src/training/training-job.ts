// The `train` task: one TrainingRun of one Model, resumable. Every attempt claims the run,
// loads the images, resumes from the run's last checkpoint and trains to the end (or until
// cancelled or drained); the model is stored and marked READY only when complete.
import type { JobHelpers } from 'graphile-worker';
import {
  claimTrainingRun, getModel, getProduct, getTrainingRun, transitionTrainingRun, updateModel, updateTrainingRun,
} from '@gansight/db';
import { createRng, disposeDcgan } from '@gansight/ml';
import { describeFailure, WorkerError } from '../jobs/job-errors';
import { writeFailedMark } from '../jobs/write-failed-mark';
import { parseTrainingJob, type TrainingJob } from '@gansight/contracts';
import type { WorkerContext } from '../worker-context';
import { finishModel, MIN_VALIDATION_IMAGES } from './finish-model';
import { loadQualifiedImages, type LoadedImages } from './load-training-images';
import { sampleGridKeys } from './model-card-metrics';
import { storeModelPictures } from './model-pictures';
import { loadRunCheckpoint } from './run-checkpoints';
import { phaseProgress, TrainingStopped, watchRunStop, type RunStopWatch } from './run-stop-watch';
import { trainWithProgress, type Emit } from './train-with-progress';
import { saveTrainingSet, type TrainingSetImage } from './training-set-artifact';
import { trainingSettings, type TrainingSettings } from './training-settings';

/** Below this many TRAIN images, no held-out share is taken from them for calibration. */
const MIN_TRAIN_FOR_HOLDOUT = 40;

/** VALIDATION images, or (when too few) a seeded 20% of TRAIN held out: the same on every attempt. */
function splitForCalibration(train: LoadedImages, validation: LoadedImages, seed: number) {
  const described = (keep: (i: number) => boolean): TrainingSetImage[] =>
    train.imageIds.flatMap((id, i) => (keep(i) ? [{ id, sha256: train.sha256[i]! }] : []));
  if (validation.images.length >= MIN_VALIDATION_IMAGES || train.images.length < MIN_TRAIN_FOR_HOLDOUT) {
    return { train: train.images, trainSet: described(() => true), validation: validation.images, heldOut: 0 };
  }
  const rng = createRng(seed);
  const order = train.images.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const n = Math.round(train.images.length * 0.2);
  const held = new Set(order.slice(0, n));
  return {
    train: train.images.filter((_, i) => !held.has(i)),
    trainSet: described((i) => !held.has(i)),
    validation: train.images.filter((_, i) => held.has(i)),
    heldOut: n,
  };
}

async function trainRun(ctx: WorkerContext, job: TrainingJob, helpers: JobHelpers, emit: Emit): Promise<void> {
  // The process draining, or graphile-worker giving up on a graceful shutdown.
  const drain = AbortSignal.any([ctx.drain, helpers.abortSignal]);
  const stop = watchRunStop(ctx, job.factoryId, job.runId, drain);
  try {
    await trainClaimedRun(ctx, job, helpers, emit, drain, stop);
  } finally {
    stop.close();
  }
}

async function trainClaimedRun(
  ctx: WorkerContext, job: TrainingJob, helpers: JobHelpers, emit: Emit, drain: AbortSignal, stop: RunStopWatch,
): Promise<void> {
  const { factoryId, runId, modelId } = job;
  const claimed = await claimTrainingRun(ctx.db, factoryId, runId, ctx.workerNodeId);
  if (!claimed) {
    // Cancelled (or finished) before this attempt started: nothing to train.
    const run = await getTrainingRun(ctx.db, factoryId, runId);
    if (run.status === 'CANCELLED') await updateModel(ctx.db, factoryId, modelId, { status: 'CANCELLED' });
    ctx.log(`[train] ${runId} is ${run.status}; nothing to do`);
    return;
  }
  if (claimed.modelId !== modelId) throw new WorkerError('BAD_JOB_PAYLOAD', `Training run ${runId} belongs to another model.`, true);
  const model = await getModel(ctx.db, factoryId, modelId);
  if (model.status === 'CANCELLED') {
    // cancelTraining marks the model first; an API that stopped right after left this run queued.
    await updateTrainingRun(ctx.db, factoryId, runId, { status: 'CANCELLED', finishedAt: new Date() });
    ctx.log(`[train] ${runId}: model v${model.version} was cancelled; nothing to do`);
    return;
  }
  const product = await getProduct(ctx.db, factoryId, model.productId);
  const s: TrainingSettings = trainingSettings(product, model, claimed);
  await updateModel(ctx.db, factoryId, modelId, { status: 'TRAINING', backend: ctx.backend, error: null });

  const format = { size: s.size, channels: s.channels, mode: s.mode, intensity: s.intensity, ...(s.patch ? { scale: s.patch.scale } : {}) };
  const trainSet = await loadQualifiedImages(ctx, factoryId, product.id, 'TRAIN', format);
  const validationSet = await loadQualifiedImages(ctx, factoryId, product.id, 'VALIDATION', format);
  const skipped = [...trainSet.skipped, ...validationSet.skipped];
  for (const sk of skipped) ctx.log(`[train] ${runId}: skipped image ${sk.imageId} (${sk.code}): ${sk.reason}`);
  const split = splitForCalibration(trainSet, validationSet, s.seed);
  if (split.train.length < 2) {
    throw new WorkerError('NOT_ENOUGH_IMAGES', `Only ${split.train.length} readable QUALIFIED TRAIN images (${skipped.length} skipped as unreadable); at least 2 are needed.`, true);
  }
  const resume = await loadRunCheckpoint(ctx, claimed);
  const attempt = helpers.job.attempts;
  await emit('training.started', {
    attempt, fromStep: resume?.step ?? 0, totalSteps: s.steps, images: split.train.length,
    validationImages: split.validation.length, skipped: skipped.slice(0, 20), skippedCount: skipped.length,
  });
  const hyper = { ...s, backend: ctx.backend, trainImages: split.train.length, skippedImages: skipped.map((k) => k.imageId) };
  const outcome = await trainWithProgress(ctx, claimed, s, split.train, resume, { drain, stop, emit, extra: { runId } });
  try {
    if (outcome.stopped === 'cancelled') {
      await updateModel(ctx.db, factoryId, modelId, { status: 'CANCELLED' });
      await emit('training.cancelled', { step: outcome.lastStep });
      return;
    }
    if (outcome.stopped === 'draining') {
      await transitionTrainingRun(ctx.db, factoryId, runId, 'QUEUED', { workerId: null });
      // Thrown so that the queue keeps the job and another worker resumes it from the checkpoint.
      throw new WorkerError('WORKER_DRAINING', `The worker stopped; training resumes from step ${outcome.lastStep} on the next worker.`, false);
    }
    let finished;
    try {
      finished = await finishModel(ctx, { factoryId, modelId }, outcome.dcgan, split.train, split.validation, s, hyper, phaseProgress(ctx, stop, emit, s.steps));
    } catch (err) {
      if (!(err instanceof TrainingStopped)) throw err;
      ctx.log(`[train] ${runId}: ${err.message}`);
      if (err.reason === 'cancelled') {
        await updateModel(ctx.db, factoryId, modelId, { status: 'CANCELLED' });
        await emit('training.cancelled', { step: s.steps, phase: err.phase });
        return;
      }
      // The GAN's last checkpoint is at the final step: the next attempt trains nothing and redoes this phase.
      await transitionTrainingRun(ctx.db, factoryId, runId, 'QUEUED', { workerId: null });
      throw new WorkerError('WORKER_DRAINING', `The worker stopped in the ${err.phase} phase; the next worker finishes the model from the last checkpoint.`, false);
    }
    // Before the model can become READY, so that every evaluation of it finds its training set.
    await saveTrainingSet(ctx.blobs, finished.modelKey, { version: 1, modelId, images: split.trainSet });
    const metrics = {
      training: {
        steps: s.steps, trainImages: split.train.length, validationImages: split.validation.length, heldOutFromTrain: split.heldOut,
        skippedImages: skipped.map(({ imageId, code }) => ({ imageId, code })),
      },
      // The model card (API `Model.metrics`): generatorFrechet is the figure it shows first.
      ...(finished.generatorCheck
        ? {
            generatorCheck: finished.generatorCheck,
            generatorFrechet: 'error' in finished.generatorCheck ? null : finished.generatorCheck.frechetGeneratedVsQualified,
          }
        : {}),
      sampleGrids: await sampleGridKeys(ctx.blobs, factoryId, runId),
      // What the API's Model.pictures serves with fresh URLs (sample grids, t-SNE, ...).
      pictures: await storeModelPictures(ctx.blobs, { factoryId, modelId, runId }, finished.generatorCheck),
    };
    if (!(await transitionTrainingRun(ctx.db, factoryId, runId, 'SUCCEEDED', { step: s.steps, finishedAt: new Date(), error: null }))) {
      await updateModel(ctx.db, factoryId, modelId, { status: 'CANCELLED' });
      await emit('training.cancelled', { step: s.steps });
      return;
    }
    const c = finished.calibration;
    await updateModel(ctx.db, factoryId, modelId, {
      generatorKey: finished.modelKey,
      discriminatorKey: finished.modelKey,
      metrics,
      trainedAt: new Date(),
      ...(c
        ? {
            status: 'READY', threshold: c.normalisation.threshold, scoreNormalisation: { ...c.normalisation },
            referenceStats: {
              zdim: s.zdim, validationCount: c.validationCount, combineKinds: c.combineKinds, falseAlarmRate: c.falseAlarmRate,
              // Inspections preprocess with this, not the product's current settings.
              imageFormat: { ...format },
            },
          }
        : {
            status: 'FAILED',
            error: `NOT_CALIBRATED: the GAN is trained and stored, but ${split.validation.length} QUALIFIED VALIDATION images cannot calibrate a threshold (at least ${MIN_VALIDATION_IMAGES} are needed). Add validation images and train again.`,
          }),
    });
    await emit('training.completed', {
      step: s.steps, status: c ? 'READY' : 'FAILED', stepsThisAttempt: outcome.stepsThisAttempt, fromStep: outcome.fromStep,
      threshold: c?.normalisation.threshold ?? null,
    });
  } finally {
    disposeDcgan(outcome.dcgan);
  }
}

/** graphile-worker task handler for `train`. */
export function trainingTask(ctx: WorkerContext) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const job = parseTrainingJob(payload);
    const emit: Emit = (kind, data) =>
      ctx.events.publish({ factoryId: job.factoryId, kind, id: job.runId, data: { modelId: job.modelId, ...data } })
        .catch((err: Error) => ctx.log(`[train] ${job.runId}: event ${kind} not sent: ${err.message}`));
    try {
      await trainRun(ctx, job, helpers, emit);
    } catch (err) {
      const f = describeFailure(err);
      if (f.code === 'WORKER_DRAINING') throw err;
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      const error = `${f.code}: ${f.message}`;
      if (f.permanent || last) {
        // Recorded before the job gives up, so the user sees why (never a half-written READY).
        const mark = { log: ctx.log, ...(last ? { keepTryingUntil: ctx.drain } : {}) };
        // A run no longer RUNNING (cancelled meanwhile) is left as it is: the transition writes nothing.
        await writeFailedMark({
          ...mark, what: `[train] ${job.runId}: FAILED mark of the run`,
          write: () => transitionTrainingRun(ctx.db, job.factoryId, job.runId, 'FAILED', { error, finishedAt: new Date() }),
        });
        await writeFailedMark({
          ...mark, what: `[train] ${job.runId}: FAILED mark of the model`,
          write: () => updateModel(ctx.db, job.factoryId, job.modelId, { status: 'FAILED', error }),
        });
        await emit('training.failed', { code: f.code, message: f.message, attempt: helpers.job.attempts });
        if (f.permanent) return; // not retried: completing the job removes it from the queue
        throw err;
      }
      await updateTrainingRun(ctx.db, job.factoryId, job.runId, {
        error: `attempt ${helpers.job.attempts} of ${helpers.job.max_attempts} failed, retrying: ${error}`,
      }).catch((e: Error) => ctx.log(`[train] ${job.runId}: retry note not written: ${e.message}`));
      throw err;
    }
  };
}
