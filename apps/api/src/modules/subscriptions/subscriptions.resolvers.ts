import { DbError, getInspection, getProduct, getTrainingRun, type Inspection } from '@gansight/db';
import { parseBlobKey } from '@gansight/storage';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { authorize } from '../auth/authorize';
import type { FactoryCaller } from '../auth/caller';
import { OPERATION_PERMISSIONS } from '../auth/permissions';
import { requireFactoryCaller } from '../auth/require-caller';
import type { ProgressEvent } from '../events/event-bus';
import { requireBlobs } from '../images/image-ingest';

const REVERIFY_MS = 5_000;
const PREVIEW_URL_SECONDS = 15 * 60;

/**
 * The events of the subscriber's factory that `match`, each one re-authorised: the event's
 * factory must be the caller's, and the caller's credentials and rights are verified again
 * (at most every few seconds), so a revoked key or removed member stops receiving.
 */
async function* relay(ctx: ApiContext, operation: string, match: (e: ProgressEvent) => boolean): AsyncGenerator<ProgressEvent> {
  const caller = requireFactoryCaller(ctx);
  if (!ctx.services.events) throw new Error('No event bus is configured for this API server (services.events)');
  const source = ctx.services.events.subscribe();
  let verifiedAt = Date.now();
  try {
    for await (const event of source) {
      if (event.factoryId !== caller.factoryId || !match(event)) continue;
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
  if (now.kind === 'anonymous' || now.kind === 'account' || now.factoryId !== before.factoryId) {
    throw apiError('FORBIDDEN', 'Your access to this factory changed; subscribe again.');
  }
  authorize(now, OPERATION_PERMISSIONS[operation]!, operation);
}

async function previewUrl(ctx: ApiContext, factoryId: string, key: unknown): Promise<string | null> {
  if (typeof key !== 'string') return null;
  // A worker bug must not turn into a URL for another factory's blob.
  if (parseBlobKey(key).factoryId !== factoryId) return null;
  return requireBlobs(ctx).presignedGetUrl(key, PREVIEW_URL_SECONDS);
}

/**
 * The row, not the event, is the truth: each event is read back within the subscriber's factory,
 * and an event naming a row the subscriber cannot see is skipped, not reported (an error would
 * echo the foreign id).
 */
async function* completedInspections(ctx: ApiContext, factoryId: string, events: AsyncGenerator<ProgressEvent>): AsyncGenerator<Inspection> {
  try {
    for await (const event of events) {
      const inspection = await getInspection(ctx.services.db, factoryId, event.id).catch((err: unknown) => {
        if (err instanceof DbError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      if (inspection) yield inspection;
    }
  } finally {
    await events.return(undefined);
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export const subscriptionsResolvers = {
  Subscription: {
    trainingProgress: {
      subscribe: async (_: unknown, args: { runId: string }, ctx: ApiContext) => {
        await getTrainingRun(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.runId);
        return relay(ctx, 'Subscription.trainingProgress', (e) => e.topic === 'training' && e.id === args.runId);
      },
      resolve: (e: ProgressEvent) => ({
        runId: e.id,
        kind: e.kind,
        step: num(e.data.step),
        totalSteps: num(e.data.totalSteps),
        losses: e.data.losses ?? null,
        status: typeof e.data.status === 'string' ? e.data.status : null,
        data: e.data,
      }),
    },
    inspectionProgress: {
      subscribe: async (_: unknown, args: { inspectionId: string }, ctx: ApiContext) => {
        await getInspection(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.inspectionId);
        return relay(ctx, 'Subscription.inspectionProgress', (e) => e.topic === 'inspection' && e.id === args.inspectionId);
      },
      resolve: async (e: ProgressEvent, _: unknown, ctx: ApiContext) => ({
        inspectionId: e.id,
        kind: e.kind,
        iteration: num(e.data.iteration),
        loss: num(e.data.loss),
        previewUrl: await previewUrl(ctx, e.factoryId, e.data.previewKey),
        data: e.data,
      }),
    },
    inspectionCompleted: {
      subscribe: async (_: unknown, args: { productId?: string | null }, ctx: ApiContext) => {
        const { factoryId } = requireFactoryCaller(ctx);
        if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
        const events = relay(
          ctx,
          'Subscription.inspectionCompleted',
          (e) => e.topic === 'inspection' && e.kind === 'completed' && (!args.productId || e.productId === args.productId),
        );
        return completedInspections(ctx, factoryId, events);
      },
      resolve: (inspection: Inspection) => inspection,
    },
  },
};
