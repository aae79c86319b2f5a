import { jobKey } from '@gansight/contracts';
import {
  getDefectType,
  createInspection,
  findInspectionByIdempotencyKey,
  getImage,
  resolveInspectionTarget,
  getActiveModel,
  getLot,
  getInspection,
  getProduct,
  inspectionTrend,
  listInspections,
  reviewInspection,
  refundInspectionQuota,
  takeInspectionQuota,
  type Inspection,
  type TrendBucket,
} from '@gansight/db';
import type {
  MutationReviewInspectionArgs,
  MutationSubmitInspectionArgs,
  InspectionFilter,
  QueryDefectTrendsArgs,
  QueryInspectionArgs,
  QueryInspectionsArgs,
} from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';
import { definedOnly } from '../common/defined-only';
import { discardStoredImage, prepareDirectUpload, requireBlobs, storePreparedImage } from '../images/image-ingest';
import { loadImage } from './image-loader';
import { factoryQuotas } from '../quotas/factory-quotas';

const RESULT_URL_SECONDS = 15 * 60;
const MAX_TREND_BUCKETS = 2000;
const BUCKET_HOURS: Record<TrendBucket, number> = { hour: 1, day: 24, week: 168 };

/** Queues the inspection's job (also on a replay: if queueing failed the first time, the job key dedupes). */
async function queued(ctx: ApiContext, factoryId: string, result: { inspection: Inspection; created: boolean }) {
  if (result.inspection.status === 'QUEUED') {
    await ctx.services.jobs?.add('inspect', { factoryId, inspectionId: result.inspection.id }, { jobKey: jobKey('inspect', result.inspection.id) });
  }
  return result;
}

const presignIf = (ctx: ApiContext, key: string | null) => (key ? requireBlobs(ctx).presignedGetUrl(key, RESULT_URL_SECONDS) : null);

