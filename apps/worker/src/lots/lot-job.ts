// The `lot` task: once a lot is CLOSED and none of its inspections is pending, the paper's
// set-level Frechet distance between the Gaussian of its DONE inspections' latents and the
// model's qualified reference, stored once on the Lot with the model it was measured against.
// While inspections are pending it does nothing: the last one to finish queues it again.
import type { JobHelpers } from 'graphile-worker';
import { getImage, getLot, getModel, getProduct, lotInspectionStates, recordLotFrechetDistance, refreshLotCounts, settleLotMeasurement } from '@gansight/db';
import { preprocessImage } from '@gansight/imaging';
import { calibrationGaussian, inspectImages, lotFrechetDistance } from '@gansight/ml';
import { describeFailure, WorkerError } from '../jobs/job-errors';
import { parseLotJob } from '@gansight/contracts';
import { modelImageFormat, preprocessOptions } from '../image-format';
import type { ModelCache } from '../inspection/model-cache';
import type { WorkerContext } from '../worker-context';
import { latentKey, readLatent } from './inspection-latents';

/** The model most of the lot's inspections used (the newest of equals): the lot is measured against it. */
function mainModel(done: { modelId: string }[]): string {
  const counts = new Map<string, number>();
  for (const d of done) counts.set(d.modelId, (counts.get(d.modelId) ?? 0) + 1);
  let best = done.at(-1)!.modelId;
  for (const [id, n] of counts) if (n > counts.get(best)!) best = id;
  return best;
}

export function lotTask(ctx: WorkerContext, models: ModelCache) {
  return async (payload: unknown, _helpers: JobHelpers): Promise<void> => {
    const job = parseLotJob(payload);
    try {
      await measureLot(ctx, models, job.factoryId, job.lotId);
    } catch (err) {
      const f = describeFailure(err);
      // Retrying cannot help a permanent failure; the lot keeps no distance and says nothing false.
      if (!f.permanent) throw err;
      ctx.log(`[lot] ${job.lotId}: not measured: ${f.code}: ${f.message}`);
      // Settled: the workers' sweep of unmeasured closed lots stops queueing it (ADR 0060).
      await settleLotMeasurement(ctx.db, job.factoryId, job.lotId);
    }
  };
}

async function measureLot(ctx: WorkerContext, models: ModelCache, factoryId: string, lotId: string): Promise<void> {
  const lot = await getLot(ctx.db, factoryId, lotId);
  if (lot.status !== 'CLOSED' || lot.frechetDistance !== null) return;
  const states = await lotInspectionStates(ctx.db, factoryId, lotId);
  await refreshLotCounts(ctx.db, factoryId, lotId);
  if (states.pending > 0) {
    ctx.log(`[lot] ${lotId}: ${states.pending} inspection(s) pending; the last one to finish queues the measurement`);
    return;
  }
  if (states.done.length < 2) {
    ctx.log(`[lot] ${lotId}: ${states.done.length} inspected image(s); a set-level Frechet distance needs at least 2`);
    await settleLotMeasurement(ctx.db, factoryId, lotId);
    return;
  }
  const modelId = mainModel(states.done);
  const inspections = states.done.filter((d) => d.modelId === modelId);
  const model = await getModel(ctx.db, factoryId, modelId);
  if (!model.generatorKey) throw new WorkerError('NOT_CALIBRATED', `Model v${model.version} has no stored weights; the lot cannot be measured against it.`, true);
  const loaded = await models.get(model.generatorKey);
  if (!loaded.calibration) throw new WorkerError('NOT_CALIBRATED', `Model v${model.version} has no calibration to measure the lot against.`, true);
  const latents = await Promise.all(inspections.map((i) => readLatent(ctx.blobs, latentKey(factoryId, i.id))));
  const missing = inspections.filter((_, k) => latents[k] === null);
  if (missing.length > 0) {
    // Inspections from before latents were stored: invert their images once more.
    const product = await getProduct(ctx.db, factoryId, lot.productId);
    const format = modelImageFormat(model, product);
    const images = await Promise.all(missing.map(async (i) => {
      const image = await getImage(ctx.db, factoryId, i.imageId);
      return preprocessImage(await ctx.blobs.get(image.blobKey), { ...preprocessOptions(format), source: `image ${image.id}` });
    }));
    const again = (await inspectImages(loaded, images)).measurements.latents;
    let m = 0;
    latents.forEach((z, k) => void (z === null && (latents[k] = again[m++]!)));
  }
  const frechetDistance = lotFrechetDistance(latents as Float32Array[], calibrationGaussian(loaded.calibration));
  const written = await recordLotFrechetDistance(ctx.db, factoryId, lotId, { modelId, frechetDistance });
  if (!written) return;
  ctx.log(`[lot] ${lotId}: Frechet distance ${frechetDistance.toFixed(3)} over ${latents.length} images (model v${model.version})`);
  // Managers watching drift learn of the measurement without polling; the row is the record,
  // so a lost notice costs nothing but a refresh.
  await ctx.events
    .publish({ factoryId, kind: 'lot.measured', id: lotId, data: { modelId, frechetDistance, imageCount: latents.length } })
    .catch((err: Error) => ctx.log(`[lot] ${lotId}: event not sent: ${err.message}`));
}
