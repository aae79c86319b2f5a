import { jobKey } from '@gansight/contracts';
import {
  createLot,
  getFactory,
  getLot,
  getProduct,
  listLots,
  refreshLotCounts,
  updateFactory,
  updateLot,
  type JsonInput,
} from '@gansight/db';
import type { MutationCloseLotArgs, MutationCreateLotArgs, MutationUpdateFactoryArgs, QueryLotArgs, QueryLotsArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';
import { definedOnly } from '../common/defined-only';

function checkText(value: string | null | undefined, what: string, max: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) throw apiError('BAD_USER_INPUT', `${what} must be 1-${max} characters.`);
  return trimmed;
}

export const lotsResolvers = {
  Query: {
    lots: async (_: unknown, args: QueryLotsArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (args.createdAfter && args.createdBefore && !(args.createdAfter < args.createdBefore)) {
        throw apiError('BAD_USER_INPUT', 'createdAfter must be before createdBefore.');
      }
      if (args.productId) await getProduct(ctx.services.db, factoryId, args.productId);
      const filter = definedOnly(args, ['productId', 'status', 'createdAfter', 'createdBefore']);
      return toConnection(await listLots(ctx.services.db, factoryId, filter, pageRequest(args)));
    },
    lot: (_: unknown, args: QueryLotArgs, ctx: ApiContext) => getLot(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
    factory: (_: unknown, __: unknown, ctx: ApiContext) => getFactory(ctx.services.db, requireFactoryCaller(ctx).factoryId),
  },
  Mutation: {
    createLot: async (_: unknown, args: MutationCreateLotArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      return createLot(ctx.services.db, factoryId, {
        productId: args.productId,
        name: checkText(args.name, 'name', 200)!,
        externalId: checkText(args.externalId, 'externalId', 200) ?? null,
      });
    },
    closeLot: async (_: unknown, args: MutationCloseLotArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const lot = await getLot(ctx.services.db, factoryId, args.id);
      if (lot.status === 'CLOSED') throw apiError('BAD_USER_INPUT', 'The lot is already closed.');
      await updateLot(ctx.services.db, factoryId, lot.id, { status: 'CLOSED', closedAt: new Date() });
      try {
        const counted = await refreshLotCounts(ctx.services.db, factoryId, lot.id);
        await ctx.services.jobs?.add('lot', { factoryId, lotId: lot.id }, { jobKey: jobKey('lot', lot.id) });
        return counted;
      } catch (err) {
        // Closed without its measurement job, the lot could never be measured nor closed again.
        await updateLot(ctx.services.db, factoryId, lot.id, { status: 'OPEN', closedAt: null })
          .catch((e: Error) => ctx.services.log?.(`lot ${lot.id}: not reopened after its measurement could not be queued: ${e.message}`));
        throw err;
      }
    },
    updateFactory: async (_: unknown, args: MutationUpdateFactoryArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (args.settings !== undefined && args.settings !== null && (typeof args.settings !== 'object' || Array.isArray(args.settings))) {
        throw apiError('BAD_USER_INPUT', 'settings must be a JSON object.');
      }
      const patch = {
        ...(args.name != null ? { name: checkText(args.name, 'name', 200) } : {}),
        ...(args.settings != null ? { settings: args.settings as JsonInput } : {}),
      };
      return updateFactory(ctx.services.db, factoryId, patch);
    },
  },
};
