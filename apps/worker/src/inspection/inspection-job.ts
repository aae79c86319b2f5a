// The `inspect` task: one Inspection row. Loads the model (cached), preprocesses the image to
// the product's format, scores it, stores reconstruction and residual pictures, and writes
// the result once at the end, so a retried inspection completes exactly once.
import type { JobHelpers } from 'graphile-worker';
import { getImage, getInspection, getModel, getProduct, recordInspectionResult } from '@gansight/db';
import { floatImageToPng, heatMapPng, preprocessImage } from '@gansight/imaging';
import { blobKey } from '@gansight/storage';
import { describeFailure, WorkerError } from '../jobs/job-errors';
import { writeFailedMark } from '../jobs/write-failed-mark';
import { parseInspectionJob } from '@gansight/contracts';
import { modelImageFormat, preprocessOptions } from '../image-format';
import { latentKey, storeLatent } from '../lots/inspection-latents';
import { queueLotMeasurementIfClosed } from '../lots/measure-closed-lot';
import type { WorkerContext } from '../worker-context';
import { inspectionProgressReporter } from './inspection-progress';
import type { InversionBatcher } from './inversion-batcher';
import type { ModelCache } from './model-cache';
import { judgeWithModelRow } from './row-threshold';

export function inspectionTask(ctx: WorkerContext, models: ModelCache, inversions: InversionBatcher) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const job = parseInspectionJob(payload);
    const { factoryId, inspectionId } = job;
    const emit = (kind: 'inspection.started' | 'inspection.progress' | 'inspection.completed' | 'inspection.failed', data: Record<string, unknown>) =>
      ctx.events.publish({ factoryId, kind, id: inspectionId, data }).catch((err: Error) => ctx.log(`[inspect] ${inspectionId}: event not sent: ${err.message}`));
    // An inspection of a closed lot may be the last one its measurement waits for. Also done
    // on a retry of an answered inspection, in case the attempt that answered it died here.
    const wakeLot = (lotId: string | null) => (lotId ? queueLotMeasurementIfClosed(helpers, ctx.db, factoryId, lotId) : Promise.resolve());
    let lotId: string | null = null;
    // Its image will reach the batcher after the reads and decode below; a burst's first image
    // waits (briefly) for it instead of being inverted alone.
    const coming = inversions.announce();
    try {
      const inspection = await getInspection(ctx.db, factoryId, inspectionId);
      lotId = inspection.lotId;
      // Already answered (a retry): nothing to score; only the lot may still need waking below.
      if (inspection.status !== 'DONE' && inspection.status !== 'FAILED') {
        const startedAt = new Date();
        // Round trips in parallel: on an idle line each sequential one is latency the station
        // waits for (the queue and events should add under 20 ms, apps/worker/bench). The started
        // event follows the RUNNING mark (whoever hears it may rely on the row saying so) and is
        // not waited for: its failure is logged, never worth holding the inspection.
        const [model, image, product] = await Promise.all([
          getModel(ctx.db, factoryId, inspection.modelId),
          getImage(ctx.db, factoryId, inspection.imageId),
          getProduct(ctx.db, factoryId, inspection.productId),
          recordInspectionResult(ctx.db, factoryId, inspectionId, { status: 'RUNNING', startedAt }).then(() => {
            void emit('inspection.started', { attempt: helpers.job.attempts });
          }),
        ]);
        if (model.status !== 'READY' || !model.generatorKey) {
          throw new WorkerError('NOT_CALIBRATED', `Model v${model.version} is ${model.status}; only a READY model can inspect.`, true);
        }
        const t0 = performance.now();
        const loaded = await models.get(model.generatorKey);
        const t1 = performance.now();
        const pixels = await preprocessImage(await ctx.blobs.get(image.blobKey), { ...preprocessOptions(modelImageFormat(model, product)), source: `image ${image.id}` });
        const dir = blobKey(factoryId, 'inspections', inspectionId);
        const progress = inspectionProgressReporter({
          blobs: ctx.blobs, dir, image: pixels, intervalMs: ctx.timing.progressIntervalMs,
          emit: (data) => emit('inspection.progress', data), log: ctx.log,
        });
        const score = await inversions.score(model.generatorKey, loaded, pixels, (r) => progress.onIteration(r), coming);
        const t2 = performance.now();
        await progress.finish();
        const reconstructionKey = `${dir}/reconstruction.png`;
        const residualKey = `${dir}/residual.png`;
        await ctx.blobs.put(reconstructionKey, await floatImageToPng({ ...pixels, data: score.reconstruction }), { contentType: 'image/png' });
        await ctx.blobs.put(residualKey, await heatMapPng(score.residualMap, { width: pixels.width, height: pixels.height, ...(score.heatMapRange ? { range: score.heatMapRange } : {}) }), { contentType: 'image/png' });
        await storeLatent(ctx.blobs, latentKey(factoryId, inspectionId), score.latent);
        const judged = judgeWithModelRow(score, model.scoreNormalisation);
        const verdict = judged.anomalous ? 'FAIL' : 'PASS';
        await recordInspectionResult(ctx.db, factoryId, inspectionId, {
          status: 'DONE', reconstructionLoss: score.reconstructionLoss, latentDistance: score.latentDistance, latentFrechet: score.latentFrechet,
          featureLoss: score.featureLoss, anomalyScore: score.anomalyScore, normalizedScore: judged.normalizedScore,
          threshold: judged.threshold, verdict, reconstructionKey, residualKey,
          timings: { modelLoadMs: t1 - t0, scoreMs: t2 - t1, totalMs: performance.now() - t0 },
          errorCode: null, errorMessage: null, completedAt: new Date(),
        });
        await emit('inspection.completed', { verdict, anomalyScore: score.anomalyScore, normalizedScore: judged.normalizedScore });
      }
    } catch (err) {
      coming.withdraw();
      const f = describeFailure(err);
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      if (f.permanent || last) {
        await writeFailedMark({
          what: `[inspect] ${inspectionId}: FAILED mark`, log: ctx.log, ...(last ? { keepTryingUntil: ctx.drain } : {}),
          write: () => recordInspectionResult(ctx.db, factoryId, inspectionId, {
            status: 'FAILED', errorCode: f.code, errorMessage: f.message, completedAt: new Date(),
          }),
        });
        await emit('inspection.failed', { code: f.code, message: f.message });
        await wakeLot(lotId).catch((e: Error) => ctx.log(`[inspect] ${inspectionId}: lot measurement not queued: ${e.message}`));
        if (f.permanent) return;
      }
      throw err;
    }
    coming.withdraw(); // no-op once its image was scored; here for an already answered retry
    // Outside the try: the inspection is answered; if this fails, the job's retry finds it
    // answered and queues the lot measurement again.
    await wakeLot(lotId);
  };
}
