import { DbError, getInspection, getProduct, getTrainingRun, type Inspection } from '@gansight/db';
import { eventIterator, type EventFilter, type GansightEvent } from '@gansight/events';
import type {
  SubscriptionInspectionCompletedArgs,
  SubscriptionInspectionProgressArgs,
  SubscriptionTrainingProgressArgs,
} from '@gansight/contracts/schema-types';
import { parseBlobKey } from '@gansight/storage';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { authorize } from '../auth/authorize';
import type { FactoryCaller } from '../auth/caller';
import { OPERATION_PERMISSIONS } from '../auth/permissions';
import { requireFactoryCaller } from '../auth/require-caller';
import { requireBlobs } from '../images/image-ingest';

const REVERIFY_MS = 5_000;
const PREVIEW_URL_SECONDS = 15 * 60;

/**
 * The subscriber's factory's events matching `filter`, each one re-authorised: the event's
 * factory must be the caller's (checked again here, not only by the subscriber's filter), and
 * the caller's credentials and rights are verified again (at most every few seconds), so a
 * revoked key or removed member stops receiving.
 */
async function* relay(ctx: ApiContext, operation: string, filter: Omit<EventFilter, 'factoryId'>): AsyncGenerator<GansightEvent> {
  const caller = requireFactoryCaller(ctx);
  if (!ctx.services.events) throw new Error('No event subscriber is configured for this API server (services.events)');
  const source = eventIterator(ctx.services.events, { ...filter, factoryId: caller.factoryId });
  let verifiedAt = Date.now();
  try {
    for await (const event of source) {
      if (event.factoryId !== caller.factoryId) continue;
      if (Date.now() - verifiedAt > REVERIFY_MS && ctx.reauthenticate) {
        await reverify(ctx, caller, operation);
        verifiedAt = Date.now();
      }
      yield event;
    }
  } finally {
    await source.return?.();
  }
}

async function reverify(ctx: ApiContext, before: FactoryCaller, operation: string): Promise<void> {
  const now = await ctx.reauthenticate!();
  if (now.kind === 'anonymous' || now.kind === 'account' || now.kind === 'operator' || now.factoryId !== before.factoryId) {
    throw apiError('FORBIDDEN', 'Your access to this factory changed; subscribe again.');
  }
  authorize(now, OPERATION_PERMISSIONS[operation]!, operation);
}

async function blobUrl(ctx: ApiContext, factoryId: string, key: unknown): Promise<string | null> {
  if (typeof key !== 'string') return null;
  // A worker bug must not turn into a URL for another factory's blob.
  if (parseBlobKey(key).factoryId !== factoryId) return null;
  return requireBlobs(ctx).presignedGetUrl(key, PREVIEW_URL_SECONDS);
}

/**
 * The row, not the event, is the truth: each completion is read back within the subscriber's
 * factory, and one naming a row the subscriber cannot see is skipped, not reported (an error
 * would echo the foreign id).
 */
async function* completedInspections(
  ctx: ApiContext,
  factoryId: string,
  productId: string | null,
  events: AsyncGenerator<GansightEvent>,
): AsyncGenerator<Inspection> {
  try {
    for await (const event of events) {
      const inspection = await getInspection(ctx.services.db, factoryId, event.id).catch((err: unknown) => {
        if (err instanceof DbError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      if (inspection && (!productId || inspection.productId === productId)) yield inspection;
    }
  } finally {
    await events.return(undefined);
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export const subscriptionsResolvers = {
  Subscription: {
    trainingProgress: {
      subscribe: async (_: unknown, args: SubscriptionTrainingProgressArgs, ctx: ApiContext) => {
        await getTrainingRun(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.runId);
        return relay(ctx, 'Subscription.trainingProgress', { topic: 'training', id: args.runId });
      },
      resolve: async (e: GansightEvent, _: unknown, ctx: ApiContext) => {
        const { d, g, dReal, dFake } = e.data;
        return {
          runId: e.id,
          kind: e.kind,
          step: num(e.data.step),
          totalSteps: num(e.data.totalSteps),
          phase: typeof e.data.phase === 'string' ? e.data.phase : null,
          losses: e.kind === 'training.progress' ? { d, g, dReal, dFake } : null,
          sampleUrl: e.kind === 'training.sample' ? await blobUrl(ctx, e.factoryId, e.data.key) : null,
          data: e.data,
        };
      },
    },
    inspectionProgress: {
      subscribe: async (_: unknown, args: SubscriptionInspectionProgressArgs, ctx: ApiContext) => {
        await getInspection(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.inspectionId);
        return relay(ctx, 'Subscription.inspectionProgress', { topic: 'inspection', id: args.inspectionId });
      },
      resolve: async (e: GansightEvent, _: unknown, ctx: ApiContext) => ({
        inspectionId: e.id,
        kind: e.kind,
        iteration: num(e.data.iteration),
        totalIterations: num(e.data.totalIterations),
        loss: num(e.data.loss),
        previewUrl: await blobUrl(ctx, e.factoryId, e.data.previewKey),
        data: e.data,
      }),
    },
    inspectionCompleted: {
      subscribe: async (_: unknown, args: SubscriptionInspectionCompletedArgs, ctx: ApiContext) => {
        const { factoryId } = requireFactoryCaller(ctx);
        if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
        const events = relay(ctx, 'Subscription.inspectionCompleted', { kinds: ['inspection.completed'] });
        return completedInspections(ctx, factoryId, args.productId ?? null, events);
      },
      resolve: (inspection: Inspection) => inspection,
    },
  },
};