export const inspectionsResolvers = {
  Inspection: {
    image: (inspection: Inspection, _: unknown, ctx: ApiContext) => loadImage(ctx, inspection.imageId),
    reconstructionUrl: (inspection: Inspection, _: unknown, ctx: ApiContext) => presignIf(ctx, inspection.reconstructionKey),
    residualUrl: (inspection: Inspection, _: unknown, ctx: ApiContext) => presignIf(ctx, inspection.residualKey),
  },
  Query: {
    inspection: (_: unknown, args: QueryInspectionArgs, ctx: ApiContext) =>
      getInspection(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
    inspections: async (_: unknown, args: QueryInspectionsArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const filter = definedOnly<InspectionFilter>(args.filter ?? {});
      if (filter.productId) await getProduct(ctx.services.db, factoryId, filter.productId);
      return toConnection(await listInspections(ctx.services.db, factoryId, filter, pageRequest(args)));
    },
    defectTrends: async (_: unknown, args: QueryDefectTrendsArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const bucket = args.bucket.toLowerCase() as TrendBucket;
      if (!(args.from < args.to)) throw apiError('BAD_USER_INPUT', 'from must be before to.');
      if ((args.to.getTime() - args.from.getTime()) / 3_600_000 / BUCKET_HOURS[bucket] > MAX_TREND_BUCKETS) {
        throw apiError('BAD_USER_INPUT', `The range spans more than ${MAX_TREND_BUCKETS} ${bucket}s; choose a larger bucket or a shorter range.`);
      }
      const points = await inspectionTrend(ctx.services.db, factoryId, {
        from: args.from,
        to: args.to,
        bucket,
        // A bad timeZone is BAD_INPUT from packages/db (BAD_USER_INPUT here), before any read.
        ...definedOnly(args, ['productId', 'lotId', 'line', 'station', 'defectTypeId', 'timeZone']),
      });
      // Counts are scoped to the factory, so points prove the product is its own; only an empty
      // answer needs the product looked up, to tell NOT_FOUND from a quiet range (a query saved
      // on every busy dashboard call).
      if (points.length === 0 && args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
      if (points.length === 0 && args.defectTypeId) await getDefectType(ctx.services.db, factoryId, args.defectTypeId);
      return points.map((p) => ({ ...p, defectRate: p.pass + p.fail > 0 ? p.fail / (p.pass + p.fail) : null }));
    },
  },
  Mutation: {
    submitInspection: async (_: unknown, { input }: MutationSubmitInspectionArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const db = ctx.services.db;
      if (Boolean(input.imageId) === Boolean(input.upload)) {
        throw apiError('BAD_USER_INPUT', 'Send exactly one of imageId (a stored image) or upload (the image itself).');
      }
      const key = input.idempotencyKey?.trim() || null;
      if (key && key.length > 200) throw apiError('BAD_USER_INPUT', 'idempotencyKey must be at most 200 characters.');
      // Every check comes before the first write, so a refused submission stores nothing (not
      // even the image it carried); a race that still fails after the image was stored undoes it.
      const upload = input.upload
        ? await prepareDirectUpload(ctx, factoryId, input.upload, definedOnly({ source: 'LINE' as const, line: input.line, station: input.station }))
        : null;
      const earlier = key ? await findInspectionByIdempotencyKey(db, factoryId, key) : null;
      if (earlier) {
        const same = upload
          ? await getImage(db, factoryId, earlier.imageId).then((i) => i.productId === upload.product.id && i.sha256 === upload.sha256)
          : earlier.imageId === input.imageId;
        // A key reused for another image is a client bug; answering with the old inspection would hide it.
        if (!same) throw apiError('CONFLICT', `idempotencyKey "${key}" was already used for another image; use a new key per image.`);
        return queued(ctx, factoryId, { inspection: earlier, created: false });
      }
      if (input.lotId && (await getLot(db, factoryId, input.lotId)).status === 'CLOSED') {
        throw apiError('BAD_USER_INPUT', 'The lot is closed; open a new lot for more inspections.');
      }
      const productId = upload ? upload.product.id : (await getImage(db, factoryId, input.imageId!)).productId;
      if (upload && !input.modelId && !(await getActiveModel(db, factoryId, productId))) {
        throw apiError('BAD_USER_INPUT', 'The product has no active model yet; train and activate one first.');
      }
      await resolveInspectionTarget(db, factoryId, { productId, modelId: input.modelId, lotId: input.lotId });

      // Charged last of the checks, in PostgreSQL so that every API process counts against one
      // limit; a submission that then creates nothing gives its charge back.
      const { maxInspectionsPerMinute } = await factoryQuotas(ctx, factoryId);
      await takeInspectionQuota(db, factoryId, maxInspectionsPerMinute);
      const refund = () =>
        refundInspectionQuota(db, factoryId, maxInspectionsPerMinute).catch((e: Error) => ctx.services.log?.(`inspection quota refund failed: ${e.message}`));
      let stored: Awaited<ReturnType<typeof storePreparedImage>> | null;
      try {
        stored = upload ? await storePreparedImage(ctx, factoryId, upload) : null;
      } catch (err) {
        await refund();
        throw err;
      }
      const imageId = stored ? stored.image.id : input.imageId!;
      // Whether the charge is settled: kept by a new inspection, or given back.
      let settled = false;
      try {
        const result = await createInspection(db, factoryId, {
          imageId,
          idempotencyKey: key,
          lotId: input.lotId ?? null,
          modelId: input.modelId ?? undefined,
          line: input.line ?? null,
          station: input.station ?? null,
        });
        settled = result.created;
        // Only a concurrent submission under the same key gets here (the check above saw none).
        if (!result.created && result.inspection.imageId !== imageId) {
          throw apiError('CONFLICT', `idempotencyKey "${key}" was already used for another image; use a new key per image.`);
        }
        if (!settled) {
          settled = true;
          await refund();
        }
        return await queued(ctx, factoryId, result);
      } catch (err) {
        if (stored && !stored.duplicate) await discardStoredImage(ctx, factoryId, stored.image);
        if (!settled) await refund();
        throw err;
      }
    },
    reviewInspection: async (_: unknown, args: MutationReviewInspectionArgs, ctx: ApiContext) => {
      const caller = requireFactoryCaller(ctx);
      if (caller.kind !== 'user') throw apiError('FORBIDDEN', 'Reviews are made by people; sign in as a user.');
      if (args.note && args.note.length > 2000) throw apiError('BAD_USER_INPUT', 'note must be at most 2000 characters.');
      await getInspection(ctx.services.db, caller.factoryId, args.id);
      return reviewInspection(ctx.services.db, caller.factoryId, args.id, { verdict: args.verdict, reviewedById: caller.userId, note: args.note ?? null });
    },
  },
};
