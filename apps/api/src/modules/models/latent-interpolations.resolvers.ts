// Latent interpolation strips of a model's card (the paper's Figure 7, ADR 0061): the API checks
// and queues a request; a worker inverts both images and draws the strip
// (apps/worker/src/interpolation); Model.interpolations reads them back with fresh URLs.
import { jobKey } from '@gansight/contracts';
import {
  createLatentInterpolation,
  discardQueuedLatentInterpolation,
  findLatentInterpolation,
  getImage,
  getModel,
  listLatentInterpolations,
  type LatentInterpolation,
  type Model,
} from '@gansight/db';
import type { ModelInterpolationsArgs, MutationRequestInterpolationArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { requireBlobs } from '../images/image-ingest';
import { loadImage } from '../inspections/image-loader';

/** Frames a strip may have: one between the ends at least; more than 16 no longer fit a card's width. */
export const INTERPOLATION_STEPS = { min: 3, max: 16 } as const;
/** Strips of one model waiting or being drawn at once: enough for a person comparing pairs, not a flood. */
export const MAX_PENDING_INTERPOLATIONS = 4;
const MAX_LISTED = 20;
const STRIP_URL_SECONDS = 15 * 60;

export const latentInterpolationResolvers = {
  Model: {
    interpolations: (model: Model, args: ModelInterpolationsArgs, ctx: ApiContext) => {
      const first = args.first ?? 5;
      if (!Number.isInteger(first) || first < 1 || first > MAX_LISTED) throw apiError('BAD_USER_INPUT', `first must be between 1 and ${MAX_LISTED}.`);
      return listLatentInterpolations(ctx.services.db, requireFactoryCaller(ctx).factoryId, model.id, { limit: first });
    },
  },
  LatentInterpolation: {
    fromImage: (row: LatentInterpolation, _: unknown, ctx: ApiContext) => loadImage(ctx, row.fromImageId),
    toImage: (row: LatentInterpolation, _: unknown, ctx: ApiContext) => loadImage(ctx, row.toImageId),
    url: (row: LatentInterpolation, _: unknown, ctx: ApiContext) =>
      row.status === 'SUCCEEDED' && row.stripKey ? requireBlobs(ctx).presignedGetUrl(row.stripKey, STRIP_URL_SECONDS) : null,
  },
  Mutation: {
    requestInterpolation: async (_: unknown, args: MutationRequestInterpolationArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const db = ctx.services.db;
      const steps = args.steps ?? 8;
      if (!Number.isInteger(steps) || steps < INTERPOLATION_STEPS.min || steps > INTERPOLATION_STEPS.max) {
        throw apiError('BAD_USER_INPUT', `steps must be a whole number from ${INTERPOLATION_STEPS.min} to ${INTERPOLATION_STEPS.max}, got ${steps}.`);
      }
      // Each id is looked up within the caller's factory: another factory's model or image is NOT_FOUND.
      const model = await getModel(db, factoryId, args.modelId);
      const [from, to] = await Promise.all([getImage(db, factoryId, args.fromImageId), getImage(db, factoryId, args.toImageId)]);
      if (model.status !== 'READY') throw apiError('BAD_USER_INPUT', `Model v${model.version} is ${model.status}; only a READY model can draw an interpolation.`);
      for (const image of [from, to]) {
        if (image.productId !== model.productId) throw apiError('BAD_USER_INPUT', `Image ${image.id} belongs to another product than model v${model.version}; pick two images of its product.`);
      }
      if (from.id === to.id) throw apiError('BAD_USER_INPUT', 'Pick two different images: an interpolation from an image to itself shows nothing.');
      const request = { modelId: model.id, fromImageId: from.id, toImageId: to.id, steps };
      // Model weights and image bytes never change, so the same request draws the same strip.
      const existing = await findLatentInterpolation(db, factoryId, request);
      if (existing) return existing;
      const pending = await listLatentInterpolations(db, factoryId, model.id, { limit: MAX_PENDING_INTERPOLATIONS, status: ['QUEUED', 'RUNNING'] });
      if (pending.length >= MAX_PENDING_INTERPOLATIONS) {
        throw apiError('CONFLICT', `${pending.length} interpolations of model v${model.version} are still being drawn; wait for one to finish.`);
      }
      const row = await createLatentInterpolation(db, factoryId, request);
      try {
        await ctx.services.jobs?.add('interpolate', { factoryId, interpolationId: row.id }, { jobKey: jobKey('interpolate', row.id) });
      } catch (err) {
        // Else it would stay QUEUED for ever, counted against the model's pending strips.
        await discardQueuedLatentInterpolation(db, factoryId, row.id)
          .catch((e: Error) => ctx.services.log?.(`interpolation ${row.id}: not discarded after its job could not be queued: ${e.message}`));
        throw err;
      }
      return row;
    },
  },
};
