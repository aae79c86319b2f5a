// The `interpolate` task: one LatentInterpolation row of a READY model (ADR 0061). Loads the
// model (cached with inspections'), reads both images in the model's format, inverts them and
// draws the path between their latents (packages/ml interpolateBetweenImages), stores the strip
// as one PNG and writes the row once at the end; a failure leaves no strip and says why.
import type { JobHelpers } from 'graphile-worker';
import { getImage, getLatentInterpolation, getModel, getProduct, recordLatentInterpolationResult, type Image } from '@gansight/db';
import { preprocessImage } from '@gansight/imaging';
import { interpolateBetweenImages } from '@gansight/ml';
import { blobKey } from '@gansight/storage';
import { parseInterpolationJob } from '@gansight/contracts';
import { modelImageFormat, preprocessOptions } from '../image-format';
import type { ModelCache } from '../inspection/model-cache';
import { describeFailure, WorkerError } from '../jobs/job-errors';
import { writeFailedMark } from '../jobs/write-failed-mark';
import type { WorkerContext } from '../worker-context';
import { interpolationStripPng } from './interpolation-strip';

/** How the strip names an image: its label and the end of its id (the card's pickers show the same). */
export const imageCaption = (image: Pick<Image, 'id' | 'label'>): string => `${image.label.toLowerCase()} …${image.id.slice(-6)}`;

export function interpolationTask(ctx: WorkerContext, models: ModelCache) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const { factoryId, interpolationId } = parseInterpolationJob(payload);
    try {
      const row = await getLatentInterpolation(ctx.db, factoryId, interpolationId);
      if (row.status !== 'QUEUED' && row.status !== 'RUNNING') return; // already answered
      await recordLatentInterpolationResult(ctx.db, factoryId, interpolationId, { status: 'RUNNING' });
      const model = await getModel(ctx.db, factoryId, row.modelId);
      if (model.status !== 'READY' || !model.generatorKey) {
        throw new WorkerError('NOT_CALIBRATED', `Model v${model.version} is ${model.status}; only a READY model can draw an interpolation.`, true);
      }
      const [product, from, to] = await Promise.all([
        getProduct(ctx.db, factoryId, model.productId), getImage(ctx.db, factoryId, row.fromImageId), getImage(ctx.db, factoryId, row.toImageId),
      ]);
      // The format the model was trained with, as inspections read it.
      const format = preprocessOptions(modelImageFormat(model, product));
      const [a, b] = await Promise.all([from, to].map(async (image) => preprocessImage(await ctx.blobs.get(image.blobKey), { ...format, source: `image ${image.id}` })));
      const loaded = await models.get(model.generatorKey);
      const result = await interpolateBetweenImages(loaded, a!, b!, { steps: row.steps });
      const png = await interpolationStripPng(result, { title: `Latent interpolation, model v${model.version}`, from: `A: ${imageCaption(from)}`, to: `B: ${imageCaption(to)}` });
      const stripKey = blobKey(factoryId, 'models', model.id, 'interpolations', `${interpolationId}.png`);
      await ctx.blobs.put(stripKey, png, { contentType: 'image/png' });
      await recordLatentInterpolationResult(ctx.db, factoryId, interpolationId, {
        status: 'SUCCEEDED', stripKey, error: null, completedAt: new Date(),
        details: { path: result.path, crops: result.crops ? result.crops.map((c) => ({ ...c })) : null, endLosses: result.endLosses },
      });
      ctx.log(`[interpolate] ${interpolationId}: ${row.steps} frames stored`);
    } catch (err) {
      const f = describeFailure(err);
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      if (f.permanent || last) {
        await writeFailedMark({
          what: `[interpolate] ${interpolationId}: FAILED mark`, log: ctx.log, ...(last ? { keepTryingUntil: ctx.drain } : {}),
          write: () => recordLatentInterpolationResult(ctx.db, factoryId, interpolationId, { status: 'FAILED', error: `${f.code}: ${f.message}`, completedAt: new Date() }),
        });
        if (f.permanent) return;
      }
      throw err;
    }
  };
}
